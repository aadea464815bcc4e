import { BusinessDate, addDays, daysBetween } from "../model/business-date";
import { CurrencyMetrics, PERIOD_DAYS, metricsOfFigures } from "../policies/ar-metrics";
import { evaluatePromises } from "../policies/promises";
import { roundRatio } from "../policies/rounding";
import { LedgerReader } from "../ports/ledger-reader.port";

export interface ArStats {
  asOf: BusinessDate;
  currencies: CurrencyMetrics[];
  promises: { open: number; kept: number; broken: number; keptRate: number | null };
  disputes: { open: number; oldestDays: number | null };
}

/** The figures of `arbot stats` at the end of day D (section 7), from the database's sums at D. */
export async function getArStats(deps: { ledger: LedgerReader }, asOf: BusinessDate, graceDays: number): Promise<ArStats> {
  const [figures, promiseFacts, disputes] = await Promise.all([deps.ledger.currencyFigures(asOf), deps.ledger.promiseFacts(asOf), deps.ledger.disputeFacts(asOf)]);
  const outcomes = evaluatePromises(promiseFacts.promises, promiseFacts.payments, asOf, graceDays);
  const periodStart = addDays(asOf, -PERIOD_DAYS);
  const inPeriod = (day: BusinessDate | null) => day !== null && day > periodStart && day <= asOf;
  const kept = outcomes.filter((o) => o.status === "kept" && inPeriod(o.outcomeOn)).length;
  const broken = outcomes.filter((o) => o.status === "broken" && inPeriod(o.outcomeOn)).length;
  return {
    asOf,
    currencies: metricsOfFigures(figures),
    promises: {
      open: outcomes.filter((o) => o.status === "open").length,
      kept,
      broken,
      keptRate: kept + broken === 0 ? null : roundRatio(BigInt(kept), BigInt(kept + broken), 3),
    },
    disputes: { open: disputes.open, oldestDays: disputes.oldestOpenedOn === null ? null : daysBetween(disputes.oldestOpenedOn, asOf) },
  };
}
