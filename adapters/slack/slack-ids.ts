import { FORM_FIELDS } from "../../bot/commands/form-check";

/** Every slash command, action_id and callback_id arbot registers; the manifest test checks them. */
export const SLASH_COMMAND = "/ar";

export const ACTIONS = {
  digestClaim: "digest_claim",
  digestNote: "digest_note",
  digestPromise: "digest_promise",
  digestEscalate: "digest_escalate",
  digestShowAll: "digest_show_all",
  cardNote: "card_note",
  cardPromise: "card_promise",
  cardDispute: "card_dispute",
  cardHistory: "card_history",
  pagePrevious: "page_previous",
  pageNext: "page_next",
  escalationAck: "escalation_ack",
  escalationSnooze: "escalation_snooze",
  escalationReassign: "escalation_reassign",
} as const;

export const CALLBACKS = {
  noteModal: "note_modal",
  promiseModal: "promise_modal",
  disputeModal: "dispute_modal",
  snoozeModal: "snooze_modal",
  reassignModal: "reassign_modal",
  digestPages: "digest_pages",
} as const;

/** Input blocks of the modals: block_id and action_id alike. */
export const FIELDS = {
  ...FORM_FIELDS,
  ownerEmail: "owner_email",
  function: "function",
} as const;

/** Message metadata that marks a digest post with its run id (crash recovery). */
export const DIGEST_EVENT_TYPE = "arbot_digest";
