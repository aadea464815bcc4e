import { addDays, formatHumanDate } from "../../domain/model/business-date";
import { EscalationDetail } from "../../domain/ports/escalation-sweep.port";
import { EscalationOutcome } from "../../domain/usecases/escalate-account";

/** Why an automatic escalation fired (section 10). */
export type EscalationTriggerWord = "stalled" | "broken_promise" | "dispute_sla";

/**
 * What an escalation message says, on any platform. Every sentence is plain text (no
 * markup): a platform escapes it and lays it out. A platform shows the three buttons of
 * section 10 (I'm on it, Snooze, Reassign) on every message whose `escalationId` is set,
 * carrying that id; bot/commands/interactions.ts does what they ask.
 */
export interface EscalationView {
  /** The escalation row the buttons act on; null: a message without buttons. */
  escalationId: number | null;
  accountId: string;
  accountName: string;
  reason: string | null;
  raisedBy: string;
  /** Owners nobody could reach, when a channel is asked to follow up for them. */
  unreachedOwners?: string[];
  /** An automatic escalation of the sweep; absent for a manual `escalate`. */
  automatic?: {
    trigger: EscalationTriggerWord;
    level: 1 | 2 | 3;
    /** One sentence: what is wrong, e.g. "Acme Corp has had no activity for 12 days (level 1 of 3)." */
    summary: string;
    /** Further facts, one sentence each: amount overdue, the broken promise or the dispute, who else was told. */
    facts: string[];
    /** What the reader is asked to do, one sentence. */
    ask: string;
  };
}

export function buildEscalationView(escalation: EscalationOutcome, raisedBy: string): EscalationView {
  return { escalationId: escalation.escalationId, accountId: escalation.account.externalId, accountName: escalation.account.name, reason: escalation.reason, raisedBy };
}

const TRIGGER_SUMMARY: Record<EscalationTriggerWord, (d: EscalationDetail, name: string) => string> = {
  stalled: (d, name) => `${name} has had no activity for ${d.idleDays} days`,
  broken_promise: (d, name) => `${name} broke its promise to pay ${d.promise ? `${d.promise.amount} by ${formatHumanDate(d.promise.promisedOn)}` : "on time"}`,
  dispute_sla: (d, name) => `The dispute on invoice ${d.dispute?.invoice ?? d.invoice} of ${name} has been open ${d.dispute?.openDays ?? "too many"} days`,
};

/** Who hears a level, in words, for the reader: "its owners", "the finance lead"… */
export const LEVEL_AUDIENCE: Record<1 | 2 | 3, string> = { 1: "the owners", 2: "the owners' leads and the escalation channel", 3: "the admins and the escalation channel" };

/**
 * The message of an automatic escalation, for a person (`person`) or a channel. The facts
 * come from the row's stored detail, so a retry says what the first attempt said.
 */
export function buildAutomaticEscalationView(
  e: { id: number; externalId: string; name: string; level: number; detail: EscalationDetail },
  audience: { to: "person" } | { to: "channel"; owners: string[]; unreached: string[] },
): EscalationView {
  const d = e.detail;
  const level = d.level;
  const summary = `${TRIGGER_SUMMARY[d.trigger](d, e.name)} (escalation level ${level} of 3).`;
  const facts: string[] = [];
  const overdue = Object.entries(d.overdue).map(([currency, amount]) => moneyWords(currency, amount));
  if (overdue.length > 0) facts.push(`Overdue: ${overdue.join(", ")}.`);
  if (d.trigger !== "stalled") facts.push(`No activity for ${d.idleDays} days.`);
  if (d.promise) facts.push(`Promised ${d.promise.amount} by ${formatHumanDate(d.promise.promisedOn)}; not paid in full by ${formatHumanDate(addDays(d.promise.brokenOn, -1))}.`);
  if (d.dispute) facts.push(`Disputed since ${formatHumanDate(d.dispute.openedOn)}: “${d.dispute.reason}”.`);
  if (d.told.length > 0) facts.push(`Told: ${d.told.join(", ")}.`);
  let ask: string;
  if (audience.to === "person") {
    ask =
      d.trigger === "dispute_sla"
        ? "Please get the dispute resolved: press I'm on it when you do, or Snooze with a date and a reason."
        : level === 1
          ? "You own it: press I'm on it when you follow up, Snooze it with a date and a reason, or Reassign it."
          : level === 2
            ? "You lead its owners' function: please make sure someone follows up."
            : "Nobody has acted on it after two reminders: please step in.";
  } else if (audience.unreached.length > 0) {
    ask = `Its owners (${audience.unreached.join(", ")}) could not be reached: can someone follow up? Type: account ${e.externalId}`;
  } else if (audience.owners.length === 0) {
    ask = `Nobody owns it: can someone claim it? Type: claim ${e.externalId}`;
  } else {
    ask = `Owners: ${audience.owners.join(", ")}. Can someone follow up?`;
  }
  return {
    escalationId: e.id,
    accountId: e.externalId,
    accountName: e.name,
    reason: null,
    raisedBy: "arbot",
    ...(audience.to === "channel" && audience.unreached.length > 0 ? { unreachedOwners: audience.unreached } : {}),
    automatic: { trigger: d.trigger, level: level as 1 | 2 | 3, summary, facts, ask },
  };
}

/** "USD 1,400.00" from a stored decimal string. */
export function moneyWords(currency: string, decimal: string): string {
  const [whole, fraction] = decimal.split(".") as [string, string | undefined];
  const negative = whole.startsWith("-");
  const grouped = (negative ? whole.slice(1) : whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${currency} ${negative ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}
