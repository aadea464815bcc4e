import { checkForm as checkFormValues, FormCheck } from "../../bot/commands/form-check";
import { FormKind } from "../../bot/commands/grammar";
import { UnitOfWork } from "../../domain/ports/workspace.port";
import { FormMetadata } from "./render/modal-views";
import { CALLBACKS } from "./slack-ids";

import { TStateValues } from "./payloads";

export type { FormCheck };

export const FORM_OF_CALLBACK: Record<string, FormKind> = {
  [CALLBACKS.noteModal]: "note",
  [CALLBACKS.promiseModal]: "promise",
  [CALLBACKS.disputeModal]: "dispute",
  [CALLBACKS.snoozeModal]: "snooze",
};

/** A modal's state values (block id = action id) as the form's fields. */
function fieldsOf(values: TStateValues): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [id, cells] of Object.entries(values)) {
    const cell = cells?.[id];
    fields[id] = cell?.value ?? cell?.selected_date ?? "";
  }
  return fields;
}

/**
 * Validates a submitted modal before it is acknowledged (section 9: quick reads, 2 s), so
 * that field errors travel in the acknowledgement; saving happens after it. The rules are
 * bot/commands/form-check.ts's, shared with Teams dialogs.
 */
export function checkForm(form: FormKind, metadata: FormMetadata, values: TStateValues, uow: UnitOfWork, today: string): Promise<FormCheck> {
  return checkFormValues(form, metadata.account ? { account: metadata.account } : {}, fieldsOf(values), uow, today);
}
