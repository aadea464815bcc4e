/**
 * adapter-pg reports a unique violation as Prisma's P2002; the PGlite adapter as a
 * DriverAdapterError whose message carries PostgreSQL's text. Idempotence relies on both.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; meta?: { code?: unknown } };
  if (e.code === "P2002" || e.code === "23505" || e.meta?.code === "23505") return true;
  if (typeof e.message === "string" && e.message.includes("duplicate key value violates unique constraint")) return true;
  return e.cause !== undefined && e.cause !== error && isUniqueViolation(e.cause);
}

/** The name of the constraint a unique violation broke, when the driver says (both adapters do). */
export function violatedConstraint(error: unknown): string | null {
  const e = error as { message?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown } } } } | null;
  if (!e || typeof e !== "object") return null;
  for (const text of [e.meta?.driverAdapterError?.cause?.originalMessage, e.message]) {
    const name = typeof text === "string" ? /violates unique constraint "([^"]+)"/.exec(text)?.[1] : undefined;
    if (name) return name;
  }
  return e.cause !== undefined && e.cause !== error ? violatedConstraint(e.cause) : null;
}
