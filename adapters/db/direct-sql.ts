import { PGlite, Transaction } from "@electric-sql/pglite";
import pg from "pg";
import { Sql } from "./sql-rows";

/**
 * Raw SQL on the driver under the Prisma client (pg's pool, or the PGlite instance), for
 * the imports' set-based statements. Prisma's raw queries cost about 6 ms of CPU each in
 * the process whatever the query (its query compiler and interpreter), plus about 45 ms per
 * MB of parameter, against 0.3 ms and 5 ms on the driver itself: an import runs a dozen
 * statements per batch of 1 000 rows, their JSON parameters a few hundred kB each.
 *
 * Results read as Prisma's raw queries read them where imports rely on it: `bigint`
 * columns as BigInt, `int` as number, text as string (dates are selected as text).
 */
export interface DirectSql extends Sql {
  /** One transaction on one connection: committed when `work` resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

const INT8 = 20;

const PG_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === INT8 ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

function onPg(client: pg.Pool | pg.PoolClient): Sql {
  return {
    async $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T> {
      return (await client.query({ text: query, values, types: PG_TYPES })).rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      return (await client.query({ text: query, values, types: PG_TYPES })).rowCount ?? 0;
    },
  };
}

/** On PostgreSQL: the pool the Prisma client's adapter uses too. */
export function pgDirectSql(pool: pg.Pool): DirectSql {
  return {
    ...onPg(pool),
    async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(onPg(client));
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
