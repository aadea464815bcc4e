import { BusinessDate } from "../model/business-date";
import { CurrencyAging, agingOfFigures } from "../policies/ar-metrics";
import { PriorityPolicy, Ranking, rankExposures } from "../policies/priority";
import { LedgerReader } from "../ports/ledger-reader.port";

export interface Digest {
  ranking: Ranking;
  /** Header figures: AR and aging per currency. */
  aging: CurrencyAging[];
}

/**
 * The ranked overdue accounts at the end of day D with the portfolio's aging: the database
 * sums per account and per currency, the ranking runs here over those sums only.
 */
export async function prepareDigest(deps: { ledger: LedgerReader }, asOf: BusinessDate, policy: PriorityPolicy): Promise<Digest> {
  const facts = await deps.ledger.digestFacts(asOf);
  return { ranking: rankExposures(facts.ranking, asOf, policy), aging: agingOfFigures(facts.currencies) };
}
