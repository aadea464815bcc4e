import { REASON_POINTS, rankAccounts } from "../../../../domain/policies/priority";
import { AccountMother, ClaimMother, InvoiceMother, PromiseMother, ledgerOf } from "../../../mothers/ledger-mother";

const D = "2026-11-20"; // a Friday
const policy = { stallDays: 7, promiseGraceDays: 1 };
const owned = (accountId: number) => ClaimMother.finance(accountId, "dana@example.com", "2026-11-19");
const busy = (...ids: number[]) => new Map(ids.map((id) => [id, [D]]));

describe("which accounts qualify", () => {
  test("an undisputed overdue balance > 0; disputed invoices leave the ranking", () => {
    const ledger = ledgerOf({
      accounts: [AccountMother.of(1), AccountMother.of(2), AccountMother.of(3)],
      invoices: [
        InvoiceMother.overdue(10, 5000n, D, { accountId: 1 }),
        InvoiceMother.overdue(10, 5000n, D, { accountId: 2, disputes: [{ openedOn: "2026-11-15", resolvedOn: null }] }),
        InvoiceMother.overdue(0, 5000n, D, { accountId: 3 }), // due today: current
      ],
    });
    const ranking = rankAccounts(ledger, D, policy);
    expect(ranking.accounts.map((a) => a.externalId)).toEqual(["C001"]);
    expect([...ranking.totals]).toEqual([["USD", { overdue: 5000n, accounts: 1 }]]);
  });

  test("a disputed invoice of a qualifying account adds open_dispute and is not counted", () => {
    const ledger = ledgerOf({
      accounts: [AccountMother.of(1)],
      invoices: [
        InvoiceMother.overdue(10, 5000n, D, { accountId: 1 }),
        InvoiceMother.overdue(40, 9000n, D, { accountId: 1, disputes: [{ openedOn: "2026-11-01", resolvedOn: null }] }),
      ],
      claims: [owned(1)],
      humanActivityDays: busy(1),
    });
    const [account] = rankAccounts(ledger, D, policy).accounts;
    expect(account!.reasons).toEqual(["open_dispute"]);
    expect(account!.overdue.get("USD")).toBe(5000n);
    expect(account!.maxDaysPastDue).toBe(10);
  });
});

