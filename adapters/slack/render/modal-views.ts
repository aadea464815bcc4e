import type { types } from "@slack/bolt";
import { FormKind } from "../../../bot/commands/grammar";
import { NOTE_MAX_LENGTH, REASON_MAX_LENGTH } from "../../../domain/model/free-text";
import { CALLBACKS, FIELDS } from "../slack-ids";
import { FUNCTION_LABELS, FUNCTIONS, TeamFunction } from "../../../domain/model/team";
import { clip, escapeMrkdwn, LIMITS } from "./limits";

/** What a form carries between opening and submission (private_metadata, ≤ 3000 chars). */
export interface FormMetadata {
  /** The account (external id) when known; else the form asks. */
  account?: string;
  accountName?: string;
  /** Prefill for the account or invoice field. */
  query?: string;
  channelId?: string;
}

function input(blockId: string, label: string, element: types.InputBlockElement, options: { optional?: boolean; hint?: string } = {}): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    label: { type: "plain_text", text: label },
    element,
    ...(options.optional ? { optional: true } : {}),
    ...(options.hint ? { hint: { type: "plain_text", text: options.hint } } : {}),
  };
}

function text(actionId: string, options: { initial?: string; multiline?: boolean; maxLength?: number; placeholder?: string } = {}): types.PlainTextInput {
  return {
    type: "plain_text_input",
    action_id: actionId,
    ...(options.initial ? { initial_value: options.initial } : {}),
    ...(options.multiline ? { multiline: true } : {}),
    ...(options.maxLength ? { max_length: options.maxLength } : {}),
    ...(options.placeholder ? { placeholder: { type: "plain_text", text: options.placeholder } } : {}),
  };
}

function accountBlocks(metadata: FormMetadata): types.KnownBlock[] {
  if (metadata.account) {
    const name = escapeMrkdwn(clip(metadata.accountName ?? metadata.account, 1000));
    return [{ type: "section", text: { type: "mrkdwn", text: clip(`*${name}* (${escapeMrkdwn(metadata.account)})`, LIMITS.sectionText) } }];
  }
  return [input(FIELDS.account, "Account", text(FIELDS.account, { initial: metadata.query, placeholder: "Customer id or part of the name" }))];
}

const TITLES: Record<FormKind, string> = { note: "Add a note", promise: "Record a promise", dispute: "Open a dispute", snooze: "Snooze escalations" };
const CALLBACK: Record<FormKind, string> = { note: CALLBACKS.noteModal, promise: CALLBACKS.promiseModal, dispute: CALLBACKS.disputeModal, snooze: CALLBACKS.snoozeModal };

/** The note, promise and dispute forms (section 5: the commands without arguments). */
export function renderFormModal(form: FormKind, metadata: FormMetadata, tomorrow: string): types.ModalView {
  let blocks: types.KnownBlock[];
  switch (form) {
    case "note":
      blocks = [...accountBlocks(metadata), input(FIELDS.noteText, "Note", text(FIELDS.noteText, { multiline: true, maxLength: NOTE_MAX_LENGTH }))];
      break;
    case "promise":
      blocks = [
        ...accountBlocks(metadata),
        input(FIELDS.amount, "Amount", text(FIELDS.amount, { placeholder: "5000 or 5000.50" })),
        input(FIELDS.currency, "Currency", text(FIELDS.currency, { placeholder: "USD" }), { optional: true, hint: "Leave empty when the account owes in one currency." }),
        input(FIELDS.date, "Promised by", { type: "datepicker", action_id: FIELDS.date, initial_date: tomorrow }),
      ];
      break;
    case "snooze":
      blocks = [
        ...accountBlocks(metadata),
        input(FIELDS.date, "No escalations through", { type: "datepicker", action_id: FIELDS.date, initial_date: tomorrow }),
        input(FIELDS.reason, "Why wait until then?", text(FIELDS.reason, { multiline: true, maxLength: REASON_MAX_LENGTH })),
      ];
      break;
    case "dispute":
      blocks = [
        input(FIELDS.invoice, "Invoice number", text(FIELDS.invoice, { initial: metadata.query })),
        input(FIELDS.reason, "What does the customer dispute?", text(FIELDS.reason, { multiline: true, maxLength: REASON_MAX_LENGTH })),
      ];
      break;
  }
  const privateMetadata = JSON.stringify(metadata);
  return {
    type: "modal",
    callback_id: CALLBACK[form],
    title: { type: "plain_text", text: clip(TITLES[form], LIMITS.modalTitle) },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: privateMetadata.length <= LIMITS.privateMetadata ? privateMetadata : JSON.stringify({ account: metadata.account, channelId: metadata.channelId }),
    blocks,
  };
}


/** The Reassign button's form: which function, and the new owner's email. */
export function renderReassignModal(metadata: FormMetadata, defaultFunction: TeamFunction): types.ModalView {
  const option = (fn: TeamFunction): types.PlainTextOption => ({ text: { type: "plain_text", text: FUNCTION_LABELS[fn] }, value: fn });
  return {
    type: "modal",
    callback_id: CALLBACKS.reassignModal,
    title: { type: "plain_text", text: "Reassign the account" },
    submit: { type: "plain_text", text: "Reassign" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: JSON.stringify({ account: metadata.account, channelId: metadata.channelId }),
    blocks: [
      ...accountBlocks(metadata),
      input(FIELDS.function, "For", { type: "static_select", action_id: FIELDS.function, options: FUNCTIONS.map(option), initial_option: option(defaultFunction) }),
      input(FIELDS.ownerEmail, "New owner's email", text(FIELDS.ownerEmail, { placeholder: "lee@example.com" }), { hint: "They need the role of that function, or admin." }),
    ],
  };
}
