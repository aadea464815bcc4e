import { businessDateAt, formatHumanDate, isBusinessDate } from "../../domain/model/business-date";
import { isCurrency } from "../../domain/model/currency";
import { formatMoney, parseDecimal } from "../../domain/model/money";
import { TimelineEntry } from "../../domain/ports/workspace.port";
import { RankedAccount } from "../../domain/policies/priority";
import { AccountCard, CardPromise } from "../../domain/usecases/get-account-card";
import { scoreInWords } from "./reason-words";

/** Open invoices listed on the card; the rest are counted. */
export const CARD_OPEN_INVOICES = 15;

export interface AccountCardView {
  accountId: string;
  name: string;
  /** "Acme Corp (ACME)", or the name alone when the account is keyed by its name. */
  title: string;
  /** Labelled: "Segment: enterprise · Tier: strategic · Region: NA". */
  details: string;
  /** `credit`: unapplied credit notes, already taken off `open`; absent when none. */
  balances: { currency: string; open: string; overdue: string; disputed: string; maxDaysPastDue: number; credit?: string }[];
  openInvoices: { number: string; due: string; daysPastDue: number; open: string; disputed: boolean }[];
  /** "…and 12 more open invoices", when the list is cut. */
  moreInvoices: string | null;
  owners: { function: string; owner: string; since: string }[];
  openPromises: string[];
  /** The last broken promise, when none is open. */
  brokenPromise: string | null;
  /** "#3 of 37 in today's digest (score 87 = amount 40 + …)", or why it is not there; null when not computed. */
  priority: string | null;
  disputes: string[];
  timeline: { when: string; who: string; what: string }[];
  /** Whether this is a page of the history rather than the card's latest entries. */
  history: boolean;
  /** "Latest 10 of 42 entries" / "Entries 51–100 of 120", or null when everything is shown. */
  timelineNote: string | null;
  /** The command that shows the next page of the timeline, when there is more. */
  moreTimeline: string | null;
}

/** Timeline field names in words. */
const FIELD_WORDS: Record<string, string> = {
  dueDate: "due",
  issueDate: "issued",
  paidOn: "paid on",
  date: "by",
  reference: "reference",
  timeZone: "time zone",
  balance: "balance",
};

const FIELD_ORDER = ["text", "reason", "name", "owner", "issueDate", "dueDate", "paidOn", "date", "balance", "reference", "by", "to", "why"];

