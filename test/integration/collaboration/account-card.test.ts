import { runImport } from "../../../bot/run-import";
import { renderAccountText } from "../../../adapters/shell/text-reply";
import { Reply } from "../../../bot/commands/dispatch";
import { csv, writeCsv } from "../../support/csv-files";
import { actorFor, say } from "../../support/actors";
import { useTestApp } from "../../support/test-app";
import { getAccountCard } from "../../../domain/usecases/get-account-card";
import { Actor } from "../../../domain/model/actor";

// Friday 20 Nov 2026.
const t = useTestApp("2026-11-20T12:00:00Z");

beforeEach(async () => {
  await runImport(
    t.app,
    "invoices",
    writeCsv(
      "i.csv",
      csv(
        "customer_id,customer,invoice_number,issue_date,due_date,amount",
        "ACME,Acme Corp,A-2,2026-09-01,2026-09-30,500.00",
        "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,5000.00",
        "ACME,Acme Corp,A-3,2026-11-01,2026-12-01,250.00",
        "ACME,Acme Corp,A-0,2026-07-01,2026-07-31,100.00",
      ),
    ),
  );
  await runImport(t.app, "payments", writeCsv("p.csv", csv("invoice_number,paid_on,amount", "A-0,2026-08-10,100.00", "A-1,2026-11-02,1200.50")));
});

function cardText(reply: Reply): string {
  if (reply.kind !== "account") throw new Error(`expected an account card, got ${JSON.stringify(reply)}`);
  return renderAccountText(reply.view);
}

test("the card lists every open invoice: number, due date, days past due, open amount, disputed or not", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  await say(t.app, dana, "dispute A-2 wrong quantity");
  const text = cardText(await say(t.app, dana, "account acme"));
  const lines = text.split("\n");
  const first = lines.indexOf("  Open invoices (oldest due first):");
  expect(lines.slice(first + 1, first + 4)).toEqual([
    "    A-1  due 31 Aug 2026, 81 days past due  USD 3,799.50",
    "    A-2  due 30 Sep 2026, 51 days past due  USD 500.00  disputed",
    "    A-3  due 1 Dec 2026, not yet due  USD 250.00",
  ]);
  expect(text).not.toContain("A-0  "); // paid in full
  // The timeline speaks money and dates, never field names.
  expect(text).toContain("payment received A-1: USD 1,200.50, paid on 2 Nov 2026");
  expect(text).toContain("invoice added A-1: USD 5,000.00, issued 1 Aug 2026, due 31 Aug 2026");
  expect(text).not.toMatch(/dueDate|issueDate|paidOn/);
});

test("a broken promise stays on the card until a new one is made", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  await say(t.app, dana, "promise acme 300 mon"); // 23 Nov, grace 1 day
  t.app.clock.set("2026-11-26T12:00:00Z");
  expect(cardText(await say(t.app, dana, "account acme"))).toContain("  Open promise: none; last broken: USD 300.00 by 23 Nov 2026, broken on 25 Nov 2026");
  await say(t.app, dana, "promise acme 200 fri");
  expect(cardText(await say(t.app, dana, "account acme"))).toContain("  Open promise: USD 200.00 by 27 Nov 2026\n");
});

test("the whole timeline is reachable: the card says how, history pages through it all", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  for (let i = 1; i <= 60; i++) await say(t.app, dana, `note acme call ${i}`);
  const total = await t.app.db.prisma.activity.count({ where: { account: { externalId: "ACME" } } });
  expect(total).toBeGreaterThan(60);
  const card = cardText(await say(t.app, dana, "account acme"));
  expect(card).toContain(`  Latest 10 of ${total} entries: account ACME history shows them all.`);

  const seen: string[] = [];
  for (let page = 1; ; page++) {
    const text = cardText(await say(t.app, dana, page === 1 ? "account acme history" : `account acme history ${page}`));
    seen.push(...text.split("\n").filter((l) => l.startsWith("    ")));
    if (!text.includes("for the next page")) {
      expect(text).toMatch(new RegExp(`Entries \\d+–${total} of ${total}\\.$`));
      break;
    }
    expect(text).toContain(`account ACME history ${page + 1} for the next page.`);
  }
  expect(seen).toHaveLength(total);
  for (let i = 1; i <= 60; i++) expect(seen.filter((l) => l.endsWith(`note added: “call ${i}”`))).toHaveLength(1);
  expect(seen[seen.length - 1]).toContain("account created");
});

