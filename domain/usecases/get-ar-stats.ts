import { BusinessDate, addDays, daysBetween } from "../model/business-date";
import { CurrencyMetrics, PERIOD_DAYS, metricsByCurrency } from "../policies/ar-metrics";
import { accountPayments, evaluatePromises } from "../policies/promises";
import { roundRatio } from "../policies/rounding";
import { LedgerReader } from "../ports/ledger-reader.port";

export interface ArStats {
  asOf: BusinessDate;
  currencies: CurrencyMetrics[];
  promises: { open: number; kept: number; broken: number; keptRate: number | null };
  disputes: { open: number; oldestDays: number | null };
}

/** The figures of `arbot stats` at the end of day D (section 7). */
export async function getArStats(deps: { ledger: LedgerReader }, asOf: BusinessDate, graceDays: number): Promise<ArStats> {
  const ledger = await deps.ledger.loadLedger();
  const outcomes = evaluatePromises(ledger.promises, accountPayments(ledger.invoices), asOf, graceDays);
  const periodStart = addDays(asOf, -PERIOD_DAYS);
  const inPeriod = (day: BusinessDate | null) => day !== null && day > periodStart && day <= asOf;
  const kept = outcomes.filter((o) => o.status === "kept" && inPeriod(o.outcomeOn)).length;
  const broken = outcomes.filter((o) => o.status === "broken" && inPeriod(o.outcomeOn)).length;

  let openDisputes = 0;
  let oldestOpened: BusinessDate | null = null;
  for (const invoice of ledger.invoices) {
    for (const dispute of invoice.disputes) {
      if (dispute.openedOn > asOf || (dispute.resolvedOn !== null && dispute.resolvedOn <= asOf)) continue;
      openDisputes++;
      if (oldestOpened === null || dispute.openedOn < oldestOpened) oldestOpened = dispute.openedOn;
    }
  }
  return {
    asOf,
    currencies: metricsByCurrency(ledger.invoices, asOf, ledger.credits),
    promises: {
      open: outcomes.filter((o) => o.status === "open").length,
      kept,
      broken,
      keptRate: kept + broken === 0 ? null : roundRatio(BigInt(kept), BigInt(kept + broken), 3),
    },
    disputes: { open: openDisputes, oldestDays: oldestOpened === null ? null : daysBetween(oldestOpened, asOf) },
  };
}
