import { businessDateAt, formatHumanDate } from "../../domain/model/business-date";
import { formatMoney } from "../../domain/model/money";
import { TimelineEntry } from "../../domain/ports/workspace.port";
import { AccountCard } from "../../domain/usecases/get-account-card";

export interface AccountCardView {
  accountId: string;
  name: string;
  details: string;
  /** `credit`: unapplied credit notes, already taken off `open`; absent when none. */
  balances: { currency: string; open: string; overdue: string; disputed: string; maxDaysPastDue: number; credit?: string }[];
  owners: { function: string; owner: string; since: string }[];
  openPromises: string[];
  disputes: string[];
  timeline: { when: string; who: string; what: string }[];
}

function values(record: Record<string, unknown> | null): string {
  if (!record) return "";
  const entries = Object.entries(record).filter(([, v]) => v !== null && v !== undefined);
  const currency = typeof record.currency === "string" ? record.currency : null;
  const parts: string[] = [];
  if (currency && record.amount !== undefined) parts.push(`${currency} ${String(record.amount)}`);
  for (const [key, value] of entries) {
    if (currency && (key === "amount" || key === "currency")) continue;
    parts.push(key === "text" || key === "reason" ? `“${String(value)}”` : `${key} ${String(value)}`);
  }
  return parts.join(", ");
}

/** One timeline row in words: "claimed finance: owner dana@example.com". */
export function describeActivity(entry: Pick<TimelineEntry, "kind" | "subject" | "before" | "after">): string {
  const label = entry.kind.replace(/_/g, " ");
  const subject = entry.subject ? ` ${entry.subject}` : "";
  const before = values(entry.before);
  const after = values(entry.after);
  const change = before && after ? `${before} → ${after}` : before ? `was ${before}` : after;
  return `${label}${subject}${change ? `: ${change}` : ""}`;
}

export function buildAccountCardView(card: AccountCard, timeZone: string): AccountCardView {
  const a = card.account;
  return {
    accountId: a.externalId,
    name: a.name,
    details: [a.tier, a.segment, a.region].filter(Boolean).join(" · "),
    balances: card.balances.map((b) => ({
      currency: b.currency,
      open: formatMoney(b.open, b.currency),
      overdue: formatMoney(b.overdue, b.currency),
      disputed: formatMoney(b.disputed, b.currency),
      maxDaysPastDue: b.maxDaysPastDue,
      ...(b.credit ? { credit: formatMoney(b.credit, b.currency) } : {}),
    })),
    owners: card.owners.map((o) => ({ function: o.function, owner: o.owner, since: formatHumanDate(businessDateAt(o.since, timeZone)) })),
    openPromises: card.openPromises.map(
      (p) => `${formatMoney(p.amountMinor, p.currency)} by ${formatHumanDate(p.promisedOn)}${p.coveredMinor > 0n ? ` (${formatMoney(p.coveredMinor, p.currency)} paid so far)` : ""}`,
    ),
    disputes: card.disputes.map((d) => `${d.invoiceNumber}: “${d.reason}” (${d.openedBy}, since ${formatHumanDate(d.openedOn)})`),
    timeline: card.timeline.map((t) => ({ when: formatHumanDate(businessDateAt(t.at, timeZone)), who: t.actor, what: describeActivity(t) })),
  };
}