describe("the score is the sum of its explained parts", () => {
  test("amount percentile within the currency, age points, and each reason's weight", () => {
    const ledger = ledgerOf({
      accounts: [AccountMother.of(1, { tier: "Strategic" }), AccountMother.of(2), AccountMother.of(3), AccountMother.of(4)],
      invoices: [
        InvoiceMother.overdue(100, 40000n, D, { accountId: 1 }),
        InvoiceMother.overdue(20, 30000n, D, { accountId: 2 }),
        InvoiceMother.overdue(20, 20000n, D, { accountId: 3 }),
        InvoiceMother.overdue(20, 10000n, D, { accountId: 4 }),
      ],
      claims: [owned(2), owned(3), owned(4)],
      humanActivityDays: busy(2, 3, 4),
    });
    const [first, second, third, fourth] = rankAccounts(ledger, D, policy).accounts;
    // Account 1: top of 4 USD accounts → 40 × 4/4 = 40; age 100 ÷ 4 = 25;
    // over_90 10 + strategic_tier 10 + stalled 7 (no activity, due 100 days ago) + no_owner 5 = 97
    expect(first!.scoreParts).toEqual({ amount: 40, age: 25, over_90: 10, strategic_tier: 10, stalled: 7, no_owner: 5 });
    expect(first!.score).toBe(97);
    expect(first!.reasons).toEqual(["over_90", "strategic_tier", "stalled", "no_owner"]);
    // Accounts 2–4: 40 × 3/4 = 30, 40 × 2/4 = 20, 40 × 1/4 = 10; age 20 ÷ 4 = 5
    expect([second!.score, third!.score, fourth!.score]).toEqual([35, 25, 15]);
  });

  test("currencies compare by percentile, never by converted amounts", () => {
    const ledger = ledgerOf({
      accounts: [AccountMother.of(1), AccountMother.of(2)],
      invoices: [InvoiceMother.overdue(8, 100n, D, { accountId: 1, currency: "EUR" }), InvoiceMother.overdue(8, 900000n, D, { accountId: 2 })],
      claims: [owned(1), owned(2)],
      humanActivityDays: busy(1, 2),
    });
    const accounts = rankAccounts(ledger, D, policy).accounts;
    // Each is the only overdue account of its currency: both get the full 40 and tie on score and dpd.
    expect(accounts.map((a) => [a.externalId, a.score])).toEqual([
      ["C001", 42],
      ["C002", 42],
    ]);
  });

  test("an account overdue in several currencies scores by its best percentile, the first currency code on a tie", () => {
    const ledger = ledgerOf({
      accounts: [AccountMother.of(1), AccountMother.of(2), AccountMother.of(3)],
      invoices: [
        // Account 1 tops USD and EUR (alone in each): 100th percentile both, EUR first.
        InvoiceMother.overdue(8, 500n, D, { accountId: 1 }),
        InvoiceMother.overdue(8, 700n, D, { accountId: 1, currency: "EUR" }),
        // Account 2: bottom of USD (50th), alone in JPY (100th): JPY.
        InvoiceMother.overdue(8, 100n, D, { accountId: 2 }),
        InvoiceMother.overdue(8, 9n, D, { accountId: 2, currency: "JPY" }),
        // Account 3: below account 1 in EUR (50th) only.
        InvoiceMother.overdue(8, 300n, D, { accountId: 3, currency: "EUR" }),
      ],
      claims: [owned(1), owned(2), owned(3)],
      humanActivityDays: busy(1, 2, 3),
    });
    const byId = new Map(rankAccounts(ledger, D, policy).accounts.map((a) => [a.externalId, a]));
    expect([byId.get("C001")!.amountCurrency, byId.get("C001")!.amountPercentile, byId.get("C001")!.scoreParts.amount]).toEqual(["EUR", 100, 40]);
    expect([byId.get("C002")!.amountCurrency, byId.get("C002")!.amountPercentile, byId.get("C002")!.scoreParts.amount]).toEqual(["JPY", 100, 40]);
    expect([byId.get("C003")!.amountCurrency, byId.get("C003")!.amountPercentile, byId.get("C003")!.scoreParts.amount]).toEqual(["EUR", 50, 20]);
  });

  test("reasons of equal weight keep their order in the explanation and the parts", () => {
    const ledger = ledgerOf({
      accounts: [AccountMother.of(1, { tier: " strategic " }), AccountMother.of(2, { tier: "Strategic" })],
      invoices: [InvoiceMother.overdue(120, 1000n, D, { accountId: 1 }), InvoiceMother.overdue(95, 1000n, D, { accountId: 2 })],
      claims: [owned(1), owned(2)],
      humanActivityDays: busy(1, 2),
    });
    for (const account of rankAccounts(ledger, D, policy).accounts) {
      expect(account.reasons).toEqual(["over_90", "strategic_tier"]);
      expect(Object.keys(account.scoreParts)).toEqual(["amount", "age", "over_90", "strategic_tier"]);
    }
  });

  test("ties break on days past due, then account id", () => {
    const ledger = ledgerOf({
      accounts: [AccountMother.of(3), AccountMother.of(1), AccountMother.of(2)],
      invoices: [
        InvoiceMother.overdue(9, 1000n, D, { accountId: 3 }),
        InvoiceMother.overdue(8, 1000n, D, { accountId: 1 }),
        InvoiceMother.overdue(8, 1000n, D, { accountId: 2 }),
      ],
      claims: [owned(1), owned(2), owned(3)],
      humanActivityDays: busy(1, 2, 3),
    });
    // All get 40 (equal amounts share the top percentile) + age 2.
    expect(rankAccounts(ledger, D, policy).accounts.map((a) => [a.rank, a.externalId])).toEqual([
      [1, "C003"],
      [2, "C001"],
      [3, "C002"],
    ]);
  });
});

