/**
 * Raw SQL through the Prisma client's own connection (adapter-pg or PGlite), for set-based
 * work: Prisma's model calls cost far more in the process than in the database (query
 * compiler, JSON protocol, result mapping), ten times the server's time on bulk writes.
 * The Prisma client and its transactions are one; `direct-sql.ts` gives the driver's own,
 * for the imports' statements and the reads every chat request makes.
 */
export interface Sql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * A batch of rows as one JSON parameter, read in SQL with `jsonb_to_recordset($1::jsonb)`:
 * one round trip for any number of rows, no parameter limit, and the same text on PostgreSQL
 * and PGlite. BigInts travel as strings and are read back by the column type given in SQL.
 * Also one column's values, read with `json_array_elements_text`.
 */
export function rowsParam(rows: readonly unknown[]): string {
  // Without a replacer when the rows hold no BigInt (a replacer made JSON.stringify several
  // times slower): the first BigInt met throws at once, and the rows go again with one.
  try {
    return JSON.stringify(rows);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
  }
}

/** A `TIMESTAMP(3)` value as Prisma writes one: the UTC wall clock, no offset. */
export function dbTimestamp(at: Date): string {
  return at.toISOString().replace("Z", "");
}

/** A `@db.Date` column as `YYYY-MM-DD`, whatever the session's DateStyle. */
export function dateText(column: string): string {
  return `to_char(${column}, 'YYYY-MM-DD')`;
}

/** A `TIMESTAMP(3)` column (a UTC wall clock) as ISO text in UTC, whatever the driver does with timestamps. */
export function instantText(column: string): string {
  return `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The rows of a query as one JSON text: tens of thousands of rows cost the driver and
 * Prisma's raw-query mapping far more per cell than one string costs JSON.parse.
 */
export async function jsonRows<T>(db: Sql, sql: string, ...params: unknown[]): Promise<T[]> {
  const [row] = await db.$queryRawUnsafe<{ rows: string }[]>(`SELECT COALESCE(json_agg(r), '[]')::text AS "rows" FROM (${sql}) r`, ...params);
  return JSON.parse(row!.rows) as T[];
}

/**
 * The rows of a query that selects one JSON array per row, named `tuple`, as one JSON text:
 * for tens of thousands of rows, positions instead of keys repeated in every row make the
 * text and the parsed rows a fraction of `jsonRows`' size.
 */
export async function jsonTuples<T extends unknown[]>(db: Sql, sql: string, ...params: unknown[]): Promise<T[]> {
  const [row] = await db.$queryRawUnsafe<{ rows: string }[]>(`SELECT COALESCE(json_agg(r."tuple"), '[]')::text AS "rows" FROM (${sql}) r`, ...params);
  return JSON.parse(row!.rows) as T[];
}
