/**
 * Prisma's `mode: "insensitive"` filters become PostgreSQL ILIKE patterns, in which `%`,
 * `_` and `\` (the default escape character) are special, and Prisma passes them through.
 * Escaped, what a person typed matches as written (`C10%`, `INV_7`), ignoring case.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
