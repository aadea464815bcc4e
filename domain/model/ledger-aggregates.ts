import { Bucket } from "../policies/aging";
import { BusinessDate } from "./business-date";
import { Currency } from "./currency";
import { LedgerClaim, LedgerPromise } from "./ledger";

/**
 * What the digest and the stats read at an as-of date D, summed where the data is instead of
 * loaded invoice by invoice: per account for the ranking, per currency for the metrics. The
 * policies compute the same figures from a whole Ledger (the reference the tests compare with).
 */

/** An account with an undisputed overdue balance at the end of day D. */
export interface AccountExposure {
  accountId: number;
  externalId: string;
  name: string;
  tier: string | null;
  /** Open balances > 0 of its undisputed invoices issued ≤ D and at least 1 day past due, per currency. */
  overdue: Map<Currency, bigint>;
  maxDaysPastDue: number;
  /** Due date of its oldest undisputed overdue invoice. */
  oldestDue: BusinessDate;
  /** Its invoices issued ≤ D with a dispute open at D, any balance. */
  disputedInvoices: number;
}

/** A payment as promises count it: on the account, in its invoice's currency. */
export interface PromisePayment {
  accountId: number;
  currency: Currency;
  paidOn: BusinessDate;
  amountMinor: bigint;
}

/** Promises made by D and the payments that can count toward them (same account and currency, dated from the earliest such promise to D). */
export interface PromiseFacts {
  promises: LedgerPromise[];
  payments: PromisePayment[];
}

export interface RankingFacts extends PromiseFacts {
  exposures: AccountExposure[];
  /** Claims of the exposed accounts that may be active at D (ownersAt decides). */
  claims: LedgerClaim[];
  /** The last day ≤ D a person changed something on the account. */
  lastHumanActivity: Map<number, BusinessDate>;
  /** The open escalation at D of an account: its highest level and the day that level was sent. */
  escalations: Map<number, { level: number; since: BusinessDate }>;
}

/** Number of 30-day slices countback DSO may walk before its 365-day cap. */
export const COUNTBACK_SLICES = 13;

/** One currency's sums at D, from which every metric of section 7 follows. */
export interface CurrencyFigures {
  currency: Currency;
  /** Open balances of invoices issued ≤ D by bucket; unapplied credits (negative) in `current`. */
  buckets: Record<Bucket, bigint>;
  /** Open balances of invoices with a dispute open at D. */
  disputed: bigint;
  /** Amounts of invoices issued in (D − 90, D]. */
  sales90: bigint;
  /** `[k]`: amounts of invoices issued in (D − 30(k+1), D − 30k], k < COUNTBACK_SLICES. */
  salesSlices: bigint[];
  /** AR at the end of D − 90, credits included. */
  arPeriodStart: bigint;
}

/** What a digest's header needs of a currency's figures: its aging at D and whether it had sales in the period. */
export type AgingFigures = Pick<CurrencyFigures, "currency" | "buckets" | "disputed" | "sales90">;

/** The digest's facts at D, read in one pass over the invoices: the ranking's and each currency's aging. */
export interface DigestFacts {
  ranking: RankingFacts;
  currencies: AgingFigures[];
}

/** Open disputes at D (on any invoice) and when the oldest was opened. */
export interface DisputeFacts {
  open: number;
  oldestOpenedOn: BusinessDate | null;
}
