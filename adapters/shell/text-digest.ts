import { formatHumanDate } from "../../domain/model/business-date";
import { FUNCTIONS } from "../../domain/model/team";
import { DigestEntryView, DigestView } from "../../bot/views/digest-view";
import { scoreInWords } from "../../bot/views/reason-words";

function owners(entry: DigestEntryView): string {
  const named = FUNCTIONS.filter((fn) => entry.owners[fn]).map((fn) => `${fn} ${entry.owners[fn]}`);
  return named.length > 0 ? named.join(", ") : "unowned";
}

export function renderEntryText(entry: DigestEntryView): string[] {
  const overdue = entry.overdue.map((o) => o.display).join(" + ");
  const reasons = [...entry.reasons.map((r) => r.text), entry.amountText, ...(entry.escalation ? [entry.escalation] : [])];
  return [
    `${String(entry.rank).padStart(3)}. ${entry.name} (${entry.accountId})  ${overdue} overdue, ${entry.maxDaysPastDue} days past due`,
    `     owners: ${owners(entry)}`,
    `     why: ${reasons.join("; ")} (${scoreInWords(entry.score, entry.scoreParts)})`,
  ];
}

/** The digest as terminal text: header per currency, then rank, name, amounts, owners, reasons. */
export function renderDigestText(view: DigestView): string {
  const lines = [`Overdue digest for ${formatHumanDate(view.asOf)} (${view.asOf})`];
  if (view.total === 0) {
    lines.push("", "No account has an undisputed overdue balance. Nothing to chase today.");
    return lines.join("\n");
  }
  for (const c of view.currencies) {
    const aging = c.aging.map((a) => `${a.bucket} ${a.amount.replace(`${c.currency} `, "")}`).join(" · ");
    const disputed = c.disputed ? `; disputed ${c.disputed}` : "";
    lines.push(`  ${c.currency}: ${c.overdue} undisputed overdue across ${c.accounts} account${c.accounts === 1 ? "" : "s"} (AR ${c.ar}: ${aging}${disputed})`);
  }
  lines.push("");
  for (const entry of view.entries) lines.push(...renderEntryText(entry));
  const shown = view.offset + view.entries.length;
  if (shown < view.total || view.offset > 0) {
    lines.push("", `Showing ${view.offset + 1}–${shown} of ${view.total} accounts${shown < view.total ? " (digest all shows every one)" : ""}.`);
  }
  return lines.join("\n");
}
