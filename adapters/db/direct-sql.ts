import { createHash } from "node:crypto";
import pg from "pg";
import { Sql } from "./sql-rows";

/** Where pg alone would read a column unlike Prisma's raw queries: int8 as text, dates and timestamps in the machine's zone. */
const PARSERS: Record<number, (text: string) => unknown> = {
  20: (text) => BigInt(text), // int8
  1082: (text) => new Date(`${text}T00:00:00.000Z`), // date
  1114: (text) => new Date(`${text.replace(" ", "T")}Z`), // timestamp: the UTC wall clock Prisma writes
  1184: (text) => new Date(text), // timestamptz
};
export const directTypes = {
  getTypeParser: (oid: number, format?: "text" | "binary") => PARSERS[oid] ?? pg.types.getTypeParser(oid, format ?? "text"),
};

/**
 * Raw SQL on the PostgreSQL pool, outside Prisma: the reads every chat request makes (who is
 * asking, its key, the account and its card, owner mentions) cost a quarter of the server's CPU
 * through Prisma's client (JSON protocol, WASM query plan) and a fraction of it here. Never in
 * a transaction (those run on the Prisma client); results read as Prisma's raw queries read them.
 *
 * `prepare`: each statement text is a named prepared statement on each connection, so
 * PostgreSQL plans it once, not at every request (an account card: 0.6 ms instead of 1.6–2.4
 * ms, most of it planning). Off behind a pooler in transaction mode (`?pgbouncer=true`), where
 * a statement prepared on one server connection may be run on another.
 */
export function directSql(pool: pg.Pool, options: { prepare: boolean }): Sql {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `arbot_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`));
    return name;
  };
  const query = (text: string, values: unknown[]) =>
    pool.query({ text, values, types: directTypes, ...(options.prepare ? { name: nameOf(text) } : {}) } as pg.QueryConfig);
  return {
    $queryRawUnsafe: async <T>(text: string, ...values: unknown[]) => (await query(text, values)).rows as T,
    $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await query(text, values)).rowCount ?? 0,
  };
}
