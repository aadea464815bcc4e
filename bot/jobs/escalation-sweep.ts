import { BusinessDate } from "../../domain/model/business-date";
import { formatMinor, formatMoney } from "../../domain/model/money";
import {
  DueEscalation,
  EscalationPolicy,
  SweepDecision,
  accountGroups,
  decideEscalations,
  emptyDecision,
  joinDecision,
  limitPerRecipient,
} from "../../domain/policies/escalation-policy";
import { Clock } from "../../domain/ports/clock.port";
import { EscalationChannelRef, EscalationDetail, EscalationSweepStore, Reachable, RecipientDraft, StoredRecipient } from "../../domain/ports/escalation-sweep.port";
import { LedgerReader } from "../../domain/ports/ledger-reader.port";
import { ChatSurface } from "../platform/chat-platform";
import { buildAutomaticEscalationView } from "../views/escalation-view";

export interface SweepDeps {
  ledger: LedgerReader;
  store: EscalationSweepStore;
  clock: Clock;
  policy: EscalationPolicy;
  log: (line: string) => void;
  /** Told after a sweep that recorded or closed escalations (the digest shows their levels). */
  changed?: () => void;
  /** Accounts read and decided at a time (default SWEEP_GROUP_ACCOUNTS); any size gives the same report. */
  groupSize?: number;
}

/** Accounts the sweep reads and decides at a time: a few MB of facts, tens of milliseconds of deciding. */
export const SWEEP_GROUP_ACCOUNTS = 1_000;

/** What the sweep needs of a platform: its name, its Notifier, its reading of its errors. */
export type SweepPlatform = Pick<ChatSurface, "name" | "notifier" | "failure">;

export type SweepStatus = "due" | "sent" | "failed" | "nobody";

/** `arbot sweep --json` (section 10), field for field. */
export interface SweepReport {
  asOf: BusinessDate;
  dryRun: boolean;
  escalations: {
    accountId: string;
    name: string;
    trigger: DueEscalation["trigger"];
    level: number;
    idleDays: number;
    /** Undisputed overdue at the as-of day per currency, decimal strings ("1400.00"), as on the account card. */
    overdue: Record<string, string>;
    invoice: string | null;
    recipients: { kind: string; who: string | null; platform: string | null }[];
    status: SweepStatus;
  }[];
  paused: { accountId: string; why: "open_promise" | "snoozed"; until: BusinessDate }[];
  /** Due, but one of its recipients already hears about AR_ESCALATION_DAILY_LIMIT accounts in this sweep: not claimed, due again next sweep. */
  deferred: { accountId: string; name: string; trigger: DueEscalation["trigger"]; level: number }[];
}

const CHANNEL_WORDS = "the escalation channel";
/** A recipient `sending` this long belongs to a sweep that stopped (a message takes seconds). */
const STALE_SENDING_MS = 10 * 60_000;

function detailOf(due: DueEscalation, told: string[], people: Map<number, Reachable>): EscalationDetail {
  return {
    owners: [...new Set(Object.values(due.owners).map((id) => people.get(id)?.label ?? `user ${id}`))],
    trigger: due.trigger,
    level: due.level,
    idleDays: due.idleDays,
    overdue: Object.fromEntries([...due.overdue].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, minor]) => [currency, formatMinor(minor, currency)])),
    invoice: due.invoice,
    told,
    ...(due.promise
      ? { promise: { currency: due.promise.currency, amount: formatMoney(due.promise.amountMinor, due.promise.currency), promisedOn: due.promise.promisedOn, brokenOn: due.promise.brokenOn } }
      : {}),
    ...(due.dispute ? { dispute: { invoice: due.dispute.invoiceNumber, reason: due.dispute.reason, openedOn: due.dispute.openedOn, openDays: due.dispute.openDays } } : {}),
  };
}

/**
 * One draft per recipient and platform: a person on each platform where arbot knows them
 * (a real sweep: each connected platform it can try by email too), a channel per escalation
 * channel; `unreachable`/`nobody` when there is no way at all.
 */
function draftsOf(due: DueEscalation, people: Map<number, Reachable>, channels: EscalationChannelRef[], connected: string[] | null): RecipientDraft[] {
  const drafts: RecipientDraft[] = [];
  for (const r of due.recipients) {
    if (r.kind === "channel") {
      if (channels.length === 0) drafts.push({ kind: "channel", userId: null, who: "", platform: "", status: "nobody" });
      for (const c of channels) drafts.push({ kind: "channel", userId: null, who: c.channelId, platform: c.platform, status: "pending" });
      continue;
    }
    const person = people.get(r.userId);
    const who = person?.label ?? `user ${r.userId}`;
    let platforms = person?.platforms ?? [];
    if (connected) {
      platforms = platforms.filter((p) => connected.includes(p));
      if (platforms.length === 0 && person?.email) platforms = connected;
    }
    if (platforms.length === 0) drafts.push({ kind: r.kind, userId: r.userId, who, platform: "", status: "unreachable" });
    for (const platform of platforms) drafts.push({ kind: r.kind, userId: r.userId, who, platform, status: "pending" });
  }
  return drafts;
}

