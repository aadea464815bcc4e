import { createHash } from "node:crypto";
import { PGlite, Transaction } from "@electric-sql/pglite";
import pg from "pg";
import { Sql } from "./sql-rows";

/**
 * Raw SQL on the driver under the Prisma client (pg's pool, or the PGlite instance). Prisma's
 * raw queries cost about 0.4–6 ms of CPU each in the process whatever the query (its query
 * compiler and interpreter), plus about 45 ms per MB of parameter, against 0.1–0.3 ms and
 * 5 ms on the driver itself. Two users:
 * - the imports' set-based statements, a dozen per batch of 1 000 rows with JSON parameters
 *   of a few hundred kB, in their own transactions (`transaction`);
 * - the reads every chat request makes outside any transaction (who is asking, its
 *   idempotency key, the account and its card, owner mentions: `OpenDatabase.reads`), a
 *   quarter of the server's CPU per `/ar account` through Prisma.
 *
 * Results read as Prisma's raw queries read them: `bigint` columns as BigInt, dates and
 * timestamps as instants in UTC (never in the machine's zone), `int` as number, json parsed.
 */
export interface DirectSql extends Sql {
  /** One transaction on one connection: committed when `work` resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

const INT8 = 20;

/** Where pg alone would read a column unlike Prisma's raw queries: int8 as text, dates and timestamps in the machine's zone. */
const PARSERS: Record<number, (text: string) => unknown> = {
  [INT8]: (text) => BigInt(text),
  1082: (text) => new Date(`${text}T00:00:00.000Z`), // date
  1114: (text) => new Date(`${text.replace(" ", "T")}Z`), // timestamp: the UTC wall clock Prisma writes
  1184: (text) => new Date(text), // timestamptz
};
export const directTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => PARSERS[oid] ?? pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

/**
 * `prepare`: each statement text is a named prepared statement on each connection, so
 * PostgreSQL plans it once, not at every request (an account card: 0.6 ms instead of 1.6–2.4
 * ms, most of it planning). Off behind a pooler in transaction mode (`?pgbouncer=true`), where
 * a statement prepared on one server connection may be run on another.
 */
function onPg(client: pg.Pool | pg.PoolClient, prepare: boolean): Sql {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `arbot_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`));
    return name;
  };
  const query = (text: string, values: unknown[]) => client.query({ text, values, types: directTypes, ...(prepare ? { name: nameOf(text) } : {}) });
  return {
    $queryRawUnsafe: async <T>(text: string, ...values: unknown[]) => (await query(text, values)).rows as T,
    $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await query(text, values)).rowCount ?? 0,
  };
}

/** On PostgreSQL: the pool the Prisma client's adapter uses too. */
export function pgDirectSql(pool: pg.Pool, options: { prepare: boolean } = { prepare: false }): DirectSql {
  return {
    ...onPg(pool, options.prepare),
    async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(onPg(client, false));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped from the pool, not reused.
        await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

const PGLITE_OPTIONS = { parsers: { [INT8]: (value: string) => BigInt(value) } };

function onPglite(db: PGlite | Transaction): Sql {
  return {
    async $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T> {
      return (await db.query(query, values, PGLITE_OPTIONS)).rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      return (await db.query(query, values, PGLITE_OPTIONS)).affectedRows ?? 0;
    },
  };
}

/**
 * On embedded PGlite: its single connection. PGlite runs a transaction exclusively (other
 * queries, the Prisma client's included, wait for it), as the Prisma adapter's own do.
 */
export function pgliteDirectSql(pglite: PGlite): DirectSql {
  return {
    ...onPglite(pglite),
    transaction: <T>(work: (tx: Sql) => Promise<T>) => pglite.transaction((tx) => work(onPglite(tx))),
  };
}
