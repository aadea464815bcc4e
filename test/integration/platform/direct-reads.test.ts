import { OpenDatabase } from "../../../adapters/db/open-database";
import { createTestDatabase } from "../../support/test-database";
import { directTypes } from "../../../adapters/db/direct-sql";

let db: OpenDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 120_000);
afterAll(() => db?.close());

const VALUES = `SELECT 12345678901234567::int8 AS "big", 7::int AS "small", DATE '2026-11-20' AS "day", TIMESTAMP '2026-11-20 13:04:05.678' AS "at",
  TIMESTAMPTZ '2026-11-20 13:04:05.678+01' AS "zoned", true AS "yes", NULL::text AS "none", 'Acme' AS "text", '{"a":[1,"b"]}'::jsonb AS "json",
  ARRAY['x','y']::text[] AS "list", 1.5::float8 AS "real"`;

test("the hot reads that skip Prisma read every type as Prisma's raw queries do", async () => {
  const direct = await db.reads.$queryRawUnsafe<Record<string, unknown>[]>(VALUES);
  const viaPrisma = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(VALUES);
  expect(direct).toEqual(viaPrisma);
  expect(direct[0]).toEqual({
    big: 12345678901234567n,
    small: 7,
    day: new Date("2026-11-20T00:00:00.000Z"),
    at: new Date("2026-11-20T13:04:05.678Z"),
    zoned: new Date("2026-11-20T12:04:05.678Z"),
    yes: true,
    none: null,
    text: "Acme",
    json: { a: [1, "b"] },
    list: ["x", "y"],
    real: 1.5,
  });
});

test("the imports' direct SQL (pg's pool, or PGlite itself) reads every type as Prisma's raw queries do, in and out of its transactions", async () => {
  const viaPrisma = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(VALUES);
  expect(await db.direct!.$queryRawUnsafe(VALUES)).toEqual(viaPrisma);
  expect(await db.direct!.transaction((tx) => tx.$queryRawUnsafe(VALUES))).toEqual(viaPrisma);
});

test("parameters reach the database as Prisma passes them: numbers, text, arrays, timestamps as text", async () => {
  const sql = `SELECT $1::int + 1 AS "next", upper($2) AS "up", cardinality($3::text[]) AS "n", $4::timestamp AS "at"`;
  const args = [41, "acme", ["a", "b", "c"], "2026-11-20T13:04:05.678"];
  expect(await db.reads.$queryRawUnsafe(sql, ...args)).toEqual(await db.prisma.$queryRawUnsafe(sql, ...args));
  expect(await db.reads.$queryRawUnsafe(sql, ...args)).toEqual([{ next: 42, up: "ACME", n: 3, at: new Date("2026-11-20T13:04:05.678Z") }]);
});

test("dates and timestamps read as UTC whatever the machine's time zone (pg alone would read them in it)", () => {
  const read = (oid: number, text: string) => (directTypes.getTypeParser(oid, "text") as (t: string) => unknown)(text);
  expect(read(1082, "2026-11-20")).toEqual(new Date("2026-11-20T00:00:00.000Z"));
  expect(read(1114, "2026-11-20 13:04:05.678")).toEqual(new Date("2026-11-20T13:04:05.678Z"));
  expect(read(1184, "2026-11-20 13:04:05.678+01")).toEqual(new Date("2026-11-20T12:04:05.678Z"));
  expect(read(20, "12345678901234567")).toBe(12345678901234567n);
});