function toldOf(due: DueEscalation, people: Map<number, Reachable>): string[] {
  return [...new Set(due.recipients.map((r) => (r.kind === "channel" ? CHANNEL_WORDS : people.get(r.userId)?.label ?? `user ${r.userId}`)))];
}

function statusOf(recipients: Pick<StoredRecipient, "status">[]): SweepStatus {
  if (recipients.some((r) => r.status === "sent")) return "sent";
  if (recipients.some((r) => r.status !== "unreachable" && r.status !== "nobody")) return "failed";
  return "nobody";
}

function reportEntry(due: DueEscalation): Omit<SweepReport["escalations"][number], "recipients" | "status"> {
  const overdue = Object.fromEntries([...due.overdue].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, minor]) => [currency, formatMinor(minor, currency)]));
  return { accountId: due.externalId, name: due.name, trigger: due.trigger, level: due.level, idleDays: due.idleDays, overdue, invoice: due.invoice };
}

function reportRecipients(recipients: Pick<RecipientDraft, "kind" | "who" | "platform">[]): SweepReport["escalations"][number]["recipients"] {
  return recipients.map((r) => ({ kind: r.kind, who: r.who === "" ? null : r.who, platform: r.platform === "" ? null : r.platform }));
}

/**
 * The decision of day D over the whole portfolio, a group of accounts at a time: each
 * group's ledger and sweep facts are read (the next group's while this one is decided),
 * decided and joined in the policy's order, then the group is let go. Memory stays that of
 * a group or two plus the decision, whatever the portfolio's size, and the event loop is
 * given back between groups, so a server keeps answering chat platforms during the sweep.
 */
