import pg from "pg";
import { pgDirectSql } from "../../../../adapters/db/direct-sql";

/** A pool that records what it was asked and answers like a pooler that loses prepared statements. */
function poolLosing(code: string | null) {
  const sent: { text: string; name?: string }[] = [];
  const pool = {
    async query(config: { text: string; name?: string }) {
      sent.push({ text: config.text, ...(config.name ? { name: config.name } : {}) });
      if (config.name && code) throw Object.assign(new Error(`prepared statement "${config.name}" does not exist`), { code });
      return { rows: [{ ok: 1 }], rowCount: 1 };
    },
  };
  return { pool: pool as unknown as pg.Pool, sent };
}

test("hot reads are named prepared statements, one name per statement text", async () => {
  const { pool, sent } = poolLosing(null);
  const sql = pgDirectSql(pool, { prepare: true });
  await sql.$queryRawUnsafe("SELECT 1 AS ok");
  await sql.$queryRawUnsafe("SELECT 1 AS ok");
  await sql.$queryRawUnsafe("SELECT 2 AS ok");
  expect(sent.map((s) => s.name)).toEqual([sent[0]!.name, sent[0]!.name, expect.stringMatching(/^arbot_[0-9a-f]{16}$/)]);
  expect(sent[2]!.name).not.toBe(sent[0]!.name);
});

test.each(["26000", "42P05"])("a pooler that loses prepared statements (%s): the query runs again unprepared, nothing is prepared after, the log says why", async (code) => {
  const { pool, sent } = poolLosing(code);
  const log: string[] = [];
  const sql = pgDirectSql(pool, { prepare: true, log: (line) => log.push(line) });
  expect(await sql.$queryRawUnsafe("SELECT 1 AS ok")).toEqual([{ ok: 1 }]);
  expect(await sql.$queryRawUnsafe("SELECT 2 AS ok")).toEqual([{ ok: 1 }]);
  expect(sent).toEqual([{ text: "SELECT 1 AS ok", name: expect.any(String) }, { text: "SELECT 1 AS ok" }, { text: "SELECT 2 AS ok" }]);
  expect(log).toEqual([expect.stringContaining("pgbouncer=true")]);
});

test("other database errors are not retried", async () => {
  const { pool, sent } = poolLosing("23505");
  await expect(pgDirectSql(pool, { prepare: true }).$queryRawUnsafe("SELECT 1")).rejects.toMatchObject({ code: "23505" });
  expect(sent).toHaveLength(1);
});

test("?pgbouncer=true: nothing is prepared", async () => {
  const { pool, sent } = poolLosing(null);
  await pgDirectSql(pool, { prepare: false }).$queryRawUnsafe("SELECT 1 AS ok");
  expect(sent).toEqual([{ text: "SELECT 1 AS ok" }]);
});
