import { runImport } from "../../../bot/run-import";
import { getArStats } from "../../../domain/usecases/get-ar-stats";
import { csv, writeCsv } from "../../support/csv-files";
import { actorFor, say, textOf } from "../../support/actors";
import { useTestApp } from "../../support/test-app";

// Friday 20 Nov 2026; default grace 1 day.
const t = useTestApp("2026-11-20T12:00:00Z");

beforeEach(async () => {
  await runImport(
    t.app,
    "invoices",
    writeCsv(
      "i.csv",
      csv(
        "customer_id,customer,invoice_number,issue_date,due_date,amount,currency",
        "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,1000.00,USD",
        "ACME,Acme Corp,A-2,2026-09-01,2026-09-30,500.00,USD",
        "GLOB,Globex,G-1,2026-08-01,2026-08-31,700.00,USD",
        "GLOB,Globex,G-2,2026-08-01,2026-08-31,300.00,EUR",
      ),
    ),
  );
});

async function pay(rows: string[]) {
  return runImport(t.app, "payments", writeCsv("p.csv", csv("invoice_number,paid_on,amount,reference", ...rows)));
}

test("creation rules: 0 < amount ≤ open balance in the currency, date ≥ today", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  expect(textOf(await say(t.app, dana, "promise acme 1500.01 fri"))).toBe("USD 1,500.01 is more than Acme Corp's open USD balance of USD 1,500.00.");
  expect(textOf(await say(t.app, dana, "promise acme 0 fri"))).toBe("A promise is for an amount greater than 0.");
  expect(textOf(await say(t.app, dana, "promise acme 100 2026-11-19"))).toBe("The promised date 2026-11-19 is in the past; a promise is for today or later.");
  expect(textOf(await say(t.app, dana, "promise acme 10.001 fri"))).toBe("The amount 10.001: USD has 2 decimals at most (no rounding).");
  expect(textOf(await say(t.app, dana, "promise acme 100 EUR fri"))).toBe("Acme Corp has no open EUR balance.");
  expect(textOf(await say(t.app, dana, "promise acme 100 2031-01-09"))).toBe(
    "The promised date 9 Jan 2031 is more than a year away (after 20 Nov 2027); check the year, or record a note instead.",
  );
  expect(await t.app.db.prisma.paymentPromise.count()).toBe(0);

  const ok = await say(t.app, dana, "promise acme 1500 today");
  expect(ok).toMatchObject({
    kind: "done",
    text: "Promise recorded: Acme Corp will pay USD 1,500.00 by 20 Nov 2026.",
    announcement: "dana@example.com recorded a promise: Acme Corp will pay USD 1,500.00 by 20 Nov 2026.",
  });
});

test("an amount with a currency sign reads as in CSV, and a year ahead to the day is still accepted", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  expect(await say(t.app, dana, "promise acme $100 2027-11-20")).toMatchObject({ kind: "done", text: "Promise recorded: Acme Corp will pay USD 100.00 by 20 Nov 2027." });
  expect(textOf(await say(t.app, dana, "promise globex €50 mon"))).toBe("Promise recorded: Globex will pay EUR 50.00 by 23 Nov 2026.");
});

test("the currency is inferred when the account owes in one; otherwise the reply asks", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  expect(textOf(await say(t.app, dana, "promise globex 100 mon"))).toBe("Globex owes in EUR and USD: say which, e.g. promise GLOB 100 EUR 2026-11-23");
  expect(textOf(await say(t.app, dana, "promise globex EUR 100 mon"))).toBe("Promise recorded: Globex will pay EUR 100.00 by 23 Nov 2026.");
  const promise = await t.app.db.prisma.paymentPromise.findFirstOrThrow();
  expect(promise).toMatchObject({ currency: "EUR", amountMinor: 10000n });
  expect(promise.promisedOn.toISOString().slice(0, 10)).toBe("2026-11-23");
});

