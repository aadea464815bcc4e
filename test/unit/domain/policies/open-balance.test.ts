import { openBalanceAt, paymentKeepsBalanceNonNegative } from "../../../../domain/policies/open-balance";
import { InvoiceMother } from "../../../mothers/ledger-mother";

describe("open balance at the end of day D", () => {
  const invoice = InvoiceMother.of({
    issueDate: "2026-09-01",
    dueDate: "2026-10-01",
    amountMinor: 100000n,
    payments: [
      { paidOn: "2026-09-20", amountMinor: 60000n },
      { paidOn: "2026-10-12", amountMinor: 10000n },
    ],
    snapshots: [{ asOf: "2026-10-10", balanceMinor: 40000n }],
  });

  test("without a snapshot: amount minus payments dated ≤ D", () => {
    expect(openBalanceAt(invoice, "2026-09-19")).toBe(100000n); // 1000.00
    expect(openBalanceAt(invoice, "2026-09-20")).toBe(40000n); // 1000 − 600 = 400.00
  });

  test("from a snapshot on: its balance minus payments after it, so ERP-applied payments count once", () => {
    // The ERP reported 400 on 10-10 after applying the 600 of 09-20: 400, not 400 − 600.
    expect(openBalanceAt(invoice, "2026-10-10")).toBe(40000n);
    expect(openBalanceAt(invoice, "2026-10-11")).toBe(40000n);
    // 10-12: 400 − 100 = 300.00
    expect(openBalanceAt(invoice, "2026-10-12")).toBe(30000n);
  });

  test("the latest snapshot ≤ D wins", () => {
    const twice = { ...invoice, snapshots: [...invoice.snapshots, { asOf: "2026-10-20", balanceMinor: 0n }] };
    expect(openBalanceAt(twice, "2026-10-19")).toBe(30000n);
    expect(openBalanceAt(twice, "2026-10-20")).toBe(0n);
  });

  test("a payment that would take the balance below zero on any later day is refused", () => {
    const plain = InvoiceMother.of({ issueDate: "2026-09-01", dueDate: "2026-10-01", amountMinor: 10000n });
    expect(paymentKeepsBalanceNonNegative(plain, { paidOn: "2026-10-05", amountMinor: 10000n }, "2026-11-01")).toBe(true);
    expect(paymentKeepsBalanceNonNegative(plain, { paidOn: "2026-10-05", amountMinor: 10001n }, "2026-11-01")).toBe(false);
    // 100.00 paid before the ERP reported 50.00 fits (the snapshot already includes it); 60.00 after it does not.
    const snapped = { ...plain, snapshots: [{ asOf: "2026-10-10", balanceMinor: 5000n }] };
    expect(paymentKeepsBalanceNonNegative(snapped, { paidOn: "2026-10-01", amountMinor: 10000n }, "2026-11-01")).toBe(true);
    expect(paymentKeepsBalanceNonNegative(snapped, { paidOn: "2026-10-15", amountMinor: 6000n }, "2026-11-01")).toBe(false);
  });
});
