/**
 * `npm run bench` (issue 10 item 6): arbot's work against a reference doing the same work in
 * the same run and database, so the ratios compare across machines. It never passes or fails
 * on a number; it does fail when arbot's totals and the reference's differ.
 *
 *   BENCH_SIZES=1000,10000,50000   portfolio sizes in accounts (default 1000,10000)
 *   BENCH_DATABASE_URL=postgresql://…  PostgreSQL to measure on, in the schema BENCH_SCHEMA
 *                                  (default `bench`, dropped and made anew; never `public`)
 *   BENCH_PGLITE_MAX=10000         largest size also measured on embedded PGlite (0: none)
 *   BENCH_RUNS=3                   runs per timed read and re-import (the median is kept),
 *                                  and rounds of each Slack burst (percentiles over all)
 *   BENCH_SLACK=1                  also load `arbot serve` over Slack against an empty Bolt
 *                                  app (PostgreSQL only: the server is a second process)
 *
 * Prints one table and writes bench/results/latest.json.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PrismaClient } from "../adapters/db/generated/client";
import { pgliteDirectSql } from "../adapters/db/direct-sql";
import { applyMigrationsDirectly } from "../adapters/db/migrations";
import { OpenDatabase, openDatabase } from "../adapters/db/open-database";
import { pgliteAdapter } from "../adapters/db/pglite-adapter";
import { projectRoot } from "../adapters/db/project-root";
import { SystemClock } from "../bot/clock";
import { loadOrganizationConfig } from "../bot/config";
import { App, createApp } from "../bot/main";
import { runImport } from "../bot/run-import";
import { ImportKind } from "../domain/model/imports";
import { getArStats } from "../domain/usecases/get-ar-stats";
import { prepareDigest } from "../domain/usecases/prepare-digest";
import { PortfolioFiles, writePortfolio } from "./portfolio";
import { SlackLoadResult, slackLoadInChild } from "./slack-load";

const AS_OF = "2026-11-20";
const NOW = new Date(`${AS_OF}T12:00:00Z`);
const ROOT = projectRoot();

interface Result {
  database: "postgres" | "pglite";
  accounts: number;
  work: string;
  ms: number;
  rows?: number;
  reference: string;
  referenceMs: number;
}

/** Runs SQL for the references, on the same database arbot uses. */
interface Raw {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Loads a CSV file into a table as PostgreSQL's COPY does (the file's first line a header unless `header` is false). */
  copy(table: string, columns: string, file: string, header?: boolean): Promise<void>;
}

