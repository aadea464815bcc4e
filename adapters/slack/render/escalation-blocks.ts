import type { types } from "@slack/bolt";
import { EscalationView } from "../../../bot/views/escalation-view";
import { ACTIONS } from "../slack-ids";
import { clip, LIMITS } from "./limits";

/** What the Reassign button carries: the account and the escalation. */
export interface ReassignButtonValue {
  account: string;
  escalationId: number;
}

/**
 * An escalation message: the words (mrkdwn, already escaped) and, when the view names its
 * escalation, the three buttons of section 10: I'm on it, Snooze, Reassign.
 */
export function renderEscalationMessage(view: EscalationView, mrkdwn: string): { text: string; blocks: types.KnownBlock[] } {
  const text = clip(mrkdwn, 3900);
  const blocks: types.KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: clip(mrkdwn, LIMITS.sectionText) } }];
  if (view.escalationId !== null) {
    const reassign: ReassignButtonValue = { account: view.accountId, escalationId: view.escalationId };
    blocks.push({
      type: "actions",
      block_id: `escalation_${view.escalationId}`,
      elements: [
        { type: "button", style: "primary", text: { type: "plain_text", text: "I'm on it" }, action_id: ACTIONS.escalationAck, value: String(view.escalationId) },
        { type: "button", text: { type: "plain_text", text: "Snooze" }, action_id: ACTIONS.escalationSnooze, value: view.accountId },
        { type: "button", text: { type: "plain_text", text: "Reassign" }, action_id: ACTIONS.escalationReassign, value: JSON.stringify(reassign) },
      ],
    });
  }
  return { text, blocks };
}
