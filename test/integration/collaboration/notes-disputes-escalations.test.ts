import { prepareDigest } from "../../../domain/usecases/prepare-digest";
import { runImport } from "../../../bot/run-import";
import { csv, writeCsv } from "../../support/csv-files";
import { actorFor, say, textOf } from "../../support/actors";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-20T12:00:00Z");

beforeEach(async () => {
  await runImport(
    t.app,
    "invoices",
    writeCsv(
      "i.csv",
      csv(
        "customer_id,customer,invoice_number,issue_date,due_date,amount",
        "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,1000.00",
        "ACME,Acme Corp,A-2,2026-09-01,2026-09-30,500.00",
        "GLOB,Globex,G-1,2026-08-01,2026-08-31,700.00",
      ),
    ),
  );
});

test("a note is kept whole on the timeline and shows on the account card", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const text = "Spoke with Maria in AP — invoices approved, payment run Thursday.";
  expect(textOf(await say(t.app, dana, `note acme ${text}`))).toBe("Note added to Acme Corp.");
  expect(await t.app.db.prisma.note.findFirst()).toMatchObject({ text, platform: "slack" });
  const card = await say(t.app, dana, "account acme");
  expect(card.kind).toBe("account");
  if (card.kind !== "account") return;
  expect(card.view.timeline[0]).toMatchObject({ who: "dana@example.com", what: `note added: “${text}”` });
});

test("notes over 3000 characters and reasons over 500 are refused with the limit", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  expect(textOf(await say(t.app, dana, `note acme ${"x".repeat(3001)}`))).toBe("A note holds 3000 characters at most; this one has 3001. Split it in two.");
  expect((await say(t.app, dana, `note acme ${"x".repeat(3000)}`)).kind).toBe("done");
  expect(textOf(await say(t.app, dana, `dispute A-1 ${"y".repeat(501)}`))).toBe("A reason holds 500 characters at most; this one has 501.");
});

test("a disputed invoice leaves the ranking but stays visible; finance resolves it", async () => {
  const sam = await actorFor(t.app, "sam@example.com", "sales");
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  expect(await say(t.app, sam, "dispute a-1 Wrong quantity billed")).toMatchObject({
    kind: "done",
    text: "A-1 is disputed; it leaves the ranking until resolved.",
    announcement: "sam@example.com opened a dispute on A-1 (Acme Corp): “Wrong quantity billed”.",
  });
  expect(textOf(await say(t.app, dana, "dispute A-1 again"))).toBe("A-1 is already disputed since 20 Nov 2026 by sam@example.com: “Wrong quantity billed”.");

  const ranked = (await prepareDigest(t.app, "2026-11-20", t.app.priority)).ranking.accounts.find((a) => a.externalId === "ACME")!;
  expect(ranked.overdue.get("USD")).toBe(50000n); // A-2 only
  expect(ranked.reasons).toContain("open_dispute");
  const card = await say(t.app, dana, "account acme");
  if (card.kind !== "account") throw new Error(card.kind);
  expect(card.view.disputes).toEqual(["A-1: “Wrong quantity billed” (sam@example.com, since 20 Nov 2026)"]);
  // Section 7: overdue counts the disputed invoice too; disputed is shown on its own.
  expect(card.view.balances[0]).toEqual({ currency: "USD", open: "USD 1,500.00", overdue: "USD 1,500.00", disputed: "USD 1,000.00", maxDaysPastDue: 81 });

  expect(textOf(await say(t.app, sam, "resolve A-1"))).toBe("You need one of the roles finance, admin to resolve disputes; your role is sales.");
  expect(textOf(await say(t.app, dana, "resolve A-1"))).toBe("The dispute on A-1 (Acme Corp) is resolved.");
  expect(textOf(await say(t.app, dana, "resolve A-1"))).toBe("A-1 has no open dispute.");
  const again = (await prepareDigest(t.app, "2026-11-20", t.app.priority)).ranking.accounts.find((a) => a.externalId === "ACME")!;
  expect(again.overdue.get("USD")).toBe(150000n);
});

test("escalate records who it goes to: the owners, or the channel when nobody owns the account", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const sam = await actorFor(t.app, "sam@example.com", "sales");
  await say(t.app, dana, "claim acme");
  await say(t.app, sam, "claim acme");
  const reply = await say(t.app, sam, "escalate acme no answer for two weeks");
  expect(reply).toMatchObject({ kind: "done", text: "Escalation of Acme Corp recorded: for dana@example.com, sam@example.com.", announcement: "sam@example.com escalated Acme Corp: “no answer for two weeks”." });
  const unowned = await say(t.app, sam, "escalate globex");
  expect(textOf(unowned)).toBe("Escalation of Globex recorded: it has no owner yet.");
  const escalations = await t.app.db.prisma.escalation.findMany({ orderBy: { id: "asc" } });
  expect(escalations.map((e) => [e.kind, e.reason, e.targets])).toEqual([
    ["manual", "no answer for two weeks", { userIds: [dana.userId, sam.userId], channel: false }],
    ["manual", null, { userIds: [], channel: false }], // typed in the shell: recorded, no channel asked
  ]);
});

test("mine shows my accounts by function, my promises due this week and my open escalations", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  await say(t.app, dana, "claim acme");
  await say(t.app, dana, "promise acme 200 tue");
  await say(t.app, dana, "escalate acme stuck");
  const home = await say(t.app, dana, "mine");
  if (home.kind !== "home") throw new Error(home.kind);
  expect(home.view.accounts).toEqual([{ function: "finance", accountId: "ACME", name: "Acme Corp", overdue: "USD 1,500.00", since: "20 Nov 2026" }]);
  expect(home.view.promisesDue).toEqual(["Acme Corp: USD 200.00 by 24 Nov 2026"]);
  expect(home.view.escalations).toEqual(["Acme Corp: escalated — “stuck” (20 Nov 2026)"]);
});

test("simultaneous disputes of one invoice: one is opened, the other is told it is already disputed", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const sam = await actorFor(t.app, "sam@example.com", "sales");
  const pairs = await Promise.all(["A-1", "A-2", "G-1"].map((number) => Promise.all([say(t.app, dana, `dispute ${number} price`), say(t.app, sam, `dispute ${number} quantity`)])));
  const disputes = await t.app.db.prisma.dispute.findMany({ include: { invoice: true }, orderBy: { id: "asc" } });
  expect(disputes.map((d) => d.invoice.number).sort()).toEqual(["A-1", "A-2", "G-1"]);
  for (const [k, number] of ["A-1", "A-2", "G-1"].entries()) {
    const opened = disputes.find((d) => d.invoice.number === number)!;
    const danaWon = opened.openedById === dana.userId;
    const [won, lost] = danaWon ? pairs[k]! : [pairs[k]![1], pairs[k]![0]];
    expect(won).toMatchObject({ kind: "done", text: `${number} is disputed; it leaves the ranking until resolved.` });
    expect(textOf(lost)).toBe(`${number} is already disputed since 20 Nov 2026 by ${danaWon ? "dana@example.com: “price”" : "sam@example.com: “quantity”"}.`);
  }
  expect(await t.app.db.prisma.activity.count({ where: { kind: "dispute_opened" } })).toBe(3);
});