interface Bench {
  database: Result["database"];
  db: OpenDatabase;
  raw: Raw;
  /**
   * Before each timed piece of work: PostgreSQL writes the pages the work before left dirty
   * now (`CHECKPOINT`), not while the next work (or its reference) is measured. Without it the
   * Slack bursts after the 50 000-account imports shared the machine with the checkpointer
   * (replies at 1.7× the empty app's, 1.1–1.5× on a settled database). `CHECKPOINT` needs a
   * superuser or `pg_checkpoint`; without either the bench says so once and goes on.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

async function median<T>(runs: number, work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const all: { ms: number; result: T }[] = [];
  for (let i = 0; i < runs; i++) all.push(await timed(work));
  all.sort((a, b) => a.ms - b.ms);
  return all[Math.floor(all.length / 2)]!;
}

function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function postgresSchema(): string {
  const schema = process.env.BENCH_SCHEMA ?? "bench";
  if (!/^[a-z_][a-z0-9_]*$/.test(schema) || schema === "public") throw new Error(`BENCH_SCHEMA must be a plain schema name other than public (got "${schema}")`);
  return schema;
}

async function openPostgresBench(url: string): Promise<Bench> {
  const schema = postgresSchema();
  const client = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.query(`CREATE SCHEMA "${schema}"`);
  await applyMigrationsDirectly((sql) => client.query(sql));
  const db = await openDatabase({ kind: "postgres", url, schema }, { command: "bench" });
  let canCheckpoint = true;
  const raw: Raw = {
    query: async (sql, params) => (await client.query(sql, params)).rows,
    // Server-side COPY reads the file as the server: the files are world-readable.
    copy: async (table, columns, file, header = true) => void (await client.query(`COPY ${table} (${columns}) FROM '${file}' WITH (FORMAT csv, HEADER ${header})`)),
  };
  return {
    database: "postgres",
    db,
    raw,
    settle: async () => {
      if (!canCheckpoint) return;
      await client.query("CHECKPOINT").catch((error: Error) => {
        canCheckpoint = false;
        console.log(`CHECKPOINT before each measurement refused (${error.message}): later measurements may include earlier work's writes`);
      });
    },
    close: async () => {
      await db.close();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

async function openPgliteBench(): Promise<Bench> {
  const pglite = new PGlite();
  await pglite.waitReady;
  await applyMigrationsDirectly((sql) => pglite.exec(sql));
  const prisma = new PrismaClient({ adapter: pgliteAdapter(pglite) });
  const direct = pgliteDirectSql(pglite);
  const db: OpenDatabase = { prisma, reads: direct, target: { kind: "pglite", dataDir: null }, direct, close: () => prisma.$disconnect() };
  const raw: Raw = {
    query: async (sql, params) => (await pglite.query(sql, params)).rows as never,
    copy: async (table, columns, file, header = true) =>
      void (await pglite.query(`COPY ${table} (${columns}) FROM '/dev/blob' WITH (FORMAT csv, HEADER ${header})`, [], { blob: new Blob([fs.readFileSync(file)]) })),
  };
  return {
    database: "pglite",
    db,
    raw,
    // In memory: nothing to write.
    settle: async () => {},
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** The CSV files as plain typed tables with their natural key: what COPY alone costs. */
const REFERENCE_TABLES: Record<ImportKind, { columns: string; ddl: string; key: string }> = {
  accounts: {
    columns: "account_id, name, segment, tier, region, finance_owner_email, sales_owner_email, cs_owner_email",
    ddl: "account_id text PRIMARY KEY, name text NOT NULL, segment text, tier text, region text, finance_owner_email text, sales_owner_email text, cs_owner_email text",
    key: "account_id",
  },
  invoices: {
    columns: "customer_id, customer, invoice_number, issue_date, due_date, amount, currency",
    ddl: "customer_id text NOT NULL, customer text, invoice_number text PRIMARY KEY, issue_date date NOT NULL, due_date date NOT NULL, amount numeric(20,2) NOT NULL, currency text NOT NULL",
    key: "invoice_number",
  },
  payments: {
    columns: "invoice_number, paid_on, amount, reference",
    ddl: "invoice_number text NOT NULL, paid_on date NOT NULL, amount numeric(20,2) NOT NULL, reference text PRIMARY KEY",
    key: "reference",
  },
};

async function copyReference(raw: Raw, kind: ImportKind, file: string): Promise<number> {
  const table = REFERENCE_TABLES[kind];
  await raw.query(`DROP TABLE IF EXISTS bench_copy_${kind}`);
  await raw.query(`CREATE TABLE bench_copy_${kind} (${table.ddl})`);
  return (await timed(() => raw.copy(`bench_copy_${kind}`, table.columns, file))).ms;
}

/** Re-importing a file by hand: COPY it into a staging table, then one INSERT … ON CONFLICT that changes only rows that differ. */
async function upsertReference(raw: Raw, kind: ImportKind, file: string): Promise<number> {
  const table = REFERENCE_TABLES[kind];
  const columns = table.columns.split(", ");
  const updates = columns.filter((c) => c !== table.key).map((c) => `${c} = EXCLUDED.${c}`);
  await raw.query(`DROP TABLE IF EXISTS bench_stage_${kind}`);
  await raw.query(`CREATE TABLE bench_stage_${kind} (${table.ddl.replace(" PRIMARY KEY", "")})`);
  return (
    await timed(async () => {
      await raw.copy(`bench_stage_${kind}`, table.columns, file);
      await raw.query(
        `INSERT INTO bench_copy_${kind} (${table.columns}) SELECT ${table.columns} FROM bench_stage_${kind}
         ON CONFLICT (${table.key}) DO UPDATE SET ${updates.join(", ")}
         WHERE (${columns.map((c) => `bench_copy_${kind}.${c}`).join(", ")}) IS DISTINCT FROM (${columns.map((c) => `EXCLUDED.${c}`).join(", ")})`,
      );
    })
  ).ms;
}

/** The tables an import of each kind adds rows to, as arbot stores them. */
const OWN_TABLES: Partial<Record<ImportKind, string[]>> = { invoices: ["Invoice", "Activity"], payments: ["Payment", "Activity"] };

async function lastIds(raw: Raw, tables: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const table of tables) ids.set(table, (await raw.query<{ id: number }>(`SELECT COALESCE(max("id"), 0)::int AS "id" FROM "${table}"`))[0]!.id);
  return ids;
}

