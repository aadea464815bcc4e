import { EscalationOutcome } from "../../domain/usecases/escalate-account";

/** What an escalation message says, on any platform. */
export interface EscalationView {
  accountId: string;
  accountName: string;
  reason: string | null;
  raisedBy: string;
  /** Owners nobody could reach, when a channel is asked to follow up for them. */
  unreachedOwners?: string[];
}

export function buildEscalationView(escalation: EscalationOutcome, raisedBy: string): EscalationView {
  return { accountId: escalation.account.externalId, accountName: escalation.account.name, reason: escalation.reason, raisedBy };
}
