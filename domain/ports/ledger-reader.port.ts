import { BusinessDate } from "../model/business-date";
import { Ledger } from "../model/ledger";
import { CurrencyFigures, DigestFacts, DisputeFacts, PromiseFacts } from "../model/ledger-aggregates";

/**
 * Reads the dated facts the as-of computations evaluate: the whole ledger (what the
 * escalation sweep walks, and the reference for the rest), or the sums at one as-of date
 * that the digest and the stats need, computed where the data is.
 */
export interface LedgerReader {
  /**
   * The whole ledger; with `accountIds`, the ledger of those accounts only (their invoices
   * with snapshots, payments and disputes, claims, promises and human activity days), without
   * credit notes or escalations, which the sweep reads neither of.
   */
  loadLedger(scope?: { accountIds: readonly number[] }): Promise<Ledger>;
  /** Every account's id and external id: what the sweep splits the portfolio by. */
  accountKeys(): Promise<{ id: number; externalId: string }[]>;
  /**
   * What a digest reads at the end of day D: the per-account facts of the ranking (accounts
   * with undisputed overdue only) and each currency's aging, from one pass over the invoices.
   */
  digestFacts(asOf: BusinessDate): Promise<DigestFacts>;
  /** Per-currency sums at the end of day D behind the metrics of section 7. */
  currencyFigures(asOf: BusinessDate): Promise<CurrencyFigures[]>;
  promiseFacts(asOf: BusinessDate): Promise<PromiseFacts>;
  disputeFacts(asOf: BusinessDate): Promise<DisputeFacts>;
}