/** A value in a CSV file as COPY reads it: quoted, an empty unquoted field for NULL. */
const csvField = (value: string | null) => (value === null ? "" : `"${value.replaceAll('"', '""')}"`);

/**
 * The floor under an import: the rows it added (ids after `before`), loaded by `COPY` into
 * copies of arbot's own tables (the same columns, keys, indexes and foreign keys) in one
 * transaction. What writing those rows costs the database before any work of arbot's.
 */
async function copyIntoOwnTables(raw: Raw, dir: string, before: Map<string, number>): Promise<number> {
  const loads: { clone: string; columns: string; file: string }[] = [];
  for (const [table, lastId] of before) {
    const clone = `bench_own_${table.toLowerCase()}`;
    await raw.query(`DROP TABLE IF EXISTS ${clone}`);
    await raw.query(`CREATE TABLE ${clone} (LIKE "${table}" INCLUDING ALL)`);
    const keys = await raw.query<{ def: string }>(`SELECT pg_get_constraintdef("oid") AS "def" FROM pg_constraint WHERE "conrelid" = '"${table}"'::regclass AND "contype" = 'f'`);
    for (const { def } of keys) await raw.query(`ALTER TABLE ${clone} ADD ${def}`);
    const names = (
      await raw.query<{ name: string }>(
        `SELECT "column_name"::text AS "name" FROM information_schema.columns WHERE "table_schema" = current_schema() AND "table_name" = $1 ORDER BY "ordinal_position"`,
        [table],
      )
    ).map((c) => c.name);
    const rows = await raw.query<Record<string, string | null>>(`SELECT ${names.map((n) => `"${n}"::text`).join(", ")} FROM "${table}" WHERE "id" > $1 ORDER BY "id"`, [lastId]);
    const file = path.join(dir, `own-${table}.csv`);
    fs.writeFileSync(file, rows.map((row) => Object.values(row).map(csvField).join(",")).join("\n") + "\n");
    loads.push({ clone, columns: names.map((n) => `"${n}"`).join(", "), file });
  }
  const ms = (
    await timed(async () => {
      await raw.query("BEGIN");
      for (const load of loads) await raw.copy(load.clone, load.columns, load.file, false);
      await raw.query("COMMIT");
    })
  ).ms;
  for (const load of loads) await raw.query(`DROP TABLE ${load.clone}`);
  return ms;
}

/**
 * Open balance per invoice at D as section 7 defines it (latest snapshot ≤ D, less the
 * payments after it and ≤ D), in one statement: the reference for digest and stats.
 */
