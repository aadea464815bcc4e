import { BusinessDate, addDays } from "../model/business-date";
import { Currency, compareCurrencies } from "../model/currency";
import { LedgerCredit, LedgerInvoice } from "../model/ledger";
import { AgingFigures, COUNTBACK_SLICES, CurrencyFigures } from "../model/ledger-aggregates";
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

/** What a digest's header shows of a currency: AR at D, its aging buckets and the disputed part. */
export type CurrencyAging = Pick<CurrencyMetrics, "currency" | "ar" | "buckets" | "disputed">;

/** AR(D) from the buckets: credits are in `current`. */
const arOf = (buckets: Record<Bucket, bigint>) => buckets.current + buckets["1-30"] + buckets["31-60"] + buckets["61-90"] + buckets["90+"];

/** A currency is listed when its AR ≠ 0 or it had sales in the period. */
const isListed = (ar: bigint, sales90: bigint) => ar !== 0n || sales90 !== 0n;

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
  return countbackFromSlices(salesSlices(invoices, asOf), ar);
}

/** Sales of the 30-day slices back from D: `[k]` holds (D − 30(k+1), D − 30k]. */
export function salesSlices(invoices: LedgerInvoice[], asOf: BusinessDate): bigint[] {
  return Array.from({ length: COUNTBACK_SLICES }, (_, k) =>
    salesBetween(invoices, addDays(asOf, -COUNTBACK_SLICE_DAYS * (k + 1)), addDays(asOf, -COUNTBACK_SLICE_DAYS * k)),
  );
}

/** The countback walk over the slices' sales (COUNTBACK_SLICES of them reach the cap). */
export function countbackFromSlices(slices: bigint[], ar: bigint): { numerator: bigint; denominator: bigint } {
  let remaining = ar;
  let wholeSlices = 0n;
  const cap = BigInt(COUNTBACK_CAP_DAYS);
  for (let k = 0; ; k++) {
    if (BigInt(COUNTBACK_SLICE_DAYS) * wholeSlices >= cap) return { numerator: cap, denominator: 1n };
    const slice = slices[k] ?? 0n;
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
  return metricsFromFigures(currencyFigures(currency, invoices, asOf, credits));
}

/** The sums behind one currency's metrics, from its invoices and credits (the database computes the same in SQL). */
export function currencyFigures(currency: Currency, invoices: LedgerInvoice[], asOf: BusinessDate, credits: LedgerCredit[] = []): CurrencyFigures {
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
  const periodStart = addDays(asOf, -PERIOD_DAYS);
  return {
    currency,
    buckets,
    disputed,
    sales90: salesBetween(invoices, periodStart, asOf),
    salesSlices: salesSlices(invoices, asOf),
    arPeriodStart: arAt(invoices, periodStart, credits),
  };
}

/** The metrics of section 7 from one currency's sums at D. */
export function metricsFromFigures(figures: CurrencyFigures): CurrencyMetrics {
  const { currency, disputed, sales90, arPeriodStart } = figures;
  const buckets = { ...figures.buckets };
  const ar = arOf(buckets);
  const overdue = ar - buckets.current;
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
      const countback = countbackFromSlices(figures.salesSlices, ar);
      dsoCountback = roundRatio(countback.numerator, countback.denominator);
    }
  } else if (ar <= 0n) {
    dsoCountback = 0;
  }

  const ceiDenominator = arPeriodStart + sales90 - buckets.current;
  const cei = ceiDenominator === 0n ? null : roundRatio((arPeriodStart + sales90 - ar) * 100n, ceiDenominator);

  return { currency, ar, overdue, disputed, buckets, sales90, dsoStandard, dsoBestPossible, add, dsoCountback, cei };
}

/** Metrics of the currencies listed: AR ≠ 0 or sales in the period; in currency order. */
export function metricsOfFigures(figures: CurrencyFigures[]): CurrencyMetrics[] {
  return [...figures]
    .sort((a, b) => compareCurrencies(a.currency, b.currency))
    .map(metricsFromFigures)
    .filter((m) => isListed(m.ar, m.sales90));
}

/** The aging of the currencies metricsOfFigures lists, without the ratios a digest does not show. */
export function agingOfFigures(figures: AgingFigures[]): CurrencyAging[] {
  const aging: CurrencyAging[] = [];
  for (const { currency, buckets, disputed, sales90 } of [...figures].sort((a, b) => compareCurrencies(a.currency, b.currency))) {
    const ar = arOf(buckets);
    if (isListed(ar, sales90)) aging.push({ currency, ar, buckets: { ...buckets }, disputed });
  }
  return aging;
}

/** Metrics per currency, listing a currency when its AR ≠ 0 or it had sales in the period. */
export function metricsByCurrency(invoices: LedgerInvoice[], asOf: BusinessDate, credits: LedgerCredit[] = []): CurrencyMetrics[] {
  return metricsOfFigures(figuresByCurrency(invoices, asOf, credits));
}

/** Each currency's sums at D from the whole ledger: the reference for the database's aggregates. */
export function figuresByCurrency(invoices: LedgerInvoice[], asOf: BusinessDate, credits: LedgerCredit[] = []): CurrencyFigures[] {
  const byCurrency = new Map<Currency, { invoices: LedgerInvoice[]; credits: LedgerCredit[] }>();
  const of = (currency: Currency) => {
    const entry = byCurrency.get(currency) ?? { invoices: [], credits: [] };
    byCurrency.set(currency, entry);
    return entry;
  };
  for (const invoice of invoices) of(invoice.currency).invoices.push(invoice);
  for (const credit of credits) of(credit.currency).credits.push(credit);
  return [...byCurrency.entries()].map(([currency, list]) => currencyFigures(currency, list.invoices, asOf, list.credits));
}
