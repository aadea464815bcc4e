import { BusinessDate, addDays, daysBetween } from "../model/business-date";
import { Currency } from "../model/currency";
import { Ledger, LedgerClaim } from "../model/ledger";
import { FUNCTIONS, TeamFunction } from "../model/team";
import { daysPastDue } from "./aging";
import { isDisputedAt, isIssuedBy, openBalanceAt } from "./open-balance";
import { groupBy } from "./priority";
import { accountPayments, evaluatePromises, promiseDeadline } from "./promises";

/**
 * The automatic escalation rules (ARCHITECTURE.md section 10), as one pure decision:
 * given what is known about every account, the rules' numbers and a day D, which
 * escalations are due and which accounts are paused. Sending is the job's business.
 */
export interface EscalationPolicy {
  /** AR_STALL_DAYS: idle days before an account is stalled. */
  stallDays: number;
  /** AR_STALL_DAYS_STRATEGIC: the same for tier `strategic`. */
  stallDaysStrategic: number;
  /** AR_ESCALATE_AFTER_DAYS: days at one level before the next. */
  escalateAfterDays: number;
  /** AR_DISPUTE_SLA_DAYS: days a dispute may stay open. */
  disputeSlaDays: number;
  /** AR_PROMISE_GRACE_DAYS. */
  promiseGraceDays: number;
  /** AR_ESCALATION_DAILY_LIMIT: escalations per person (or channel) in one sweep; the rest wait for the next. */
  dailyLimit: number;
}

export type EscalationTrigger = "stalled" | "broken_promise" | "dispute_sla";
export type EscalationLevel = 1 | 2 | 3;
export const TOP_LEVEL: EscalationLevel = 3;

/** A dispute as the SLA rule needs it. */
export interface SweepDispute {
  id: number;
  accountId: number;
  invoiceNumber: string;
  reason: string;
  /** The person who opened it; null when an import did. */
  openedById: number | null;
  openedOn: BusinessDate;
  resolvedOn: BusinessDate | null;
}

export interface SweepSnooze {
  accountId: number;
  /** The day it was asked for (an activity). */
  on: BusinessDate;
  /** Paused through this day. */
  until: BusinessDate;
  reason: string;
}

/** An escalation already recorded: which episode and level, and the day it was claimed. */
export interface SentEscalation {
  accountId: number;
  /** `stalled:<first idle day>`, `promise:<id>` or `dispute:<id>`. */
  episode: string;
  level: number;
  sentOn: BusinessDate;
}

export interface SweepFacts {
  /** Accounts, invoices, claims, promises, and the days people acted on each account. */
  ledger: Ledger;
  disputes: SweepDispute[];
  snoozes: SweepSnooze[];
  history: SentEscalation[];
  /** Lead user id of each function that has one. */
  leads: Partial<Record<TeamFunction, number>>;
  /** User ids of the administrators. */
  admins: number[];
}

export type RecipientKind = "owner" | "lead" | "admin" | "channel";

/** Who is told: a person (by user id) or the escalation channel. */
export type Recipient = { kind: "owner" | "lead" | "admin"; userId: number; function: TeamFunction | null } | { kind: "channel"; userId: null; function: null };

export interface DueEscalation {
  accountId: number;
  externalId: string;
  name: string;
  trigger: EscalationTrigger;
  level: EscalationLevel;
  /** Stable name of the episode: the rows of one episode share it. */
  episode: string;
  /** Unique key of this firing: one row per (account, episode, level), or per dispute. */
  key: string;
  idleDays: number;
  /** Undisputed overdue per currency. */
  overdue: Map<Currency, bigint>;
  /** The disputed invoice (dispute_sla), else null. */
  invoice: string | null;
  recipients: Recipient[];
  /** Owners by function at D (user ids), for the words ("who else was told"). */
  owners: Partial<Record<TeamFunction, number>>;
  promise?: { id: number; currency: Currency; amountMinor: bigint; coveredMinor: bigint; promisedOn: BusinessDate; brokenOn: BusinessDate };
  dispute?: SweepDispute & { openDays: number };
}

export interface PausedAccount {
  accountId: number;
  externalId: string;
  name: string;
  why: "open_promise" | "snoozed";
  until: BusinessDate;
}

export interface SweepDecision {
  asOf: BusinessDate;
  escalations: DueEscalation[];
  paused: PausedAccount[];
  /** Episodes still going on at D per account (the current stall or broken promise, open disputes): escalations of any other have ended. */
  live: Map<number, Set<string>>;
  /** Accounts with nothing undisputed overdue and no open dispute at D: a manual escalation of theirs has nothing left to chase. */
  settled: Set<number>;
}