describe("reason codes", () => {
  const base = (extra: Parameters<typeof ledgerOf>[0]) =>
    ledgerOf({ accounts: [AccountMother.of(1)], invoices: [InvoiceMother.overdue(10, 50000n, D, { accountId: 1 })], claims: [owned(1)], humanActivityDays: busy(1), ...extra });
  const reasonsOf = (extra: Parameters<typeof ledgerOf>[0], asOf = D) => rankAccounts(base(extra), asOf, policy).accounts[0]!.reasons;

  test("none when owned, active and recent", () => {
    expect(reasonsOf({})).toEqual([]);
  });

  test("over_90 from 91 days past due", () => {
    expect(reasonsOf({ invoices: [InvoiceMother.overdue(90, 50000n, D, { accountId: 1 })] })).not.toContain("over_90");
    expect(reasonsOf({ invoices: [InvoiceMother.overdue(91, 50000n, D, { accountId: 1 })] })).toContain("over_90");
  });

  test("broken_promise within 30 days and not covered since", () => {
    const promise = PromiseMother.of({ amountMinor: 20000n, createdOn: "2026-11-01", promisedOn: "2026-11-05" });
    expect(reasonsOf({ promises: [promise] })).toEqual(["broken_promise"]);
    expect(REASON_POINTS.broken_promise).toBe(15);
    // Paid the shortfall after the break: covered since.
    const invoice = InvoiceMother.overdue(10, 50000n, D, { accountId: 1, payments: [{ paidOn: "2026-11-18", amountMinor: 20000n }] });
    expect(reasonsOf({ promises: [promise], invoices: [invoice] })).toEqual([]);
    // Broken more than 30 days ago: no longer a reason.
    expect(reasonsOf({ promises: [promise], humanActivityDays: busy(1) }, "2026-12-10")).not.toContain("broken_promise");
  });

  test("promise_due for an open promise dated D … D + 2 business days", () => {
    const due = (promisedOn: string) => reasonsOf({ promises: [PromiseMother.of({ amountMinor: 100n, createdOn: "2026-11-19", promisedOn })] });
    expect(due("2026-11-20")).toEqual(["promise_due"]);
    expect(due("2026-11-24")).toEqual(["promise_due"]); // Fri + 2 business days = Tue
    expect(due("2026-11-25")).toEqual([]);
  });

  test("of two finance claims made the same day, the later one is the owner", () => {
    const ledger = base({
      claims: [ClaimMother.finance(1, "first@example.com", "2026-11-18"), ClaimMother.finance(1, "second@example.com", "2026-11-18")],
      humanActivityDays: busy(1),
    });
    expect(rankAccounts(ledger, D, policy).accounts[0]!.owners.finance).toBe("second@example.com");
  });

  test("no_owner when no finance owner at D (a released claim does not count)", () => {
    expect(reasonsOf({ claims: [] })).toEqual(["no_owner"]);
    expect(reasonsOf({ claims: [ClaimMother.finance(1, "dana@example.com", "2026-11-01", "2026-11-10")] })).toEqual(["no_owner"]);
    expect(reasonsOf({ claims: [{ ...owned(1), function: "sales" }] })).toEqual(["no_owner"]);
  });

  test("stalled after AR_STALL_DAYS without human activity, counted from when it fell due at the latest", () => {
    expect(reasonsOf({ humanActivityDays: busy() })).toEqual(["stalled"]); // due 10 days ago, never touched
    expect(reasonsOf({ humanActivityDays: new Map([[1, ["2026-11-13"]]]) })).toEqual(["stalled"]); // 7 days quiet
    expect(reasonsOf({ humanActivityDays: new Map([[1, ["2026-11-14"]]]) })).toEqual([]); // 6 days quiet
    // Worked on long ago, but the invoice fell due only 5 days ago: not stalled yet.
    expect(reasonsOf({ humanActivityDays: new Map([[1, ["2026-01-01"]]]), invoices: [InvoiceMother.overdue(5, 100n, D, { accountId: 1 })] })).toEqual([]);
  });

  test("strategic_tier in any case", () => {
    expect(reasonsOf({ accounts: [AccountMother.of(1, { tier: " STRATEGIC " })] })).toEqual(["strategic_tier"]);
  });
});
