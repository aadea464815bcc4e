import { AmbiguousMatch, AppError } from "../../domain/model/app-error";
import { checkNoteText, checkReason, REASON_MAX_LENGTH } from "../../domain/model/free-text";
import { findAccount, findInvoice } from "../../domain/usecases/find-account";
import { UnitOfWork } from "../../domain/ports/workspace.port";
import { Command, FormKind, GrammarError, parseAmountWords } from "./grammar";

/** The fields of the note, promise, dispute and snooze forms, on every platform. */
export const FORM_FIELDS = {
  account: "account",
  noteText: "note_text",
  amount: "amount",
  currency: "currency",
  date: "promised_on",
  invoice: "invoice",
  reason: "reason",
} as const;

/** What a person typed, by field id. */
export type FormValues = Record<string, string | undefined>;

const FIELDS = FORM_FIELDS;

function field(values: FormValues, id: string): string {
  return (values[id] ?? "").trim();
}

function message(error: unknown): string {
  if (error instanceof AmbiguousMatch || error instanceof AppError) return error.userMessage;
  if (error instanceof GrammarError) return error.message.split("\n")[0]!;
  throw error;
}

export type FormCheck = { errors: Record<string, string> } | { command: Command };

/**
 * Validates a submitted form (Slack modal, Teams dialog) before anything is saved: the
 * errors by field, each a sentence for the person, or the command the form stands for.
 * Quick reads only (Slack checks within its acknowledgement budget).
 */
export async function checkForm(form: FormKind, known: { account?: string }, values: FormValues, uow: UnitOfWork, today: string): Promise<FormCheck> {
  const errors: Record<string, string> = {};
  let account = known.account ?? null;
  if (form !== "dispute" && !account) {
    const typed = field(values, FIELDS.account);
    if (!typed) errors[FIELDS.account] = "Say which account: its id or part of its name.";
    else {
      try {
        account = (await uow.read((ws) => findAccount(ws, typed))).externalId;
      } catch (error) {
        errors[FIELDS.account] = message(error);
      }
    }
  }
  switch (form) {
    case "note": {
      const text = field(values, FIELDS.noteText);
      try {
        checkNoteText(text);
      } catch (error) {
        errors[FIELDS.noteText] = message(error);
      }
      return Object.keys(errors).length > 0 ? { errors } : { command: { kind: "note", query: account!, text } };
    }
    case "promise": {
      const currency = field(values, FIELDS.currency);
      let money: { amount: string; currency?: string } | null = null;
      try {
        money = parseAmountWords([field(values, FIELDS.amount), currency].filter(Boolean));
      } catch (error) {
        errors[/currency/i.test(message(error)) && currency ? FIELDS.currency : FIELDS.amount] = message(error);
      }
      const date = field(values, FIELDS.date);
      if (!date) errors[FIELDS.date] = "Pick the date the customer promised to pay by.";
      else if (date < today) errors[FIELDS.date] = "That date is in the past; a promise is for today or later.";
      return Object.keys(errors).length > 0 || !money ? { errors } : { command: { kind: "promise", query: account!, ...money, date } };
    }
    case "snooze": {
      const date = field(values, FIELDS.date);
      const reason = field(values, FIELDS.reason);
      if (!date) errors[FIELDS.date] = "Pick the last day without escalations.";
      else if (date <= today) errors[FIELDS.date] = "Pick a later day than today.";
      if (!reason) errors[FIELDS.reason] = "Give a reason: why wait until then?";
      else if (reason.length > REASON_MAX_LENGTH) errors[FIELDS.reason] = `A reason holds ${REASON_MAX_LENGTH} characters at most; this one has ${reason.length}.`;
      return Object.keys(errors).length > 0 ? { errors } : { command: { kind: "snooze", query: account!, date, reason } };
    }
    case "dispute": {
      const invoice = field(values, FIELDS.invoice);
      const reason = field(values, FIELDS.reason);
      if (!invoice) errors[FIELDS.invoice] = "Which invoice is disputed?";
      else {
        try {
          await uow.read((ws) => findInvoice(ws, invoice));
        } catch (error) {
          errors[FIELDS.invoice] = message(error);
        }
      }
      try {
        checkReason(reason, true);
      } catch (error) {
        errors[FIELDS.reason] = message(error);
      }
      return Object.keys(errors).length > 0 ? { errors } : { command: { kind: "dispute", invoice, reason } };
    }
  }
}