export function isStrategic(tier: string | null): boolean {
  return tier?.trim().toLowerCase() === "strategic";
}

export function escalationKey(accountId: number, episode: string, level: number): string {
  return episode.startsWith("dispute:") ? episode : `${accountId}|${episode}|${level}`;
}

interface Exposure {
  overdue: Map<Currency, bigint>;
  oldestDue: BusinessDate;
}

function latest(dates: Iterable<BusinessDate>, asOf: BusinessDate): BusinessDate | null {
  let best: BusinessDate | null = null;
  for (const d of dates) if (d <= asOf && (best === null || d > best)) best = d;
  return best;
}

/** The owners at D from one account's claims, in the ledger's order (the later of two claims on one day wins). */
function ownersAt(claims: readonly LedgerClaim[], asOf: BusinessDate): Partial<Record<TeamFunction, number>> {
  const owners: Partial<Record<TeamFunction, number>> = {};
  const since: Partial<Record<TeamFunction, BusinessDate>> = {};
  for (const claim of claims) {
    if (claim.claimedOn > asOf) continue;
    if (claim.releasedOn !== null && claim.releasedOn <= asOf) continue;
    const seen = since[claim.function];
    if (seen === undefined || claim.claimedOn >= seen) {
      since[claim.function] = claim.claimedOn;
      owners[claim.function] = claim.userId;
    }
  }
  return owners;
}