test("the card shows the account's place in today's digest and the parts of its score", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  // The only overdue account: the whole amount part (40); 81 days ÷ 4 → 20; stalled 7; no owner 5.
  expect(cardText(await say(t.app, dana, "account acme"))).toContain("  Priority: #1 of 1 in today's digest (score 72 = amount 40 + age 20 + stalled 7 + no owner 5)");
  await runImport(t.app, "invoices", writeCsv("b.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "BETA,Beta Ltd,B-1,2026-11-01,2026-12-01,10.00")));
  expect(cardText(await say(t.app, dana, "account beta"))).toContain("  Priority: not in today's digest (no undisputed overdue balance)");
});

test("the card reads owners, disputes and the timeline as stored: instants to the millisecond, owners by function, who opened each dispute", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const sam = await actorFor(t.app, "sam@example.com", "sales");
  const cardOf = (actor: Actor) => getAccountCard({ actor, clock: t.app.clock, uow: t.app.uow, idempotencyKey: null, promiseGraceDays: 1 }, { query: "ACME" });
  t.app.clock.set("2026-11-20T13:04:05.678Z");
  await say(t.app, sam, "claim acme");
  t.app.clock.set("2026-11-20T14:00:00.001Z");
  await say(t.app, dana, "claim acme");
  await say(t.app, dana, "dispute A-2 wrong quantity");
  // An export that says an invoice is disputed opens a dispute no person opened.
  await runImport(t.app, "invoices", writeCsv("d.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount,disputed", "ACME,Acme Corp,A-3,2026-11-01,2026-12-01,250.00,yes")));

  const card = await cardOf(dana);
  expect(card.owners).toEqual([
    { function: "finance", owner: "dana@example.com", since: new Date("2026-11-20T14:00:00.001Z") },
    { function: "sales", owner: "sam@example.com", since: new Date("2026-11-20T13:04:05.678Z") },
  ]);
  expect(card.disputes.map((d) => ({ invoice: d.invoiceNumber, reason: d.reason, by: d.openedBy, at: d.openedAt, on: d.openedOn }))).toEqual([
    { invoice: "A-2", reason: "wrong quantity", by: "dana@example.com", at: new Date("2026-11-20T14:00:00.001Z"), on: "2026-11-20" },
    { invoice: "A-3", reason: expect.any(String), by: "the ERP export", at: expect.any(Date), on: "2026-11-20" },
  ]);
  expect(card.timeline[0]).toMatchObject({ kind: "dispute_opened", subject: "A-3", actor: "import:d.csv", after: { by: "import", reason: "disputed in the ERP export" } });
  const claimed = card.timeline.find((e) => e.kind === "claimed" && e.actor === "sam@example.com");
  expect(claimed).toMatchObject({ at: new Date("2026-11-20T13:04:05.678Z"), platform: "slack", before: null, after: { owner: "sam@example.com" } });
  expect(card.timelinePage).toEqual({ offset: 0, total: await t.app.db.prisma.activity.count({ where: { account: { externalId: "ACME" } } }), history: false });
  expect(card.timelinePage.total).toBeGreaterThan(10);
  expect(card.timeline).toHaveLength(10);
  expect(card.balances).toEqual([{ currency: "USD", open: 454950n, overdue: 429950n, disputed: 75000n, maxDaysPastDue: 81, credit: 0n }]);
});

test("a card is found as section 5 says: by customer id in any case, else by name; customer ids that differ only in case are listed, never guessed", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const overdue = (reply: Reply) => cardText(reply).split("\n").find((l) => l.includes("overdue"));
  const byId = await say(t.app, dana, "account acme");
  expect(cardText(byId)).toContain("Acme Corp");
  // By name, exact then prefix: the same card as by id.
  expect(overdue(await say(t.app, dana, 'account "Acme Corp"'))).toBe(overdue(byId));
  expect(overdue(await say(t.app, dana, 'account "acme c"'))).toBe(overdue(byId));

  await runImport(t.app, "invoices", writeCsv("x.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "acme,Acme Lowercase,X-1,2026-09-01,2026-09-30,10.00")));
  const twice = await say(t.app, dana, "account ACME");
  expect(twice).toMatchObject({ kind: "error", code: "ambiguous", candidates: [{ id: "ACME", name: "Acme Corp" }, { id: "acme", name: "Acme Lowercase" }] });
  expect(cardText(await say(t.app, dana, "account lowercase"))).toContain("Acme Lowercase");
  expect(await say(t.app, dana, "account nobody")).toMatchObject({ kind: "error", message: "No account matches “nobody”. Try its customer id or part of its name." });
});
