import { createHash } from "node:crypto";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";
import { loadPg } from "./load-pg";
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
 * Not `numeric` (a sum of bigints: text here, a Decimal through Prisma), arrays of int8 or
 * timestamps, or `time`: a read casts money and dates to text in SQL, as every one does now.
 */
export interface DirectSql extends Sql {
  /** One transaction on one connection: committed when `work` resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs `work` as the only holder of the database's lock `name` (see `exclusive` below):
   * `waiting` is called once when another holds it, then this waits its turn.
   */
  exclusive<T>(name: string, work: () => Promise<T>, waiting?: () => void): Promise<T>;
}

/**
 * Locks held in this process, per database (its PGlite, or its Prisma client) and name: a
 * chain of holders, each let go when the one before ends.
 */
const heldHere = new WeakMap<object, Map<string, Promise<void>>>();

/** `exclusive` within this process: for PGlite, whose one process is the only one to open its folder. */
export async function exclusiveHere<T>(database: object, name: string, work: () => Promise<T>, waiting?: () => void): Promise<T> {
  let locks = heldHere.get(database);
  if (!locks) heldHere.set(database, (locks = new Map()));
  const before = locks.get(name);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const chain = (before ?? Promise.resolve()).then(() => mine);
  locks.set(name, chain);
  try {
    if (before) {
      waiting?.();
      await before;
    }
    return await work();
  } finally {
    release();
    if (locks.get(name) === chain) locks.delete(name);
  }
}

/**
 * An advisory lock of PostgreSQL, so that it holds across processes (an import from cron and
 * one typed by hand), keyed by arbot, the name and the schema (each test file's schema, or
 * organization's, is a database of its own). Taken in a transaction left open on a connection
 * from the pool for the duration (`pg_advisory_xact_lock`): the transaction pins one server
 * connection behind a pooler in transaction mode too, where a session lock could be taken on
 * one server connection and "released" on another; it is rolled back at the end (it writes
 * nothing), and the lock goes with it, as it does when the connection dies. It holds no
 * snapshot between statements, so it keeps nothing from vacuum.
 */
const ADVISORY_LOCK_CLASS = 0x61726274; // "arbt"

const INT8 = 20;

/** Where pg alone would read a column unlike Prisma's raw queries: int8 as text, dates and timestamps in the machine's zone. */
const PARSERS: Record<number, (text: string) => unknown> = {
  [INT8]: (text) => BigInt(text),
  1082: (text) => new Date(`${text}T00:00:00.000Z`), // date
  1114: (text) => new Date(`${text.replace(" ", "T")}Z`), // timestamp: the UTC wall clock Prisma writes
  1184: (text) => new Date(text), // timestamptz
};
/** pg itself loads only on PostgreSQL (open-database.ts), the only place these parsers run. */
let loadedTypes: typeof pg.types | undefined;
const pgTypes = (): typeof pg.types => (loadedTypes ??= loadPg().types);
export const directTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => PARSERS[oid] ?? pgTypes().getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

/** A pooler that does not keep prepared statements per client (PgBouncer before 1.21 in transaction mode, some hosted poolers). */
const PREPARED_STATEMENT_LOST = new Set(["26000", "42P05"]);

/**
 * `prepared.on`: each statement text is a named prepared statement on each connection, so
 * PostgreSQL plans it once, not at every request (an account card: 0.6 ms instead of 1.6–2.4
 * ms, most of it planning). Off behind a pooler in transaction mode (`?pgbouncer=true`), where
 * a statement prepared on one server connection may be run on another; a pooler nobody told
 * arbot about shows itself by losing one ("does not exist", "already exists"): that query
 * runs again unprepared and the pool prepares nothing from then on.
 */
function onPg(client: pg.Pool | pg.PoolClient, prepared: { on: boolean; onLost?: () => void }): Sql {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `arbot_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`));
    return name;
  };
  const unnamed = (text: string, values: unknown[]) => client.query({ text, values, types: directTypes });
  const query = async (text: string, values: unknown[]) => {
    if (!prepared.on) return unnamed(text, values);
    try {
      return await client.query({ text, values, types: directTypes, name: nameOf(text) });
    } catch (error) {
      if (!PREPARED_STATEMENT_LOST.has((error as { code?: string }).code ?? "")) throw error;
      prepared.on = false;
      prepared.onLost?.();
      return unnamed(text, values);
    }
  };
  return {
    $queryRawUnsafe: async <T>(text: string, ...values: unknown[]) => (await query(text, values)).rows as T,
    $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await query(text, values)).rowCount ?? 0,
  };
}

/** On PostgreSQL: the pool the Prisma client's adapter uses too. */
export function pgDirectSql(pool: pg.Pool, options: { prepare: boolean; log?: (line: string) => void } = { prepare: false }): DirectSql {
  const onLost = () => options.log?.("PostgreSQL lost a prepared statement: a pooler in transaction mode? arbot prepares nothing from now on (add pgbouncer=true to DATABASE_URL to say so)");
  return {
    ...onPg(pool, { on: options.prepare, onLost }),
    async exclusive<T>(name: string, work: () => Promise<T>, waiting?: () => void): Promise<T> {
      const client = await pool.connect();
      const key = `$1::int, hashtext($2 || ' ' || current_schema())`;
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        // A lock_timeout of the role's would end the wait with PostgreSQL's message: it waits.
        await client.query("SET LOCAL lock_timeout = 0");
        const [free] = (await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(${key}) AS "locked"`, [ADVISORY_LOCK_CLASS, name])).rows;
        if (!free!.locked) {
          waiting?.();
          await client.query(`SELECT pg_advisory_xact_lock(${key})`, [ADVISORY_LOCK_CLASS, name]);
        }
        return await work();
      } finally {
        // A connection that cannot end its transaction (and so its lock) is dropped, not reused.
        await client.query("ROLLBACK").catch((error: Error) => (broken = error));
        client.release(broken);
      }
    },
    async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(onPg(client, { on: false }));
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

const PGLITE_OPTIONS = { parsers: PARSERS };

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
    exclusive: (name, work, waiting) => exclusiveHere(pglite, name, work, waiting),
  };
}
