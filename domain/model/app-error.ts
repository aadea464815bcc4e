/**
 * A domain refusal: a stable code for programs and a sentence a finance person
 * understands. Each platform maps it to its own error surface in one place.
 */
export type ErrorCode =
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "AMBIGUOUS"
  | "ALREADY_CLAIMED"
  | "NOT_CLAIMED"
  | "INVALID_INPUT"
  | "ALREADY_DISPUTED"
  | "NOT_DISPUTED"
  | "CONFLICT";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly userMessage: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(userMessage);
  }
}

/**
 * A uniqueness rule of the database (one active owner per account and function, one open
 * dispute per invoice) refused a write because a concurrent change won: nothing was saved.
 * Use cases run once more (`runChange`) so the loser gets the answer the winner implies.
 */
export class WriteConflict extends AppError {
  constructor() {
    super("CONFLICT", "Someone changed this at the same moment and nothing was saved: try again.");
  }
}

/** Several accounts or invoices match what someone typed: never a guess. */
export interface Candidate {
  id: string;
  name: string;
}

export class AmbiguousMatch extends AppError {
  constructor(
    readonly query: string,
    readonly candidates: Candidate[],
    what: "account" | "invoice" = "account",
  ) {
    super(
      "AMBIGUOUS",
      `“${query}” matches ${candidates.length === 10 ? "10 or more" : candidates.length} ${what}s: ${candidates.map((c) => (c.id === c.name ? c.id : `${c.name} (${c.id})`)).join(", ")}. Use the id or more of the name.`,
      { candidates },
    );
  }
}
