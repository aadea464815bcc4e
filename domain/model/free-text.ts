import { AppError } from "./app-error";

/**
 * The limits of text people type (notes, dispute and escalation reasons), checked by the
 * use cases and by a platform's form before it is acknowledged: one rule, one sentence.
 */
export const NOTE_MAX_LENGTH = 3000;
export const REASON_MAX_LENGTH = 500;

/** A note's text, trimmed; refused when empty or too long. */
export function checkNoteText(note: string): string {
  const text = note.trim();
  if (!text) throw new AppError("INVALID_INPUT", "The note is empty: write what happened.");
  if (text.length > NOTE_MAX_LENGTH) {
    throw new AppError("INVALID_INPUT", `A note holds ${NOTE_MAX_LENGTH} characters at most; this one has ${text.length}. Split it in two.`);
  }
  return text;
}

/** A reason, trimmed; null when empty and optional. */
export function checkReason(reason: string, required: boolean): string | null {
  const text = reason.trim();
  if (!text) {
    if (required) throw new AppError("INVALID_INPUT", "Give a reason: what does the customer dispute?");
    return null;
  }
  if (text.length > REASON_MAX_LENGTH) {
    throw new AppError("INVALID_INPUT", `A reason holds ${REASON_MAX_LENGTH} characters at most; this one has ${text.length}.`);
  }
  return text;
}