function fieldWords(key: string): string {
  return FIELD_WORDS[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function money(decimal: unknown, currency: string | null): string {
  const text = String(decimal);
  if (!currency || !isCurrency(currency)) return text;
  const parsed = parseDecimal(text, currency, ".");
  return parsed.ok ? formatMoney(parsed.minor, currency) : text;
}

function valueWords(key: string, value: unknown, currency: string | null): string {
  if (key === "text" || key === "reason") return `“${String(value)}”`;
  if (key === "balance" || key === "unapplied") return money(value, currency);
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (typeof value === "string" && isBusinessDate(value)) return formatHumanDate(value);
  return String(value);
}

function values(record: Record<string, unknown> | null, currencyOfSubject: string | null): string {
  if (!record) return "";
  // jsonb keeps its own key order: put the fields in the order people read them.
  const rank = (key: string) => (FIELD_ORDER.includes(key) ? FIELD_ORDER.indexOf(key) : FIELD_ORDER.length);
  const entries = Object.entries(record)
    .filter(([, v]) => v !== null && v !== undefined)
    .sort(([a], [b]) => rank(a) - rank(b));
  const currency = typeof record.currency === "string" ? record.currency : currencyOfSubject;
  const parts: string[] = [];
  if (record.amount !== undefined && record.amount !== null) parts.push(money(record.amount, currency));
  for (const [key, value] of entries) {
    if (key === "amount" || (key === "currency" && record.amount !== undefined)) continue;
    if (key === "why") {
      parts.push(`(${String(value)})`);
      continue;
    }
    const words = valueWords(key, value, currency);
    parts.push(key === "text" || key === "reason" ? words : `${fieldWords(key)} ${words}`);
  }
  return parts.join(", ");
}

/**
 * One timeline row in words: "claimed finance: owner dana@example.com", "invoice added INV-1:
 * USD 5,000.00, issued 1 Nov 2026, due 1 Dec 2026". `currencyOf` names an invoice's currency,
 * so amounts recorded without one are still written as money.
 */
export function describeActivity(entry: Pick<TimelineEntry, "kind" | "subject" | "before" | "after">, currencyOf: (subject: string) => string | null = () => null): string {
  const escalation = escalationWords(entry);
  if (escalation) return escalation;
  const label = entry.kind.replace(/_/g, " ");
  const subject = entry.subject ? ` ${entry.subject}` : "";
  const currency = entry.subject ? currencyOf(entry.subject) : null;
  const before = values(entry.before, currency);
  const after = values(entry.after, currency);
  const change = before && after ? `${before} → ${after}` : before ? `was ${before}` : after;
  return `${label}${subject}${change ? `: ${change}` : ""}`;
}

/** The sweep's own entries (section 10): what was sent to whom, what was acknowledged. */
function escalationWords(entry: Pick<TimelineEntry, "kind" | "subject" | "after">): string | null {
  const after = (entry.after ?? {}) as { level?: number; trigger?: string; to?: string[]; notReached?: string[] };
  const what = `${String(after.trigger ?? entry.subject ?? "").replace(/_/g, " ")}, level ${after.level ?? "?"}`;
  const missed = after.notReached?.length ? `; not reached: ${after.notReached.join(", ")}` : "";
  switch (entry.kind) {
    case "escalation_sent":
      return `escalation sent (${what}) to ${(after.to ?? []).join(", ")}${missed}`;
    case "escalation_unsent":
      return `escalation (${what}) reached nobody${missed}`;
    case "escalation_acknowledged":
      return `on it: acknowledged the escalation (level ${after.level ?? "?"})`;
    default:
      return null;
  }
}

function promiseWords(p: CardPromise): string {
  return `${formatMoney(p.amountMinor, p.currency)} by ${formatHumanDate(p.promisedOn)}${p.coveredMinor > 0n ? ` (${formatMoney(p.coveredMinor, p.currency)} paid so far)` : ""}`;
}

function timelineNote(card: AccountCard, query: string): { note: string | null; more: string | null } {
  const { offset, total, history } = card.timelinePage;
  const shown = card.timeline.length;
  const end = offset + shown;
  const nextPage = Math.floor(offset / Math.max(1, shown)) + 2;
  if (!history) {
    return end < total ? { note: `Latest ${shown} of ${total} entries: account ${query} history shows them all.`, more: `account ${query} history` } : { note: null, more: null };
  }
  if (total === 0) return { note: null, more: null };
  if (shown === 0) return { note: `The timeline has ${total} entries: this page is past the end.`, more: null };
  const more = end < total;
  return {
    note: `Entries ${offset + 1}–${end} of ${total}${more ? `: account ${query} history ${nextPage} for the next page` : ""}.`,
    more: more ? `account ${query} history ${nextPage}` : null,
  };
}

/** Where the account ranks in today's digest, with the parts of its score. */
export interface CardRanking {
  account: RankedAccount | null;
  /** How many accounts the digest ranks. */
  of: number;
}

function priorityWords(ranked: CardRanking): string {
  if (!ranked.account) return "not in today's digest (no undisputed overdue balance)";
  const a = ranked.account;
  return `#${a.rank} of ${ranked.of} in today's digest (${scoreInWords(a.score, a.scoreParts)})`;
}

export function buildAccountCardView(card: AccountCard, timeZone: string, ranked: CardRanking | null = null): AccountCardView {
  const a = card.account;
  const keyedByName = a.externalId.trim().toLowerCase() === a.name.trim().toLowerCase();
  // The follow-up commands name the account by its id, quoted when it has spaces.
  const query = /\s/.test(a.externalId) ? `"${a.externalId}"` : a.externalId;
  const page = timelineNote(card, query);
  const labelled: [string, string | null][] = [
    ["Segment", a.segment],
    ["Tier", a.tier],
    ["Region", a.region],
  ];
  return {
    accountId: a.externalId,
    name: a.name,
    title: keyedByName ? a.name : `${a.name} (${a.externalId})`,
    details: labelled
      .filter(([, v]) => v)
      .map(([label, v]) => `${label}: ${v}`)
      .join(" · "),
    balances: card.balances.map((b) => ({
      currency: b.currency,
      open: formatMoney(b.open, b.currency),
      overdue: formatMoney(b.overdue, b.currency),
      disputed: formatMoney(b.disputed, b.currency),
      maxDaysPastDue: b.maxDaysPastDue,
      ...(b.credit ? { credit: formatMoney(b.credit, b.currency) } : {}),
    })),
    openInvoices: card.openInvoices.slice(0, CARD_OPEN_INVOICES).map((i) => ({
      number: i.number,
      due: formatHumanDate(i.dueDate),
      daysPastDue: i.daysPastDue,
      open: formatMoney(i.openMinor, i.currency),
      disputed: i.disputed,
    })),
    moreInvoices: card.openInvoices.length > CARD_OPEN_INVOICES ? `…and ${card.openInvoices.length - CARD_OPEN_INVOICES} more open invoices` : null,
    owners: card.owners.map((o) => ({ function: o.function, owner: o.owner, since: formatHumanDate(businessDateAt(o.since, timeZone)) })),
    openPromises: card.openPromises.map(promiseWords),
    brokenPromise:
      card.openPromises.length === 0 && card.lastBrokenPromise ? `${promiseWords(card.lastBrokenPromise)}, broken on ${formatHumanDate(card.lastBrokenPromise.brokenOn)}` : null,
    priority: ranked ? priorityWords(ranked) : null,
    disputes: card.disputes.map((d) => `${d.invoiceNumber}: “${d.reason}” (${d.openedBy}, since ${formatHumanDate(d.openedOn)})`),
    timeline: card.timeline.map((t) => ({
      when: formatHumanDate(businessDateAt(t.at, timeZone)),
      who: t.actor,
      what: describeActivity(t, (subject) => card.invoiceCurrencies.get(subject) ?? null),
    })),
    history: card.timelinePage.history,
    timelineNote: page.note,
    moreTimeline: page.more,
  };
}

/** One open invoice in words: "INV-1  due 1 Nov 2026, 29 days past due  USD 5,000.00  disputed". */
export function openInvoiceWords(i: AccountCardView["openInvoices"][number]): string {
  const when = i.daysPastDue > 0 ? `due ${i.due}, ${i.daysPastDue} day${i.daysPastDue === 1 ? "" : "s"} past due` : `due ${i.due}, not yet due`;
  return `${i.number}  ${when}  ${i.open}${i.disputed ? "  disputed" : ""}`;
}
