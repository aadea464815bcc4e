import { BusinessDate } from "../model/business-date";
import { PriorityPolicy, Ranking, rankAccounts } from "../policies/priority";
import { LedgerReader } from "../ports/ledger-reader.port";

/** Every account with an undisputed overdue balance at the end of day D, best first. */
export async function rankOverdueAccounts(deps: { ledger: LedgerReader }, asOf: BusinessDate, policy: PriorityPolicy): Promise<Ranking> {
  return rankAccounts(await deps.ledger.loadLedger(), asOf, policy);
}