const OPEN_INVOICES = `
  WITH snap AS (
    SELECT DISTINCT ON ("invoiceId") "invoiceId", "asOf", "balanceMinor" FROM "BalanceSnapshot" WHERE "asOf" <= $1::date ORDER BY "invoiceId", "asOf" DESC
  ), paid AS (
    SELECT p."invoiceId", sum(p."amountMinor") AS amount FROM "Payment" p LEFT JOIN snap s ON s."invoiceId" = p."invoiceId"
     WHERE p."paidOn" <= $1::date AND (s."asOf" IS NULL OR p."paidOn" > s."asOf") GROUP BY p."invoiceId"
  ), disputed AS (
    SELECT DISTINCT "invoiceId" FROM "Dispute" WHERE "openedOn" <= $1::date AND ("resolvedOn" IS NULL OR "resolvedOn" > $1::date)
  )
  SELECT i."accountId", i."currency", ($1::date - i."dueDate") AS dpd, d."invoiceId" IS NOT NULL AS disputed,
         COALESCE(s."balanceMinor", i."amountMinor") - COALESCE(paid.amount, 0) AS open
    FROM "Invoice" i LEFT JOIN snap s ON s."invoiceId" = i."id" LEFT JOIN paid ON paid."invoiceId" = i."id" LEFT JOIN disputed d ON d."invoiceId" = i."id"
   WHERE i."issueDate" <= $1::date`;

/** The digest's totals: undisputed overdue per currency and how many accounts owe it. */
const DIGEST_SQL = `
  WITH open AS (${OPEN_INVOICES}), per_account AS (
    SELECT "accountId", "currency", sum(open) AS overdue FROM open WHERE NOT disputed AND dpd >= 1 AND open > 0 GROUP BY "accountId", "currency"
  )
  SELECT "currency", sum(overdue)::text AS overdue, count(*)::int AS accounts FROM per_account GROUP BY "currency" ORDER BY "currency"`;

/** The stats' aging: AR per bucket per currency (credits in current). */
const STATS_SQL = `
  WITH open AS (${OPEN_INVOICES}), credit AS (
    SELECT c."currency", sum(COALESCE(b."remainingMinor", c."amountMinor")) AS unapplied
      FROM "CreditNote" c LEFT JOIN LATERAL (
        SELECT "remainingMinor" FROM "CreditBalance" WHERE "creditNoteId" = c."id" AND "asOf" <= $1::date ORDER BY "asOf" DESC LIMIT 1
      ) b ON true
     WHERE c."issueDate" <= $1::date GROUP BY c."currency"
  ), buckets AS (
    SELECT "currency",
           sum(open) FILTER (WHERE dpd <= 0) AS current, sum(open) FILTER (WHERE dpd BETWEEN 1 AND 30) AS b30,
           sum(open) FILTER (WHERE dpd BETWEEN 31 AND 60) AS b60, sum(open) FILTER (WHERE dpd BETWEEN 61 AND 90) AS b90,
           sum(open) FILTER (WHERE dpd > 90) AS b90plus, sum(open) FILTER (WHERE disputed) AS disputed
      FROM open GROUP BY "currency"
  )
  SELECT b."currency", (COALESCE(b.current, 0) - COALESCE(c.unapplied, 0))::text AS current, COALESCE(b.b30, 0)::text AS b30, COALESCE(b.b60, 0)::text AS b60,
         COALESCE(b.b90, 0)::text AS b90, COALESCE(b.b90plus, 0)::text AS b90plus, COALESCE(b.disputed, 0)::text AS disputed
    FROM buckets b LEFT JOIN credit c ON c."currency" = b."currency" ORDER BY b."currency"`;

function checkEqual(what: string, arbot: unknown, reference: unknown): void {
  const a = JSON.stringify(arbot);
  const b = JSON.stringify(reference);
  if (a !== b) throw new Error(`${what}: arbot and the SQL reference disagree\n  arbot:     ${a}\n  reference: ${b}`);
}

