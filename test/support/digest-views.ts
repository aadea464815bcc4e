import { DigestEntryView, DigestView } from "../../bot/views/digest-view";

/** A digest view of `count` ranked accounts, as the bot builds it, for renderer tests. */
export function digestViewOf(count: number, page: { offset?: number; limit?: number } = {}, name = (i: number) => `Account ${i}`): DigestView {
  const entries: DigestEntryView[] = Array.from({ length: count }, (_, i) => ({
    rank: i + 1,
    accountId: `A${String(i + 1).padStart(4, "0")}`,
    name: name(i + 1),
    score: 100 - (i % 100),
    scoreParts: { amount: 40, age: 30 },
    overdue: [{ currency: "USD", amount: "1000.00", display: "USD 1,000.00" }],
    maxDaysPastDue: 30 + (i % 90),
    reasons: [{ code: "no_owner", text: "no finance owner" }],
    amountText: "overdue USD at percentile 50",
    owners: { finance: i % 2 === 0 ? "dana@example.com" : null, sales: null, cs: null },
  }));
  const offset = page.offset ?? 0;
  const limit = page.limit ?? count;
  return {
    asOf: "2026-11-20",
    currencies: [{ currency: "USD", overdue: "USD 1,000.00", accounts: count, ar: "USD 2,000.00", aging: [{ bucket: "current", amount: "USD 1,000.00" }], disputed: null }],
    entries: entries.slice(offset, offset + limit),
    offset,
    limit,
    total: count,
  };
}

/** The header of a digest owing in `count` currencies, each with every aging bucket. */
export function currenciesOf(count: number): DigestView["currencies"] {
  return Array.from({ length: count }, (_, i) => {
    const currency = `C${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`;
    const money = `${currency} 1,234,567.89`;
    return {
      currency,
      overdue: money,
      accounts: 3,
      ar: money,
      aging: (["current", "1-30", "31-60", "61-90", "90+"] as const).map((bucket) => ({ bucket, amount: money })),
      disputed: money,
    };
  });
}
