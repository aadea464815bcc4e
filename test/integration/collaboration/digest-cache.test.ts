import { runImport } from "../../../bot/run-import";
import { digestPage } from "../../../bot/commands/interactions";
import { Reply } from "../../../bot/commands/dispatch";
import { DigestView } from "../../../bot/views/digest-view";
import { csv, writeCsv } from "../../support/csv-files";
import { actorFor, say } from "../../support/actors";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-20T12:00:00Z");

/** How many times the app's digests read their facts from the database. */
let loads: jest.SpyInstance;

beforeEach(async () => {
  await runImport(
    t.app,
    "invoices",
    writeCsv(
      "i.csv",
      csv(
        "customer_id,customer,invoice_number,issue_date,due_date,amount",
        "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,1000.00",
        "GLOB,Globex,G-1,2026-08-01,2026-09-30,700.00",
      ),
    ),
  );
  loads = jest.spyOn(t.app.ledger, "digestFacts");
});

afterEach(() => loads.mockRestore());

function viewOf(reply: Reply): DigestView {
  if (reply.kind !== "digest") throw new Error(`expected a digest, got ${JSON.stringify(reply)}`);
  return reply.view;
}

function entry(view: DigestView, accountId: string) {
  return view.entries.find((e) => e.accountId === accountId);
}

test("repeated digests and Show all pages of the same day compute once until something is written", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  loads.mockClear();
  const first = viewOf(await say(t.app, dana, "digest"));
  const again = viewOf(await say(t.app, dana, "digest all"));
  const page = await digestPage(t.app.services, dana, { asOf: "2026-11-20", offset: 0, limit: 1 });
  expect(first.entries.map((e) => e.accountId)).toEqual(["ACME", "GLOB"]);
  expect(again.entries).toEqual(first.entries);
  expect(page.entries).toEqual(first.entries.slice(0, 1));
  expect(loads).toHaveBeenCalledTimes(1);

  // Another day is another digest.
  await digestPage(t.app.services, dana, { asOf: "2026-11-19", offset: 0, limit: 10 });
  expect(loads).toHaveBeenCalledTimes(2);
});

test("identifying people and storing request keys, which every chat request does, keep the digest cached", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  loads.mockClear();
  await say(t.app, dana, "digest", "trigger-1");
  await actorFor(t.app, "lee@example.com", t.app.users.defaultRole); // a new user, as a first request makes them
  await actorFor(t.app, "dana@example.com", "finance");
  await say(t.app, dana, "digest", "trigger-2");
  expect(loads).toHaveBeenCalledTimes(1);

  // A note is a person's activity on the account, which the ranking reads (stalled accounts).
  await say(t.app, dana, 'note acme "called AP"');
  await say(t.app, dana, "digest");
  expect(loads).toHaveBeenCalledTimes(2);
});

test("a re-import of unchanged rows (a nightly export with nothing new) keeps the digest cached", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const file = writeCsv("same.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,1000.00", "GLOB,Globex,G-1,2026-08-01,2026-09-30,700.00"));
  await say(t.app, dana, "digest");
  expect(await runImport(t.app, "invoices", file)).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  await say(t.app, dana, "digest");
  expect(loads).toHaveBeenCalledTimes(1);
  // One row that does change: the next digest reads again.
  await runImport(t.app, "invoices", writeCsv("changed.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,900.00")));
  await say(t.app, dana, "digest");
  expect(loads).toHaveBeenCalledTimes(2);
});

test("a claim changes the next digest: the new owner shows at once", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const before = viewOf(await say(t.app, dana, "digest"));
  expect(entry(before, "ACME")!.owners.finance).toBeNull();

  await say(t.app, dana, "claim acme");
  const after = viewOf(await say(t.app, dana, "digest"));
  expect(entry(after, "ACME")!.owners.finance).toBe("dana@example.com");
});

test("a payment import changes the next digest: the paid invoice is no longer overdue", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const before = viewOf(await say(t.app, dana, "digest"));
  expect(entry(before, "ACME")!.overdue.map((o) => o.display)).toEqual(["USD 1,000.00"]);

  await runImport(t.app, "payments", writeCsv("p.csv", csv("invoice_number,paid_on,amount", "A-1,2026-11-19,400.00")));
  const after = viewOf(await say(t.app, dana, "digest"));
  expect(entry(after, "ACME")!.overdue.map((o) => o.display)).toEqual(["USD 600.00"]);
});

test("a dispute changes the next digest: the disputed invoice leaves the overdue to chase", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const before = viewOf(await say(t.app, dana, "digest"));
  expect(entry(before, "GLOB")).toBeDefined();

  await say(t.app, dana, 'dispute G-1 "wrong quantity"');
  const after = viewOf(await say(t.app, dana, "digest"));
  expect(entry(after, "GLOB")).toBeUndefined();
  expect(after.total).toBe(before.total - 1);
});

test("concurrent digest requests for the same day share one computation", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  loads.mockClear();
  const replies = await Promise.all([
    ...Array.from({ length: 8 }, () => say(t.app, dana, "digest")),
    ...Array.from({ length: 4 }, (_, i) => digestPage(t.app.services, dana, { asOf: "2026-11-20", offset: i, limit: 1 })),
  ]);
  expect(loads).toHaveBeenCalledTimes(1);
  const views = replies.slice(0, 8).map((r) => viewOf(r as Reply));
  for (const view of views) expect(view.entries.map((e) => e.accountId)).toEqual(["ACME", "GLOB"]);
});

test("a failed computation is not remembered: the next request computes again", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  loads.mockClear();
  loads.mockRejectedValueOnce(new Error("connection lost"));
  await expect(digestPage(t.app.services, dana, { asOf: "2026-11-20", offset: 0, limit: 10 })).rejects.toThrow("connection lost");
  const page = await digestPage(t.app.services, dana, { asOf: "2026-11-20", offset: 0, limit: 10 });
  expect(page.entries.map((e) => e.accountId)).toEqual(["ACME", "GLOB"]);
  expect(loads).toHaveBeenCalledTimes(2);
});
