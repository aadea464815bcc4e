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