function dedupe(recipients: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((r) => {
    const key = r.kind === "channel" ? "channel" : `user:${r.userId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Who hears a stall or broken-promise escalation at each level. */
export function recipientsAt(level: EscalationLevel, owners: Partial<Record<TeamFunction, number>>, facts: Pick<SweepFacts, "leads" | "admins">): Recipient[] {
  const owned = FUNCTIONS.filter((fn) => owners[fn] !== undefined);
  if (level === 1) {
    if (owned.length === 0) return [{ kind: "channel", userId: null, function: null }];
    return dedupe(owned.map((fn) => ({ kind: "owner", userId: owners[fn]!, function: fn })));
  }
  if (level === 2) {
    const functions: TeamFunction[] = owned.length > 0 ? owned : ["finance"];
    const leads: Recipient[] = functions.filter((fn) => facts.leads[fn] !== undefined).map((fn) => ({ kind: "lead", userId: facts.leads[fn]!, function: fn }));
    return dedupe([...leads, { kind: "channel", userId: null, function: null }]);
  }
  return dedupe([...facts.admins.map((id): Recipient => ({ kind: "admin", userId: id, function: null })), { kind: "channel", userId: null, function: null }]);
}

/** The order the sweep walks accounts in, and so the order of its decision: by external id, as JavaScript compares strings. */
export function byExternalId(a: { externalId: string }, b: { externalId: string }): number {
  return a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0;
}

/**
 * The accounts' ids in groups of at most `size`, in the order `decideEscalations` walks them.
 * Nothing in an account's decision depends on another account (only on the leads and
 * admins), so deciding each group on its own facts and joining the parts in this order
 * (`joinDecision`) is the decision over the whole portfolio, entry for entry and in order;
 * `limitPerRecipient`, which does compare accounts, then runs over the joined list.
 */
export function accountGroups(accounts: readonly { id: number; externalId: string }[], size: number): number[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`account group size must be a positive integer (got ${size})`);
  const ordered = [...accounts].sort(byExternalId);
  const groups: number[][] = [];
  for (let i = 0; i < ordered.length; i += size) groups.push(ordered.slice(i, i + size).map((a) => a.id));
  return groups;
}

/** An empty decision for day D, to join the decisions of the account groups into. */
export function emptyDecision(asOf: BusinessDate): SweepDecision {
  return { asOf, escalations: [], paused: [], live: new Map(), settled: new Set() };
}

/** Appends the decision of the next account group (in `accountGroups` order) to `into`. */
export function joinDecision(into: SweepDecision, part: SweepDecision): void {
  if (part.asOf !== into.asOf) throw new Error(`cannot join the decision of ${part.asOf} to that of ${into.asOf}`);
  for (const e of part.escalations) into.escalations.push(e);
  for (const p of part.paused) into.paused.push(p);
  for (const [accountId, episodes] of part.live) into.live.set(accountId, episodes);
  for (const accountId of part.settled) into.settled.add(accountId);
}

/**
 * Decides the sweep of day D:
 * - activity = a person's action on the account (claims, notes, promises, disputes,
 *   escalations, acknowledgements, snoozes: `ledger.humanActivityDays`) or a payment on its day;
 * - idle days = D − the later of the last activity and the due date of the oldest
 *   undisputed overdue invoice; stalled at `stallDays` (strategic: `stallDaysStrategic`);
 * - an open promise pauses the account through its date + grace, a snooze through its date;
 * - a promise broken (date + grace passed uncovered) with no activity since starts an
 *   episode at level 1 at once; a stall starts one at level 1;
 * - an episode climbs one level once the previous one has been sent `escalateAfterDays`
 *   ago, up to 3, and ends with the next activity;
 * - a dispute open `disputeSlaDays` is escalated once to its opener and the finance owner.
 */
export function decideEscalations(facts: SweepFacts, policy: EscalationPolicy, asOf: BusinessDate): SweepDecision {
  const { ledger } = facts;
  const exposures = new Map<number, Exposure>();
  for (const invoice of ledger.invoices) {
    if (!isIssuedBy(invoice, asOf) || isDisputedAt(invoice, asOf)) continue;
    if (daysPastDue(invoice.dueDate, asOf) < 1) continue;
    const balance = openBalanceAt(invoice, asOf);
    if (balance <= 0n) continue;
    const exposure = exposures.get(invoice.accountId) ?? { overdue: new Map(), oldestDue: invoice.dueDate };
    exposure.overdue.set(invoice.currency, (exposure.overdue.get(invoice.currency) ?? 0n) + balance);
    if (invoice.dueDate < exposure.oldestDue) exposure.oldestDue = invoice.dueDate;
    exposures.set(invoice.accountId, exposure);
  }
  const payments = accountPayments(ledger.invoices);
  const paymentDays = groupBy(payments, (p) => p.accountId);
  const outcomes = groupBy(evaluatePromises(ledger.promises, payments, asOf, policy.promiseGraceDays), (o) => o.promise.accountId);
  const history = groupBy(facts.history, (h) => h.accountId);
  const snoozes = groupBy(facts.snoozes, (s) => s.accountId);
  const disputes = groupBy(facts.disputes, (d) => d.accountId);
  const claims = groupBy(ledger.claims, (c) => c.accountId);

  const escalations: DueEscalation[] = [];
  const paused: PausedAccount[] = [];
  const live = new Map<number, Set<string>>();
  const alive = (accountId: number, episode: string) => live.set(accountId, (live.get(accountId) ?? new Set()).add(episode));
  for (const account of [...ledger.accounts].sort(byExternalId)) {
    const lastActivity = latest([...(ledger.humanActivityDays.get(account.id) ?? []), ...(paymentDays.get(account.id) ?? []).map((p) => p.paidOn)], asOf);
    const snooze = (snoozes.get(account.id) ?? []).filter((s) => s.on <= asOf && s.until >= asOf).sort((a, b) => (a.until < b.until ? 1 : -1))[0];
    const sent = history.get(account.id) ?? [];
    const owners = ownersAt(claims.get(account.id) ?? [], asOf);
    const base = { accountId: account.id, externalId: account.externalId, name: account.name };

    // dispute_sla: once per dispute, whatever the rest of the account does (a snooze waits).
    for (const dispute of disputes.get(account.id) ?? []) {
      if (dispute.openedOn > asOf || (dispute.resolvedOn !== null && dispute.resolvedOn <= asOf)) continue;
      const openDays = daysBetween(dispute.openedOn, asOf);
      const episode = `dispute:${dispute.id}`;
      alive(account.id, episode);
      if (openDays < policy.disputeSlaDays || snooze || sent.some((h) => h.episode === episode)) continue;
      const people: Recipient[] = [];
      if (dispute.openedById !== null) people.push({ kind: "owner", userId: dispute.openedById, function: null });
      if (owners.finance !== undefined) people.push({ kind: "owner", userId: owners.finance, function: "finance" });
      escalations.push({
        ...base,
        trigger: "dispute_sla",
        level: 1,
        episode,
        key: escalationKey(account.id, episode, 1),
        idleDays: daysBetween(latest([dispute.openedOn, ...(lastActivity ? [lastActivity] : [])], asOf)!, asOf),
        overdue: exposures.get(account.id)?.overdue ?? new Map(),
        invoice: dispute.invoiceNumber,
        recipients: people.length > 0 ? dedupe(people) : [{ kind: "channel", userId: null, function: null }],
        owners,
        dispute: { ...dispute, openDays },
      });
    }

    const exposure = exposures.get(account.id);
    if (!exposure) continue; // nothing undisputed overdue: nobody to chase
    const quietSince = lastActivity && lastActivity > exposure.oldestDue ? lastActivity : exposure.oldestDue;
    const idleDays = daysBetween(quietSince, asOf);

    const open = (outcomes.get(account.id) ?? []).filter((o) => o.status === "open");
    if (snooze) {
      paused.push({ ...base, why: "snoozed", until: snooze.until });
      continue;
    }
    if (open.length > 0) {
      const until = open.map((o) => promiseDeadline(o.promise, policy.promiseGraceDays)).sort().pop()!;
      paused.push({ ...base, why: "open_promise", until });
      continue;
    }

    // The latest promise broken with no activity since starts its own episode at once.
    const broken = (outcomes.get(account.id) ?? [])
      .filter((o) => o.status === "broken" && (lastActivity === null || lastActivity < o.outcomeOn!))
      .sort((a, b) => (a.outcomeOn! < b.outcomeOn! ? 1 : a.outcomeOn! > b.outcomeOn! ? -1 : b.promise.id - a.promise.id))[0];
    let trigger: EscalationTrigger;
    let episode: string;
    let firstDue: BusinessDate;
    if (broken) {
      trigger = "broken_promise";
      episode = `promise:${broken.promise.id}`;
      firstDue = broken.outcomeOn!;
    } else {
      trigger = "stalled";
      episode = `stalled:${quietSince}`;
      firstDue = addDays(quietSince, isStrategic(account.tier) ? policy.stallDaysStrategic : policy.stallDays);
    }
    alive(account.id, episode);
    const reached = sent.filter((h) => h.episode === episode).sort((a, b) => b.level - a.level)[0];
    let level: EscalationLevel;
    if (!reached) {
      if (asOf < firstDue) continue;
      level = 1;
    } else {
      if (reached.level >= TOP_LEVEL || asOf < addDays(reached.sentOn, policy.escalateAfterDays)) continue;
      level = (reached.level + 1) as EscalationLevel;
    }
    escalations.push({
      ...base,
      trigger,
      level,
      episode,
      key: escalationKey(account.id, episode, level),
      idleDays,
      overdue: exposure.overdue,
      invoice: null,
      recipients: recipientsAt(level, owners, facts),
      owners,
      ...(broken
        ? {
            promise: {
              id: broken.promise.id,
              currency: broken.promise.currency,
              amountMinor: broken.promise.amountMinor,
              coveredMinor: broken.coveredMinor,
              promisedOn: broken.promise.promisedOn,
              brokenOn: broken.outcomeOn!,
            },
          }
        : {}),
    });
  }
  const settled = new Set(ledger.accounts.filter((a) => !exposures.has(a.id) && !live.has(a.id)).map((a) => a.id));
  return { asOf, escalations, paused, live, settled };
}

const TRIGGER_URGENCY: Record<EscalationTrigger, number> = { broken_promise: 0, dispute_sla: 1, stalled: 2 };

/**
 * At most `limit` escalations per person (and for the escalation channel) in one sweep, the
 * most urgent first: higher levels, then broken promises, disputes past their SLA, stalls,
 * then the longest idle. The rest are deferred: not claimed, so the next sweep finds them
 * due again. Without it, the first sweep over an imported portfolio nobody has touched in
 * arbot would send one person hundreds of messages at once.
 */
export function limitPerRecipient(due: DueEscalation[], limit: number): { kept: DueEscalation[]; deferred: DueEscalation[] } {
  const order = due
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.level - a.e.level || TRIGGER_URGENCY[a.e.trigger] - TRIGGER_URGENCY[b.e.trigger] || b.e.idleDays - a.e.idleDays || a.i - b.i);
  const counts = new Map<string, number>();
  const keep = new Set<DueEscalation>();
  for (const { e } of order) {
    const keys = [...new Set(e.recipients.map((r) => (r.kind === "channel" ? "channel" : `user:${r.userId}`)))];
    if (keys.some((k) => (counts.get(k) ?? 0) >= limit)) continue;
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    keep.add(e);
  }
  return { kept: due.filter((e) => keep.has(e)), deferred: due.filter((e) => !keep.has(e)) };
}
