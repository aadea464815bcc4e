import { agingOfFigures, currencyMetrics, figuresByCurrency, metricsByCurrency, metricsOfFigures } from "../../../../domain/policies/ar-metrics";
import { InvoiceMother } from "../../../mothers/ledger-mother";

/** ARCHITECTURE.md section 7, worked example (USD, D = 2026-10-30). */
function workedExample() {
  return [
    InvoiceMother.of({ number: "I1", issueDate: "2026-06-01", dueDate: "2026-07-01", amountMinor: 100000n, payments: [{ paidOn: "2026-08-01", amountMinor: 40000n }] }),
    InvoiceMother.of({ number: "I2", issueDate: "2026-09-15", dueDate: "2026-10-15", amountMinor: 50000n, payments: [{ paidOn: "2026-11-02", amountMinor: 10000n }] }),
    InvoiceMother.of({ number: "I3", issueDate: "2026-10-20", dueDate: "2026-11-19", amountMinor: 30000n }),
  ];
}

describe("AR metrics, the worked example of section 7", () => {
  const m = currencyMetrics("USD", workedExample(), "2026-10-30");

  test("balances and buckets to the cent", () => {
    // I1: 1000.00 − 400.00 (08-01) = 600.00, 121 dpd → 90+
    // I2: 500.00, the 100.00 of 11-02 is after D → 500.00, 15 dpd → 1-30
    // I3: 300.00, due 11-19 → current
    expect(m.ar).toBe(140000n); // 600 + 500 + 300 = 1400.00
    expect(m.buckets).toEqual({ current: 30000n, "1-30": 50000n, "31-60": 0n, "61-90": 0n, "90+": 60000n });
    expect(m.overdue).toBe(110000n); // 500 + 600
    expect(m.disputed).toBe(0n);
  });

  test("sales of the 90-day period (08-01, 10-30]", () => {
    expect(m.sales90).toBe(80000n); // I2 500 + I3 300; I1 (06-01) is outside
  });

  test("DSO standard, best possible and ADD, rounded half away from zero", () => {
    expect(m.dsoStandard).toBe(157.5); // 1400 ÷ 800 × 90 = 157.5
    expect(m.dsoBestPossible).toBe(33.8); // 300 ÷ 800 × 90 = 33.75 → 33.8
    expect(m.add).toBe(123.8); // 157.5 − 33.75 = 123.75 → 123.8
  });

  test("countback DSO walks 30-day slices back", () => {
    // (10-01,10-30] 300 → 1100 left, 30 d; (08-31,09-30] 500 → 600 left, 60 d;
    // three empty slices back to 06-02 → 150 d; (05-03,06-02] 1000 > 600 → 600 ÷ 1000 × 30 = 18
    expect(m.dsoCountback).toBe(168.0);
  });

  test("CEI", () => {
    // AR(08-01) = 1000 − 400 = 600; (600 + 800 − 1400) ÷ (600 + 800 − 300) × 100 = 0
    expect(m.cei).toBe(0.0);
  });
});

