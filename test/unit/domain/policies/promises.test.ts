import { AccountPayment, evaluatePromises } from "../../../../domain/policies/promises";
import { PromiseMother } from "../../../mothers/ledger-mother";

const pay = (paidOn: string, amountMinor: bigint, currency = "USD", accountId = 1): AccountPayment => ({ accountId, currency, paidOn, amountMinor });
const GRACE = 1;

describe("promise outcomes at the end of day D", () => {
  const promise = PromiseMother.of({ amountMinor: 50000n, createdOn: "2026-11-02", promisedOn: "2026-11-10" });

  test("open until covered or until date + grace has passed", () => {
    const [outcome] = evaluatePromises([promise], [pay("2026-11-05", 20000n)], "2026-11-11", GRACE);
    expect(outcome).toMatchObject({ status: "open", coveredMinor: 20000n, outcomeOn: null });
  });

  test("kept on the day of the payment that covers it in full, grace day included", () => {
    const [outcome] = evaluatePromises([promise], [pay("2026-11-05", 20000n), pay("2026-11-11", 30000n)], "2026-11-20", GRACE);
    expect(outcome).toMatchObject({ status: "kept", outcomeOn: "2026-11-11", coveredMinor: 50000n });
  });

  test("broken the day after date + grace, and a later payment does not revive it", () => {
    const [outcome] = evaluatePromises([promise], [pay("2026-11-05", 20000n), pay("2026-11-12", 30000n)], "2026-11-20", GRACE);
    expect(outcome).toMatchObject({ status: "broken", outcomeOn: "2026-11-12", coveredMinor: 20000n });
  });

  test("payments before the promise, in another currency or on another account do not count", () => {
    const payments = [pay("2026-11-01", 50000n), pay("2026-11-05", 50000n, "EUR"), pay("2026-11-05", 50000n, "USD", 2)];
    const [outcome] = evaluatePromises([promise], payments, "2026-11-20", GRACE);
    expect(outcome).toMatchObject({ status: "broken", coveredMinor: 0n });
  });

  test("a cancelled promise is cancelled from its cancellation day on, open before", () => {
    const cancelled = { ...promise, cancelledOn: "2026-11-04" };
    expect(evaluatePromises([cancelled], [], "2026-11-03", GRACE)[0]!.status).toBe("open");
    expect(evaluatePromises([cancelled], [pay("2026-11-05", 50000n)], "2026-11-20", GRACE)[0]!.status).toBe("cancelled");
  });

  test("a promise made after D is not known at D", () => {
    expect(evaluatePromises([promise], [], "2026-11-01", GRACE)).toEqual([]);
  });

  test("payments are allocated oldest date first, each amount counting once across two promises", () => {
    // P1: 300.00 by 11-10 (made 11-01); P2: 500.00 by 11-20 (made 11-06, after P1 was kept).
    const p1 = PromiseMother.of({ amountMinor: 30000n, createdOn: "2026-11-01", promisedOn: "2026-11-10" });
    const p2 = PromiseMother.of({ amountMinor: 50000n, createdOn: "2026-11-06", promisedOn: "2026-11-20" });
    // 11-07: 400.00 → P1 takes 300, the other 100 is left for P2; 11-15: 300.00 → P2 100 + 300 = 400 < 500.
    const payments = [pay("2026-11-07", 40000n), pay("2026-11-15", 30000n)];
    const [o1, o2] = evaluatePromises([p1, p2], payments, "2026-11-30", GRACE);
    expect(o1).toMatchObject({ status: "kept", outcomeOn: "2026-11-07", coveredMinor: 30000n });
    expect(o2).toMatchObject({ status: "broken", outcomeOn: "2026-11-22", coveredMinor: 40000n }); // 11-20 + 1 grace + 1
    // One more 100.00 within P2's grace day keeps it: 400 + 100 = 500.
    const [, kept] = evaluatePromises([p1, p2], [...payments, pay("2026-11-21", 10000n)], "2026-11-30", GRACE);
    expect(kept).toMatchObject({ status: "kept", outcomeOn: "2026-11-21" });
  });
});
