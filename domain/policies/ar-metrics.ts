import { BusinessDate, addDays } from "../model/business-date";
import { Currency } from "../model/currency";
import { LedgerCredit, LedgerInvoice } from "../model/ledger";
import { Bucket, bucketFor, daysPastDue, emptyBuckets } from "./aging";
import { creditsAt, isDisputedAt, isIssuedBy, openBalanceAt } from "./open-balance";
import { roundRatio } from "./rounding";

export const PERIOD_DAYS = 90;
const COUNTBACK_SLICE_DAYS = 30;
const COUNTBACK_CAP_DAYS = 365;

export interface CurrencyMetrics {
  currency: Currency;
  ar: bigint;
  overdue: bigint;
  disputed: bigint;
  buckets: Record<Bucket, bigint>;
  sales90: bigint;
  dsoStandard: number | null;
  dsoBestPossible: number | null;
  add: number | null;
  dsoCountback: number | null;
  cei: number | null;
}

/** AR(D): open balances of invoices issued ≤ D, less the credits unapplied at D. */
export function arAt(invoices: LedgerInvoice[], asOf: BusinessDate, credits: LedgerCredit[] = []): bigint {
  let total = -creditsAt(credits, asOf);
  for (const invoice of invoices) if (isIssuedBy(invoice, asOf)) total += openBalanceAt(invoice, asOf);
  return total;
}

/** Amounts of invoices issued in (from, to]. */
export function salesBetween(invoices: LedgerInvoice[], from: BusinessDate, to: BusinessDate): bigint {
  let total = 0n;
  for (const invoice of invoices) if (invoice.issueDate > from && invoice.issueDate <= to) total += invoice.amountMinor;
  return total;
}

/**
 * Countback DSO in exact days as a fraction: walk back 30-day slices of sales until they
 * account for the AR; a slice without sales counts as covered. Capped at 365.
 */
export function countbackDays(invoices: LedgerInvoice[], asOf: BusinessDate, ar: bigint): { numerator: bigint; denominator: bigint } {
  let remaining = ar;
  let wholeSlices = 0n;
  const cap = BigInt(COUNTBACK_CAP_DAYS);
  for (let k = 0; ; k++) {
    if (BigInt(COUNTBACK_SLICE_DAYS) * wholeSlices >= cap) return { numerator: cap, denominator: 1n };
    const end = addDays(asOf, -COUNTBACK_SLICE_DAYS * k);
    const start = addDays(asOf, -COUNTBACK_SLICE_DAYS * (k + 1));
    const slice = salesBetween(invoices, start, end);
    if (remaining >= slice) {
      remaining -= slice;
      wholeSlices += 1n;
      if (remaining === 0n) break;
      continue;
    }
    // days = 30 × wholeSlices + remaining ÷ slice × 30
    const numerator = 30n * (wholeSlices * slice + remaining);
    return numerator >= cap * slice ? { numerator: cap, denominator: 1n } : { numerator, denominator: slice };
  }
  const days = 30n * wholeSlices;
  return { numerator: days > cap ? cap : days, denominator: 1n };
}

/**
 * Every figure of `arbot stats` for one currency's invoices and credits (section 7). An
 * unapplied credit counts in the `current` bucket, never in overdue, and is not sales.
 */
export function currencyMetrics(currency: Currency, invoices: LedgerInvoice[], asOf: BusinessDate, credits: LedgerCredit[] = []): CurrencyMetrics {
  const buckets = emptyBuckets();
  buckets.current -= creditsAt(credits, asOf);
  let disputed = 0n;
  for (const invoice of invoices) {
    if (!isIssuedBy(invoice, asOf)) continue;
    const balance = openBalanceAt(invoice, asOf);
    if (balance === 0n) continue;
    buckets[bucketFor(daysPastDue(invoice.dueDate, asOf))] += balance;
    if (isDisputedAt(invoice, asOf)) disputed += balance;
  }
  const ar = buckets.current + buckets["1-30"] + buckets["31-60"] + buckets["61-90"] + buckets["90+"];
  const overdue = ar - buckets.current;
  const periodStart = addDays(asOf, -PERIOD_DAYS);
  const sales90 = salesBetween(invoices, periodStart, asOf);
  const days = BigInt(PERIOD_DAYS);

  let dsoStandard: number | null = null;
  let dsoBestPossible: number | null = null;
  let add: number | null = null;
  let dsoCountback: number | null = null;
  if (sales90 !== 0n) {
    dsoStandard = roundRatio(ar * days, sales90);
    dsoBestPossible = roundRatio(buckets.current * days, sales90);
    add = roundRatio((ar - buckets.current) * days, sales90);
    if (ar <= 0n) dsoCountback = 0;
    else {
      const countback = countbackDays(invoices, asOf, ar);
      dsoCountback = roundRatio(countback.numerator, countback.denominator);
    }
  } else if (ar <= 0n) {
    dsoCountback = 0;
  }

  const arPeriodStart = arAt(invoices, periodStart, credits);
  const ceiDenominator = arPeriodStart + sales90 - buckets.current;
  const cei = ceiDenominator === 0n ? null : roundRatio((arPeriodStart + sales90 - ar) * 100n, ceiDenominator);

  return { currency, ar, overdue, disputed, buckets, sales90, dsoStandard, dsoBestPossible, add, dsoCountback, cei };
}

/** Metrics per currency, listing a currency when its AR ≠ 0 or it had sales in the period. */
export function metricsByCurrency(invoices: LedgerInvoice[], asOf: BusinessDate, credits: LedgerCredit[] = []): CurrencyMetrics[] {
  const byCurrency = new Map<Currency, { invoices: LedgerInvoice[]; credits: LedgerCredit[] }>();
  const of = (currency: Currency) => {
    const entry = byCurrency.get(currency) ?? { invoices: [], credits: [] };
    byCurrency.set(currency, entry);
    return entry;
  };
  for (const invoice of invoices) of(invoice.currency).invoices.push(invoice);
  for (const credit of credits) of(credit.currency).credits.push(credit);
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, list]) => currencyMetrics(currency, list.invoices, asOf, list.credits))
    .filter((m) => m.ar !== 0n || m.sales90 !== 0n);
}
