import { BusinessDate } from "../model/business-date";
import { CurrencyMetrics, metricsOfFigures } from "../policies/ar-metrics";
import { PriorityPolicy, Ranking, rankExposures } from "../policies/priority";
import { LedgerReader } from "../ports/ledger-reader.port";

export interface Digest {
  ranking: Ranking;
  /** Header figures: AR and aging per currency. */
  metrics: CurrencyMetrics[];
}

/**
 * The ranked overdue accounts at the end of day D with the portfolio's aging: the database
 * sums per account and per currency, the ranking runs here over those sums only.
 */
export async function prepareDigest(deps: { ledger: LedgerReader }, asOf: BusinessDate, policy: PriorityPolicy): Promise<Digest> {
  const [facts, figures] = await Promise.all([deps.ledger.rankingFacts(asOf), deps.ledger.currencyFigures(asOf)]);
  return { ranking: rankExposures(facts, asOf, policy), metrics: metricsOfFigures(figures) };
}
