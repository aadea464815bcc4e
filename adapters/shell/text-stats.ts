import { formatHumanDate } from "../../domain/model/business-date";
import { formatMoney } from "../../domain/model/money";
import { BUCKETS } from "../../domain/policies/aging";
import { ArStats } from "../../domain/usecases/get-ar-stats";

const show = (value: number | null, unit = "") => (value === null ? "n/a" : `${value.toFixed(1)}${unit}`);

/** `arbot stats` as terminal text: one block per currency, then promises and disputes. */
export function renderStatsText(stats: ArStats): string {
  const lines = [`AR metrics at the end of ${formatHumanDate(stats.asOf)} (${stats.asOf})`];
  if (stats.currencies.length === 0) lines.push("", "No receivables and no sales in the last 90 days.");
  for (const m of stats.currencies) {
    const money = (v: bigint) => formatMoney(v, m.currency);
    lines.push(
      "",
      `${m.currency}`,
      `  AR ${money(m.ar)}   overdue ${money(m.overdue)}   disputed ${money(m.disputed)}`,
      `  aging: ${BUCKETS.map((b) => `${b} ${money(m.buckets[b])}`).join(" · ")}`,
      `  sales (90 days) ${money(m.sales90)}`,
      `  DSO ${show(m.dsoStandard, " d")} · countback ${show(m.dsoCountback, " d")} · best possible ${show(m.dsoBestPossible, " d")} · ADD ${show(m.add, " d")} · CEI ${show(m.cei, "%")}`,
    );
  }
  const p = stats.promises;
  lines.push(
    "",
    `Promises: ${p.open} open, ${p.kept} kept and ${p.broken} broken in the last 90 days${p.keptRate === null ? "" : ` (kept rate ${(p.keptRate * 100).toFixed(1)}%)`}`,
    `Disputes: ${stats.disputes.open} open${stats.disputes.oldestDays === null ? "" : `, oldest ${stats.disputes.oldestDays} days`}`,
  );
  return lines.join("\n");
}
