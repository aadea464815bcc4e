import { BusinessDate } from "../model/business-date";
import { CurrencyMetrics, metricsByCurrency } from "../policies/ar-metrics";
import { PriorityPolicy, Ranking, rankAccounts } from "../policies/priority";
import { LedgerReader } from "../ports/ledger-reader.port";

export interface Digest {
  ranking: Ranking;
  /** Header figures: AR and aging per currency. */
  metrics: CurrencyMetrics[];
}

/** The ranked overdue accounts at the end of day D with the portfolio's aging, from one load. */
export async function prepareDigest(deps: { ledger: LedgerReader }, asOf: BusinessDate, policy: PriorityPolicy): Promise<Digest> {
  const ledger = await deps.ledger.loadLedger();
  return { ranking: rankAccounts(ledger, asOf, policy), metrics: metricsByCurrency(ledger.invoices, asOf, ledger.credits) };
}