describe("AR metrics edge cases", () => {
  test("no sales in the period: DSO figures are null, countback too unless AR ≤ 0", () => {
    const old = [InvoiceMother.of({ issueDate: "2026-01-10", dueDate: "2026-02-09", amountMinor: 25000n })];
    const m = currencyMetrics("USD", old, "2026-10-30");
    expect(m.ar).toBe(25000n);
    expect([m.dsoStandard, m.dsoBestPossible, m.add, m.dsoCountback]).toEqual([null, null, null, null]);
    // CEI: (250 + 0 − 250) ÷ (250 + 0 − 0) = 0
    expect(m.cei).toBe(0);
  });

  test("countback is 0 when nothing is owed", () => {
    const paid = [InvoiceMother.of({ issueDate: "2026-10-01", dueDate: "2026-10-31", amountMinor: 10000n, payments: [{ paidOn: "2026-10-05", amountMinor: 10000n }] })];
    const m = currencyMetrics("USD", paid, "2026-10-30");
    expect(m.ar).toBe(0n);
    expect(m.dsoCountback).toBe(0);
    expect(m.dsoStandard).toBe(0); // 0 ÷ 100 × 90
    // CEI: (0 + 100 − 0) ÷ (0 + 100 − 0) × 100 = 100
    expect(m.cei).toBe(100);
  });

  test("countback is capped at 365 days", () => {
    // One tiny sale in the latest slice, a huge AR from long ago: slices are covered up to the cap.
    const invoices = [
      InvoiceMother.of({ issueDate: "2026-10-29", dueDate: "2026-11-28", amountMinor: 100n }),
      InvoiceMother.of({ issueDate: "2024-01-01", dueDate: "2024-01-31", amountMinor: 1000000n }),
    ];
    expect(currencyMetrics("USD", invoices, "2026-10-30").dsoCountback).toBe(365);
  });

  test("a partial last slice inside the cap", () => {
    // AR 150: slice 1 holds 100 (covered, 30 d), slice 2 holds 100: 50 ÷ 100 × 30 = 15 → 45.0
    const invoices = [
      InvoiceMother.of({ issueDate: "2026-10-20", dueDate: "2026-11-19", amountMinor: 100n }),
      InvoiceMother.of({ issueDate: "2026-09-20", dueDate: "2026-10-20", amountMinor: 100n, payments: [{ paidOn: "2026-10-01", amountMinor: 50n }] }),
    ];
    expect(currencyMetrics("USD", invoices, "2026-10-30").dsoCountback).toBe(45);
  });

  test("CEI is null when its denominator is 0 and is not clamped", () => {
    const none = currencyMetrics("USD", [InvoiceMother.of({ issueDate: "2026-11-05", dueDate: "2026-12-05", amountMinor: 500n })], "2026-10-30");
    expect(none.cei).toBeNull(); // nothing issued by D: 0 + 0 − 0
    // A negative CEI: the ERP reported an old invoice closed on D−90 and open again later.
    const negative = currencyMetrics(
      "USD",
      [
        InvoiceMother.of({ issueDate: "2026-10-01", dueDate: "2026-10-02", amountMinor: 100n }),
        InvoiceMother.of({ issueDate: "2026-08-01", dueDate: "2026-08-02", amountMinor: 200n, snapshots: [{ asOf: "2026-08-01", balanceMinor: 0n }, { asOf: "2026-10-15", balanceMinor: 200n }] }),
      ],
      "2026-10-30",
    );
    // AR(08-01) = 0 (snapshot 0); sales = 100; AR(D) = 100 + 200 = 300; current = 0
    // (0 + 100 − 300) ÷ (0 + 100 − 0) × 100 = −200
    expect(negative.cei).toBe(-200);
  });

  test("disputed counts the open balance of invoices disputed at D, any bucket", () => {
    const invoices = [
      InvoiceMother.of({ issueDate: "2026-10-01", dueDate: "2026-11-30", amountMinor: 7000n, disputes: [{ openedOn: "2026-10-10", resolvedOn: null }] }),
      InvoiceMother.of({ issueDate: "2026-08-01", dueDate: "2026-08-31", amountMinor: 3000n, disputes: [{ openedOn: "2026-09-01", resolvedOn: "2026-09-10" }] }),
    ];
    const m = currencyMetrics("USD", invoices, "2026-10-30");
    expect(m.disputed).toBe(7000n);
    expect(m.overdue).toBe(3000n); // disputed invoices stay in overdue when overdue; the current one is current
  });

  test("currencies are never summed, and listed only with AR or sales", () => {
    const invoices = [
      InvoiceMother.of({ currency: "EUR", issueDate: "2026-10-01", dueDate: "2026-10-31", amountMinor: 5000n }),
      InvoiceMother.of({ currency: "USD", issueDate: "2026-10-01", dueDate: "2026-10-31", amountMinor: 7000n }),
      InvoiceMother.of({ currency: "GBP", issueDate: "2025-01-01", dueDate: "2025-01-31", amountMinor: 100n, payments: [{ paidOn: "2025-02-01", amountMinor: 100n }] }),
    ];
    const list = metricsByCurrency(invoices, "2026-10-30");
    expect(list.map((m) => [m.currency, m.ar])).toEqual([
      ["EUR", 5000n],
      ["USD", 7000n],
    ]);
  });

  test("a digest's header lists the currencies the metrics list, with their AR, buckets and disputed part", () => {
    const invoices = [
      InvoiceMother.of({ currency: "USD", issueDate: "2026-09-01", dueDate: "2026-09-20", amountMinor: 7000n, disputes: [{ openedOn: "2026-10-01", resolvedOn: null }] }),
      // Paid in full inside the period: AR 0, but sales, so listed.
      InvoiceMother.of({ currency: "EUR", issueDate: "2026-10-01", dueDate: "2026-10-31", amountMinor: 5000n, payments: [{ paidOn: "2026-10-20", amountMinor: 5000n }] }),
      // Paid long ago: neither AR nor sales, so not listed.
      InvoiceMother.of({ currency: "GBP", issueDate: "2025-01-01", dueDate: "2025-01-31", amountMinor: 100n, payments: [{ paidOn: "2025-02-01", amountMinor: 100n }] }),
      // Issued before the period and still owed: AR without sales, so listed.
      InvoiceMother.of({ currency: "JPY", issueDate: "2026-03-01", dueDate: "2026-03-31", amountMinor: 90000n }),
    ];
    const figures = figuresByCurrency(invoices, "2026-10-30");
    const none = { current: 0n, "1-30": 0n, "31-60": 0n, "61-90": 0n, "90+": 0n };
    expect(agingOfFigures(figures)).toEqual([
      { currency: "EUR", ar: 0n, buckets: none, disputed: 0n },
      { currency: "JPY", ar: 90000n, buckets: { ...none, "90+": 90000n }, disputed: 0n },
      { currency: "USD", ar: 7000n, buckets: { ...none, "31-60": 7000n }, disputed: 7000n },
    ]);
    expect(metricsOfFigures(figures).map((m) => m.currency)).toEqual(["EUR", "JPY", "USD"]);
  });
});