async function importsBench(bench: Bench, app: App, files: PortfolioFiles, runs: number, results: Result[]): Promise<void> {
  const base = { database: bench.database, accounts: files.counts.accounts };
  for (const kind of ["accounts", "invoices", "payments"] as const) {
    const own = OWN_TABLES[kind];
    const before = own ? await lastIds(bench.raw, own) : null;
    await bench.settle();
    const run = await timed(() => runImport(app, kind, files[kind]));
    if (run.result.rejected.length > 0) throw new Error(`the ${kind} import rejected rows: ${JSON.stringify(run.result.rejected.slice(0, 3))}`);
    await bench.settle();
    const copyMs = await copyReference(bench.raw, kind, files[kind]);
    const work = `import ${kind}`;
    results.push({ ...base, work, ms: run.ms, rows: files.counts[kind], reference: "COPY into a keyed table", referenceMs: copyMs });
    if (before) {
      await bench.settle();
      const floorMs = await copyIntoOwnTables(bench.raw, path.dirname(files[kind]), before);
      results.push({ ...base, work, ms: run.ms, rows: files.counts[kind], reference: `COPY of its rows into ${own!.join(" + ")}`, referenceMs: floorMs });
    }
  }
  // Unchanged rows change nothing, so the re-import and its reference repeat alike: the
  // median of `runs` each, as for the reads (a single run at 1 000 accounts moved with the
  // first compilation of the comparing code).
  const reimports: number[] = [];
  const upserts: number[] = [];
  for (let run = 0; run < runs; run++) {
    await bench.settle();
    const again = await timed(() => runImport(app, "invoices", files.invoices));
    if (again.result.unchanged !== files.counts.invoices) throw new Error(`re-import changed rows: ${JSON.stringify(again.result)}`);
    reimports.push(again.ms);
    await bench.settle();
    upserts.push(await upsertReference(bench.raw, "invoices", files.invoices));
  }
  results.push({ ...base, work: "re-import unchanged invoices", ms: middle(reimports), rows: files.counts.invoices, reference: "COPY to staging + one INSERT … ON CONFLICT", referenceMs: middle(upserts) });
}

async function readsBench(bench: Bench, app: App, accounts: number, runs: number, results: Result[]): Promise<void> {
  const base = { database: bench.database, accounts };
  // Totals first: a reference that computes something else measures nothing.
  const digest = await prepareDigest({ ledger: app.ledger }, AS_OF, app.priority);
  const digestRows = await bench.raw.query<{ currency: string; overdue: string; accounts: number }>(DIGEST_SQL, [AS_OF]);
  checkEqual(
    "digest totals",
    [...digest.ranking.totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, t]) => ({ currency, overdue: t.overdue.toString(), accounts: t.accounts })),
    digestRows,
  );
  const stats = await getArStats({ ledger: app.ledger }, AS_OF, app.config.promiseGraceDays);
  const statsRows = await bench.raw.query(STATS_SQL, [AS_OF]);
  checkEqual(
    "stats aging",
    stats.currencies.map((c) => ({
      currency: c.currency,
      current: c.buckets.current.toString(),
      b30: c.buckets["1-30"].toString(),
      b60: c.buckets["31-60"].toString(),
      b90: c.buckets["61-90"].toString(),
      b90plus: c.buckets["90+"].toString(),
      disputed: c.disputed.toString(),
    })),
    statsRows,
  );
  const digestRun = await median(runs, () => prepareDigest({ ledger: app.ledger }, AS_OF, app.priority));
  const digestSql = await median(runs, () => bench.raw.query(DIGEST_SQL, [AS_OF]));
  results.push({ ...base, work: "digest (uncached)", ms: digestRun.ms, reference: "one SQL aggregate, same totals", referenceMs: digestSql.ms });
  const statsRun = await median(runs, () => getArStats({ ledger: app.ledger }, AS_OF, app.config.promiseGraceDays));
  const statsSql = await median(runs, () => bench.raw.query(STATS_SQL, [AS_OF]));
  results.push({ ...base, work: "stats", ms: statsRun.ms, reference: "one SQL aggregate, same aging", referenceMs: statsSql.ms });
}