export async function decideSweep(deps: SweepDeps, asOf: BusinessDate): Promise<SweepDecision> {
  const [accounts, ladder] = await Promise.all([deps.ledger.accountKeys(), deps.store.escalationLadder()]);
  const groups = accountGroups(accounts, deps.groupSize ?? SWEEP_GROUP_ACCOUNTS);
  const read = (accountIds: number[]) => {
    const facts = Promise.all([deps.ledger.loadLedger({ accountIds }), deps.store.sweepFacts(accountIds)]);
    facts.catch(() => undefined); // awaited below; a failure while the previous group is decided is not left unhandled
    return facts;
  };
  const decision = emptyDecision(asOf);
  let next = groups.length > 0 ? read(groups[0]!) : null;
  for (let i = 0; i < groups.length; i++) {
    const [ledger, facts] = await next!;
    next = i + 1 < groups.length ? read(groups[i + 1]!) : null;
    joinDecision(decision, decideEscalations({ ledger, ...facts, ...ladder }, deps.policy, asOf));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return decision;
}

/**
 * The escalation sweep of section 10. A dry run (any as-of day) sends and records
 * nothing. A real sweep (today only) claims each due escalation's row before sending, so
 * two sweeps at once, a rerun or a restart send nothing twice; it tells each recipient on
 * every connected platform that can reach them, asks the channel when nobody was reached,
 * retries recipients a 429/5xx kept from hearing an earlier sweep, and closes escalations
 * whose episode has ended and manual ones of accounts paid up.
 */
export async function runSweep(deps: SweepDeps, platforms: SweepPlatform[], options: { dryRun: boolean; asOf?: BusinessDate }): Promise<SweepReport> {
  const asOf = options.asOf ?? deps.clock.today();
  if (!options.dryRun && asOf !== deps.clock.today()) throw new Error("a sweep that sends runs for today only");
  const decision = await decideSweep(deps, asOf);
  const { kept, deferred } = limitPerRecipient(decision.escalations, deps.policy.dailyLimit);
  const userIds = kept.flatMap((e) => [...e.recipients.flatMap((r) => (r.userId === null ? [] : [r.userId])), ...Object.values(e.owners)]);
  const people = await deps.store.people(userIds);
  const connected = options.dryRun ? null : platforms.map((p) => p.name);
  const channels = await deps.store.escalationChannels(connected ?? undefined);
  const report: SweepReport = {
    asOf,
    dryRun: options.dryRun,
    escalations: [],
    paused: decision.paused.map((p) => ({ accountId: p.externalId, why: p.why, until: p.until })),
    deferred: deferred.map((e) => ({ accountId: e.externalId, name: e.name, trigger: e.trigger, level: e.level })),
  };

  const claimed: { due: DueEscalation; id: number }[] = [];
  if (deferred.length > 0) {
    deps.log(`escalation sweep ${asOf}: ${deferred.length} escalation(s) wait for the next sweep: someone already hears about ${deps.policy.dailyLimit} accounts in this one (AR_ESCALATION_DAILY_LIMIT)`);
  }
  for (const due of kept) {
    const drafts = draftsOf(due, people, channels, connected);
    const entry = reportEntry(due);
    if (options.dryRun) {
      report.escalations.push({ ...entry, recipients: reportRecipients(drafts), status: "due" });
      continue;
    }
    const id = await deps.store.claim({ key: due.key, accountId: due.accountId, episode: due.episode, detail: detailOf(due, toldOf(due, people), people), sentOn: asOf, at: deps.clock.now(), recipients: drafts });
    if (id === null) {
      deps.log(`escalation ${due.key}: claimed by another sweep`);
      continue;
    }
    claimed.push({ due, id });
  }
  if (options.dryRun) return report;

  const mine = new Set(claimed.map((c) => c.id));
  for (const { due, id } of claimed) {
    const recipients = await deliver(deps, platforms, id, channels);
    const entry = reportEntry(due);
    report.escalations.push({ ...entry, recipients: reportRecipients(recipients), status: statusOf(recipients) });
  }
  // A sweep that stopped mid-send (a crash): its messages in flight are not sent again.
  for (const id of await deps.store.interruptStale(STALE_SENDING_MS)) {
    deps.log(`escalation ${id}: a sweep stopped while sending it; what was in flight is not resent (it may have arrived), see the account's timeline`);
    await deps.store.settle(id, deps.clock.now());
  }
  // Recipients an earlier sweep could not reach for a passing reason (429, 5xx).
  for (const earlier of await deps.store.undelivered()) {
    if (mine.has(earlier.id)) continue;
    await deliver(deps, platforms, earlier.id, channels);
  }
  const closed = await deps.store.closeEnded(decision.live, decision.settled, deps.clock.now());
  if (claimed.length > 0 || closed > 0) deps.changed?.();
  deps.log(`escalation sweep ${asOf}: ${report.escalations.length} sent or tried, ${report.paused.length} paused, ${closed} closed`);
  return report;
}

/** Tells every pending recipient of one escalation once; returns the recipients as they ended. */
async function deliver(deps: SweepDeps, platforms: SweepPlatform[], escalationId: number, channels: EscalationChannelRef[]): Promise<StoredRecipient[]> {
  const byName = new Map(platforms.map((p) => [p.name, p]));
  const load = async () => (await deps.store.escalation(escalationId))!;
  let escalation = await load();
  if (!escalation.detail) return escalation.recipients;
  const base = { id: escalation.id, externalId: escalation.externalId, name: escalation.name, level: escalation.level, detail: escalation.detail };
  const attempt = async (r: StoredRecipient, send: (platform: SweepPlatform) => Promise<boolean>) => {
    const platform = byName.get(r.platform);
    if (!platform || !["pending", "retry"].includes(r.status)) return;
    if (!(await deps.store.startSending(r.id))) return;
    try {
      await deps.store.finishRecipient(r.id, (await send(platform)) ? "sent" : "unreachable", null);
    } catch (error) {
      const failure = platform.failure(error);
      deps.log(`escalation ${escalationId} to ${r.kind} ${r.who} on ${r.platform}: ${failure?.code ?? (error as Error).message}`);
      await deps.store.finishRecipient(r.id, failure?.permanent ? "failed" : "retry", failure?.code ?? (error as Error).message);
    }
  };

  const personView = buildAutomaticEscalationView(base, { to: "person" });
  for (const r of escalation.recipients.filter((x) => x.kind !== "channel")) {
    await attempt(r, (p) => p.notifier.pingOwner({ userId: r.userId!, email: r.who.includes("@") ? r.who : null }, personView));
  }
  escalation = await load();
  const persons = escalation.recipients.filter((r) => r.kind !== "channel");
  const unreached = [...new Set(persons.filter((r) => r.status === "unreachable" || r.status === "failed").map((r) => r.who))].filter(
    (who) => !persons.some((r) => r.who === who && r.status === "sent"),
  );
  const hasChannel = escalation.recipients.some((r) => r.kind === "channel");
  const settledPersons = persons.every((r) => !["pending", "retry", "sending"].includes(r.status));
  if (!hasChannel && persons.length > 0 && settledPersons && !persons.some((r) => r.status === "sent")) {
    // Nobody could be reached: the escalation channel says so.
    await deps.store.addRecipients(
      escalationId,
      channels.length > 0
        ? channels.map((c) => ({ kind: "channel" as const, userId: null, who: c.channelId, platform: c.platform, status: "pending" as const }))
        : [{ kind: "channel", userId: null, who: "", platform: "", status: "nobody" }],
    );
    escalation = await load();
  }
  const channelView = buildAutomaticEscalationView(base, { to: "channel", owners: base.detail.owners, unreached });
  for (const r of escalation.recipients.filter((x) => x.kind === "channel")) {
    await attempt(r, async (p) => {
      await p.notifier.askChannelToClaim({ platform: p.name, channelId: r.who }, channelView);
      return true;
    });
  }
  await deps.store.settle(escalationId, deps.clock.now());
  return (await load()).recipients;
}