test("a new promise in the same currency cancels the open one, on the timeline", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  await say(t.app, dana, "promise globex EUR 100 mon");
  await say(t.app, dana, "promise globex USD 200 tue");
  expect(textOf(await say(t.app, dana, "promise globex USD 250 wed"))).toBe(
    "Promise recorded: Globex will pay USD 250.00 by 25 Nov 2026. It replaces the open promise of USD 200.00 by 24 Nov 2026.",
  );
  const promises = await t.app.db.prisma.paymentPromise.findMany({ orderBy: { id: "asc" } });
  expect(promises.map((p) => [p.currency, p.amountMinor, p.cancelledAt !== null])).toEqual([
    ["EUR", 10000n, false],
    ["USD", 20000n, true],
    ["USD", 25000n, false],
  ]);
  const stats = await getArStats(t.app, "2026-11-20", 1);
  expect(stats.promises).toMatchObject({ open: 2 }); // EUR 100 and USD 250; the cancelled one is neither
  expect(await t.app.db.prisma.activity.count({ where: { kind: "promise_cancelled" } })).toBe(1);
});

test("kept, broken and cancelled transitions, with payments allocated across two promises", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  // Fri 20 Nov: promise 1 — 300.00 by Mon 23 Nov.
  await say(t.app, dana, "promise acme 300 mon");
  // Tue 24 Nov (grace day): a 400.00 payment keeps it; 100.00 of it is left over.
  t.app.clock.set("2026-11-24T12:00:00Z");
  await pay(["A-1,2026-11-24,400.00,W1"]);
  // Same day, promise 2 — 500.00 by Fri 27 Nov: not a replacement, promise 1 is kept already.
  expect(textOf(await say(t.app, dana, "promise acme 500 fri"))).toBe("Promise recorded: Acme Corp will pay USD 500.00 by 27 Nov 2026.");
  // Sat 28 Nov: 350.00 paid; 100.00 + 350.00 = 450.00 < 500.00 by the end of the grace day.
  t.app.clock.set("2026-11-30T12:00:00Z");
  await pay(["A-2,2026-11-28,350.00,W2"]);

  const atGrace = await getArStats(t.app, "2026-11-28", 1);
  expect(atGrace.promises).toMatchObject({ open: 1, kept: 1, broken: 0 });
  const after = await getArStats(t.app, "2026-11-30", 1);
  // Kept on 11-24; broken on 11-29 (27 + 1 grace + 1); kept rate 1 ÷ 2 = 0.5
  expect(after.promises).toEqual({ open: 0, kept: 1, broken: 1, keptRate: 0.5 });

  // A payment after the break does not revive the promise.
  await pay(["A-2,2026-11-30,50.00,W3"]);
  expect((await getArStats(t.app, "2026-11-30", 1)).promises).toEqual({ open: 0, kept: 1, broken: 1, keptRate: 0.5 });
});

test("simultaneous promises on one account and currency leave one open promise; the later replaces the earlier", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const sam = await actorFor(t.app, "sam@example.com", "sales");
  const replies = await Promise.all([say(t.app, dana, "promise acme 100 fri"), say(t.app, sam, "promise acme 200 fri")]);
  const texts = replies.map(textOf);
  const open = await t.app.db.prisma.paymentPromise.findMany({ where: { cancelledAt: null } });
  expect(open).toHaveLength(1);
  const [first, second] = open[0]!.amountMinor === 20000n ? texts : [texts[1], texts[0]];
  const [firstAmount, secondAmount] = open[0]!.amountMinor === 20000n ? ["100.00", "200.00"] : ["200.00", "100.00"];
  expect(first).toBe(`Promise recorded: Acme Corp will pay USD ${firstAmount} by 27 Nov 2026.`);
  expect(second).toBe(`Promise recorded: Acme Corp will pay USD ${secondAmount} by 27 Nov 2026. It replaces the open promise of USD ${firstAmount} by 27 Nov 2026.`);
  expect(await t.app.db.prisma.paymentPromise.count()).toBe(2);
});