function spawnMs(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env, cwd: ROOT, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  return ms;
}

/** `arbot stats --json` on a tiny, migrated database against `node -e 0`: what any command costs before its work. */
function commandCostBench(database: Result["database"], url: string, runs: number, results: Result[]): void {
  const env = { ...process.env, DATABASE_URL: url };
  const cli = path.join(ROOT, "dist", "bot", "cli", "arbot.js");
  spawnMs([cli, "migrate"], env);
  const msOf = (args: string[]) => middle(Array.from({ length: runs }, () => spawnMs(args, env)));
  results.push({ database, accounts: 0, work: "arbot stats (fixed cost)", ms: msOf([cli, "stats", "--json"]), reference: "node -e 0", referenceMs: msOf(["-e", "0"]) });
}

function printTable(results: Result[]): void {
  const header = ["database", "accounts", "work", "arbot", "rows/s", "reference", "reference", "ratio"];
  const rows = results.map((r) => [
    r.database,
    r.accounts.toLocaleString("en-US"),
    r.work,
    `${(r.ms / 1000).toFixed(2)} s`,
    r.rows ? Math.round(r.rows / (r.ms / 1000)).toLocaleString("en-US") : "",
    r.reference,
    `${(r.referenceMs / 1000).toFixed(3)} s`,
    `${(r.ms / r.referenceMs).toFixed(1)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 3 || i === 4 || i === 6 || i === 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

function printLoad(load: { accounts: number; result: SlackLoadResult }[]): void {
  const ms = (v: number) => `${Math.round(v)} ms`;
  const header = ["accounts", "burst", "ack p50/p95/p99", "empty Bolt", "ack ratio p99", "reply p50/p95/p99", "empty Bolt", "reply ratio p99", "each round's"];
  const ratio = (v: number) => `${v.toFixed(1)}×`;
  const rows = load.flatMap(({ accounts, result }) =>
    result.rows.map((r) => [
      accounts.toLocaleString("en-US"),
      r.scenario,
      [r.ack.p50, r.ack.p95, r.ack.p99].map(ms).join(" / "),
      [r.referenceAck.p50, r.referenceAck.p95, r.referenceAck.p99].map(ms).join(" / "),
      `${(r.ack.p99 / r.referenceAck.p99).toFixed(1)}×`,
      [r.reply.p50, r.reply.p95, r.reply.p99].map(ms).join(" / "),
      [r.referenceReply.p50, r.referenceReply.p95, r.referenceReply.p99].map(ms).join(" / "),
      ratio(r.reply.p99 / r.referenceReply.p99),
      r.replyRatios.length > 1 ? `${ratio(Math.min(...r.replyRatios))}–${ratio(Math.max(...r.replyRatios))}` : "",
    ]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const rounds = load[0]?.result.rows[0]?.rounds ?? 1;
  console.log(
    `\nSlack over HTTP, arbot serve vs an empty Bolt app, same fake Web API (PostgreSQL), ${rounds} round${rounds === 1 ? "" : "s"} of each burst, ` +
      `percentiles over all of their requests; each round's reply p99 ratio beside:`,
  );
  console.log(header.map((h, i) => h.padEnd(widths[i]!)).join("  "));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join("  "));
  for (const { accounts, result } of load) {
    console.log(`server peak RSS at ${accounts.toLocaleString("en-US")} accounts: arbot ${result.serverPeakRssMb} MB, empty Bolt app ${result.referencePeakRssMb} MB`);
  }
  // CPU per request over each burst: where a reply's ratio comes from when the bursts are CPU-bound.
  const cpu = (c: { server: number; database: number }) => `${c.server.toFixed(2)} ms${c.database > 0 ? ` + database ${c.database.toFixed(2)} ms` : ""}`;
  console.log("\nCPU per request (the server process; + this machine's PostgreSQL processes), 10 ms ticks over the bursts:");
  for (const { accounts, result } of load) {
    for (const r of result.rows) {
      const mine = r.cpu.server + r.cpu.database;
      const theirs = r.referenceCpu.server + r.referenceCpu.database;
      console.log(`${accounts.toLocaleString("en-US").padEnd(8)}  ${r.scenario.padEnd(38)}  arbot ${cpu(r.cpu)}  ·  empty Bolt ${cpu(r.referenceCpu)}  ·  ${(mine / theirs).toFixed(1)}×`);
    }
  }
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? "1000,10000").split(",").map((s) => Number(s.trim()));
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new Error(`BENCH_SIZES must be whole numbers of accounts, e.g. 1000,10000 (got "${process.env.BENCH_SIZES}")`);
  const pgliteMax = Number(process.env.BENCH_PGLITE_MAX ?? 10_000);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a whole number of runs, 1 or more (got "${process.env.BENCH_RUNS}")`);
  const postgresUrl = process.env.BENCH_DATABASE_URL;
  if (!postgresUrl) console.log("BENCH_DATABASE_URL is not set: measuring on embedded PGlite only.");
  const results: Result[] = [];
  const load: { accounts: number; result: SlackLoadResult }[] = [];
  const withSlack = (process.env.BENCH_SLACK ?? "1") !== "0";
  // World-readable, so that PostgreSQL's server-side COPY can read the files.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-bench-"));
  fs.chmodSync(dir, 0o755);
  const config = loadOrganizationConfig({});
  try {
    for (const size of sizes) {
      const files = writePortfolio(path.join(dir, String(size)), size, AS_OF);
      const targets: (() => Promise<Bench>)[] = [];
      if (postgresUrl) targets.push(() => openPostgresBench(postgresUrl));
      if (size <= pgliteMax) targets.push(openPgliteBench);
      for (const open of targets) {
        const bench = await open();
        console.log(`${bench.database}, ${size} accounts: ${files.counts.invoices} invoices, ${files.counts.payments} payments…`);
        const app = createApp(bench.db, config, new SystemClock("UTC", NOW));
        try {
          // The client's first query starts its engine: a cost of starting (measured below), not of importing.
          await app.healthy();
          await importsBench(bench, app, files, runs, results);
          await bench.settle();
          await readsBench(bench, app, size, runs, results);
          if (withSlack && bench.database === "postgres" && postgresUrl) {
            const url = new URL(postgresUrl);
            url.searchParams.set("schema", postgresSchema());
            const ids = Array.from({ length: Math.min(size, 500) }, (_, i) => `C${String(Math.floor((i * size) / Math.min(size, 500))).padStart(6, "0")}`);
            console.log(`postgres, ${size} accounts: Slack bursts against arbot serve and an empty Bolt app…`);
            await bench.settle();
            load.push({ accounts: size, result: await slackLoadInChild(ROOT, url.toString(), ids, NOW, runs) });
          }
        } finally {
          await bench.close();
        }
      }
    }
    if (postgresUrl) {
      const schema = `${postgresSchema()}_tiny`;
      const client = new pg.Client({ connectionString: postgresUrl, options: `-c search_path="${schema}"` });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.query(`CREATE SCHEMA "${schema}"`);
        await applyMigrationsDirectly((sql) => client.query(sql));
        const tiny = new URL(postgresUrl);
        tiny.searchParams.set("schema", schema);
        commandCostBench("postgres", tiny.toString(), Math.max(runs, 5), results);
      } finally {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    }
    if (pgliteMax > 0) commandCostBench("pglite", `pglite:${path.join(dir, "tiny-pglite")}`, Math.max(runs, 5), results);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log("");
  printTable(results);
  if (load.length > 0) printLoad(load);
  const out = path.join(ROOT, "bench", "results", "latest.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), machine, sizes, runs, results, slack: load }, null, 2) + "\n");
  console.log(`\nwritten to ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
