import { compareCurrencies } from "../../domain/model/currency";
import { formatMinor } from "../../domain/model/money";
import { BUCKETS } from "../../domain/policies/aging";
import { Ranking } from "../../domain/policies/priority";
import { ArStats } from "../../domain/usecases/get-ar-stats";

/** `arbot stats --json` exactly as section 8 shows it. */
export function statsToJson(stats: ArStats): unknown {
  return {
    asOf: stats.asOf,
    currencies: Object.fromEntries(
      stats.currencies.map((m) => [
        m.currency,
        {
          ar: formatMinor(m.ar, m.currency),
          overdue: formatMinor(m.overdue, m.currency),
          disputed: formatMinor(m.disputed, m.currency),
          buckets: Object.fromEntries(BUCKETS.map((b) => [b, formatMinor(m.buckets[b], m.currency)])),
          sales90: formatMinor(m.sales90, m.currency),
          dsoStandard: m.dsoStandard,
          dsoCountback: m.dsoCountback,
          dsoBestPossible: m.dsoBestPossible,
          add: m.add,
          cei: m.cei,
        },
      ]),
    ),
    promises: stats.promises,
    disputes: stats.disputes,
  };
}

/** `arbot digest --json`: every qualifying account (section 8). */
export function rankingToJson(ranking: Ranking): unknown {
  return {
    asOf: ranking.asOf,
    accounts: ranking.accounts.map((a) => ({
      rank: a.rank,
      accountId: a.externalId,
      name: a.name,
      score: a.score,
      scoreParts: a.scoreParts,
      overdue: Object.fromEntries([...a.overdue.entries()].sort(([x], [y]) => compareCurrencies(x, y)).map(([c, v]) => [c, formatMinor(v, c)])),
      maxDaysPastDue: a.maxDaysPastDue,
      reasons: a.reasons,
      owners: a.owners,
    })),
    totals: Object.fromEntries(
      [...ranking.totals.entries()].sort(([x], [y]) => compareCurrencies(x, y)).map(([c, t]) => [c, { overdue: formatMinor(t.overdue, c), accounts: t.accounts }]),
    ),
  };
}
