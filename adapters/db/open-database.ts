import fs from "node:fs";
// Each driver loads only for its own kind of database: PGlite and its Prisma adapter cost
// 25–30 ms of every command on PostgreSQL, pg and adapter-pg 15–20 ms of every command on PGlite.
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import type { PrismaClient } from "./generated/client";
import { DatabaseTarget } from "./database-target";
import { ChangeFeed, postgresChangeFeed } from "./change-feed";
import { DirectSql, pgDirectSql, pgliteDirectSql } from "./direct-sql";
import { durableFolder, durableStartParams } from "./durable-pglite";
import { applyMigrationsDirectly, readMigrations, runPrismaMigrateDeploy } from "./migrations";
import { acquirePgliteLock } from "./pglite-lock";
import { socketPathFor } from "./command-socket";
import { loadPg } from "./load-pg";
import { Sql } from "./sql-rows";

export type Db = PrismaClient;

export interface OpenDatabase {
  prisma: PrismaClient;
  /**
   * Raw reads outside transactions, on the driver directly: the PostgreSQL pool, or PGlite,
   * whose single connection runs each between transactions (its own, the Prisma adapter's and
   * the imports' alike: PGlite holds one lock for a transaction and for a query).
   */
  reads: Sql;
  target: DatabaseTarget;
  /** A PGlite folder this process had open already: the same connection, closed by its first opener. */
  shared?: boolean;
  /** Raw SQL on the driver under the Prisma client, for imports (direct-sql.ts); without it they go through Prisma. */
  direct?: DirectSql;
  /** On PostgreSQL: tells other arbot processes of a change and hears theirs (change-feed.ts). */
  changes?: ChangeFeed;
  close(): Promise<void>;
}

/**
 * A Prisma client made at its first use by a one-shot command. Loading the generated client
 * and its driver adapter costs a command 40–60 ms (the client runtime's classes; `make` loads
 * the adapter), and a command that only reads (stats,
 * digest, an account card) never calls it: its queries go to the driver (`reads`, `direct`).
 * Any other process (a server, the shell) makes it at once, so that no request waits for it.
 * `made()` is the client once it exists: closing a database never makes one to disconnect it.
 */
function lazyPrismaClient(make: (Client: typeof PrismaClient) => PrismaClient, options: OpenOptions): { client: PrismaClient; made(): PrismaClient | null } {
  let real: PrismaClient | null = null;
  const ensure = (): PrismaClient => (real ??= make((require("./generated/client") as typeof import("./generated/client")).PrismaClient));
  if (!options.oneShot) ensure();
  const client = new Proxy({} as PrismaClient, {
    get(_, property) {
      const target = ensure();
      const value: unknown = Reflect.get(target, property, target);
      // The client's own methods ($transaction, $queryRawUnsafe…) read `this`; a model's
      // methods (prisma.account.findMany) come bound already.
      return typeof property === "string" && property.startsWith("$") && typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { client, made: () => real };
}

/** PGlite folders open in this process: a forwarded command reuses the holder's connection. */
const openFolders = new Map<string, { prisma: PrismaClient; pglite: PGlite }>();

/** Migrations not applied to a folder this process has open (none when it is not open here). */
export async function pendingInFolderOpenHere(dataDir: string): Promise<string[] | null> {
  const open = openFolders.get(dataDir);
  return open ? pendingOnPglite(open.pglite) : null;
}

export interface OpenOptions {
  /** Names this process in the PGlite lock. */
  command?: string;
  /** Apply pending migrations (prisma migrate deploy) before use. */
  migrate?: boolean;
  log?: (line: string) => void;
  /**
   * The opener will take forwarded commands (command-socket.ts): the lock names its socket
   * from the start, so a command arriving while the folder opens waits for it.
   */
  serveCommands?: boolean;
  /**
   * The process opens the database for one command and closes it (not a server, not the
   * shell): an embedded database starts with a smaller buffer pool (ONE_SHOT_SHARED_BUFFERS).
   */
  oneShot?: boolean;
  /** pglite:memory only: start from this dump of a migrated database (PGlite dumpDataDir) instead of empty. */
  memoryImage?: Blob;
}

export class DatabaseUnavailable extends Error {}

const APPLIED_SQL = `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
const HAS_TABLE_SQL = `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`;

function pending(applied: string[]): string[] {
  const done = new Set(applied);
  return readMigrations()
    .map((m) => m.name)
    .filter((name) => !done.has(name));
}

/**
 * The committed migrations a database lacks, read from its migration table by two plain
 * queries. Never through Prisma on PostgreSQL either: a client's first query starts its query
 * compiler (WebAssembly), 50–150 ms of every command's start, and a command that only reads
 * (stats, digest) never needs it after.
 */
async function pendingOn(rows: <Row>(sql: string) => Promise<Row[]>): Promise<string[]> {
  const table = await rows<{ present: boolean }>(HAS_TABLE_SQL);
  if (!table[0]?.present) return pending([]);
  return pending((await rows<{ migration_name: string }>(APPLIED_SQL)).map((r) => r.migration_name));
}

const pendingOnPglite = (pglite: PGlite) => pendingOn(async <Row>(sql: string) => (await pglite.query<Row>(sql)).rows);

function postgresUrl(target: Extract<DatabaseTarget, { kind: "postgres" }>): string {
  if (!target.schema) return target.url;
  const url = new URL(target.url);
  url.searchParams.set("schema", target.schema);
  return url.toString();
}

/**
 * One line naming what is wrong with the connection and what to do. Prisma's adapter loses
 * the driver's error (an empty message for a refused port), so the probe uses pg itself.
 */
export function describePostgresFailure(error: unknown, target: Extract<DatabaseTarget, { kind: "postgres" }>): string {
  const url = new URL(target.url);
  const where = `${url.hostname}:${url.port || "5432"}`;
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "(none)";
  const user = decodeURIComponent(url.username) || "(default user)";
  const e = error as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e.code ?? e.errors?.find((x) => x.code)?.code;
  const detail = (e.message ?? "").split("\n")[0]?.trim();
  switch (code) {
    case "3D000":
      return `cannot reach PostgreSQL: database "${database}" does not exist on ${where}; create it (createdb ${database}, or CREATE DATABASE "${database}") or fix DATABASE_URL`;
    case "28P01":
    case "28000":
      return `cannot reach PostgreSQL: ${where} refused user "${user}" (${detail || "authentication failed"}); fix the user or password in DATABASE_URL, or the server's pg_hba.conf`;
    case "ECONNREFUSED":
      return `cannot reach PostgreSQL: nothing accepts connections on ${where}; start PostgreSQL or fix the host and port in DATABASE_URL`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot reach PostgreSQL: host "${url.hostname}" is not known; fix the host in DATABASE_URL`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `cannot reach PostgreSQL: ${where} does not answer (${code}); check the host, port and network in DATABASE_URL`;
    case "3F000":
      return `cannot reach PostgreSQL: schema "${target.schema}" does not exist in "${database}"; create it or fix ?schema= in DATABASE_URL`;
    default:
      return `cannot reach PostgreSQL at ${where}, database "${database}": ${detail || code || "no answer"}; check DATABASE_URL and that the server runs`;
  }
}

/** How arbot connects to PostgreSQL: the target's URL, a bounded wait, and its schema first on the search path. */
function connectionOf(target: Extract<DatabaseTarget, { kind: "postgres" }>): pg.ClientConfig {
  return { connectionString: target.url, connectionTimeoutMillis: 5000, ...(target.schema ? { options: `-c search_path="${target.schema}"` } : {}) };
}

/** A failure to connect as the line that names its cause (see describePostgresFailure). */
function unavailable(error: unknown, target: Extract<DatabaseTarget, { kind: "postgres" }>): DatabaseUnavailable {
  const timedOut = /timeout|terminated unexpectedly/i.test((error as Error).message ?? "");
  return new DatabaseUnavailable(describePostgresFailure(timedOut ? { code: "ETIMEDOUT" } : error, target));
}

async function openPostgres(target: Extract<DatabaseTarget, { kind: "postgres" }>, options: OpenOptions): Promise<OpenDatabase> {
  const pg = loadPg();
  // One pool for the Prisma client, the imports' direct SQL and the hot reads; closing the client ends it.
  const pool = new pg.Pool({ ...connectionOf(target), max: 5 });
  // An idle connection's error (server restart) surfaces on the next query, not as a crash.
  pool.on("error", (error) => options.log?.(`PostgreSQL closed an idle connection: ${error.message}`));
  // The pool's first connection names a failure's cause, and the check for pending
  // migrations runs on it. A probe connection of its own cost every command a connection
  // opened and closed, about 20 ms of a 0.47 s `arbot stats`.
  let pendingHere: string[];
  try {
    const first = await pool.connect().catch((error: unknown) => {
      throw unavailable(error, target);
    });
    try {
      pendingHere = options.migrate ? await pendingOn(async (sql) => (await first.query(sql)).rows) : [];
    } finally {
      first.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const prisma = lazyPrismaClient((Client) => {
    const { PrismaPg } = require("@prisma/adapter-pg") as typeof import("@prisma/adapter-pg");
    return new Client({ adapter: new PrismaPg(pool, { ...(target.schema ? { schema: target.schema } : {}), disposeExternalPool: true }) });
  }, options);
  if (pendingHere.length > 0) await runPrismaMigrateDeploy(postgresUrl(target), options.log ?? (() => undefined));
  const changes = postgresChangeFeed(
    pool,
    target.pgbouncer
      ? null
      : () =>
          // Idle for hours between writes: kept alive, so a connection cut somewhere shows.
          new pg.Client({ ...connectionOf(target), keepAlive: true, keepAliveInitialDelayMillis: 10_000 }),
  );
  return {
    prisma: prisma.client,
    reads: pgDirectSql(pool, { prepare: !target.pgbouncer, log: options.log }),
    target,
    direct: pgDirectSql(pool),
    changes,
    close: async () => {
      // The last change is announced before the pool closes (an import's last batch).
      await changes.flush();
      await prisma.made()?.$disconnect();
      // Ended by $disconnect once the client connected; a client that never queried did not.
      if (!pool.ending) await pool.end();
    },
  };
}

/**
 * The buffer pool of a process that opens a folder for one command. PGlite zero-fills all of
 * PostgreSQL's shared memory at every start, in WebAssembly that V8 has not optimized: 145 MB
 * with the default 128 MB of shared_buffers, 42 MB with 32 MB, 24 MB with 16 MB. 32 MB saved
 * a one-shot command 50–100 ms of CPU and 110 MB of resident memory; 16 MB another 70–95 ms
 * (`arbot stats --json` on a small folder, medians of 8 and 12 alternations). Its reads and an
 * import's writes go through the operating system's cache either way, and a scan of a large
 * table through a small ring of buffers whatever the pool (measured at 10 000 accounts, 16 MB
 * against 32 MB: `arbot stats` and `arbot digest` no slower, a new import of 85 000 invoices
 * within the noise and 20–50 MB smaller); a server or the shell, which read the same pages
 * again and again, keep the default. A setting of memory only: nothing on disk changes.
 */
const ONE_SHOT_SHARED_BUFFERS = "16MB";

async function startPglite(dataDir: string | null, options: { loadDataDir?: Blob; oneShot?: boolean } = {}): Promise<PGlite> {
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const oneShot = options.oneShot ? ["-c", `shared_buffers=${ONE_SHOT_SHARED_BUFFERS}`] : [];
    // A folder's commits are on disk when they return (durable-pglite.ts); a database in
    // memory (the tests') has no disk to wait for.
    const pglite = dataDir
      ? new PGlite({ fs: await durableFolder(dataDir), startParams: [...durableStartParams(PGlite.defaultStartParams), ...oneShot] })
      : new PGlite({ ...(oneShot.length > 0 ? { startParams: [...PGlite.defaultStartParams, ...oneShot] } : {}), ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
    await pglite.waitReady;
    return pglite;
  } catch (error) {
    // PGlite's own errors can be empty ("undefined"): name the folder and what to check.
    const detail = error instanceof Error && error.message && error.message !== "undefined" ? error.message : "it is not a database folder PGlite can read";
    const where = dataDir ? (fs.existsSync(dataDir) && !fs.statSync(dataDir).isDirectory() ? `${dataDir}: that is a file, not a folder` : `${dataDir}: ${detail}`) : detail;
    throw new DatabaseUnavailable(`cannot open embedded PGlite in ${where}; point DATABASE_URL at an arbot database folder you can write (pglite:./data/pglite), or a new folder`);
  }
}

async function openPglite(target: Extract<DatabaseTarget, { kind: "pglite" }>, options: OpenOptions): Promise<OpenDatabase> {
  const here = target.dataDir ? openFolders.get(target.dataDir) : undefined;
  if (here) {
    // A command forwarded to this process: never a second PGlite on the same folder.
    const pendingNow = options.migrate ? await pendingOnPglite(here.pglite) : [];
    if (pendingNow.length > 0) {
      throw new DatabaseUnavailable(`the database has ${pendingNow.length} pending migration(s) that this running arbot (process ${process.pid}) cannot apply while it serves: stop it, run arbot migrate, start it again`);
    }
    const direct = pgliteDirectSql(here.pglite);
    return { prisma: here.prisma, reads: direct, target, shared: true, direct, close: async () => undefined };
  }
  const release = target.dataDir ? acquirePgliteLock(target.dataDir, options.command ?? "arbot", options.serveCommands ? socketPathFor(target.dataDir) : null) : () => undefined;
  try {
    const oneShot = options.oneShot ?? false;
    let pglite = await startPglite(target.dataDir, { oneShot, ...(target.dataDir ? {} : { loadDataDir: options.memoryImage }) });
    if (!target.dataDir && options.memoryImage) {
      // Started from an image of an already migrated database (the test suite's template).
      if ((await pendingOnPglite(pglite)).length > 0) throw new DatabaseUnavailable("the in-memory database image misses committed migrations; remove it to rebuild it");
    } else if (!target.dataDir) {
      // An in-memory database is always new: it gets the committed migrations directly.
      await applyMigrationsDirectly((sql) => pglite.exec(sql));
    } else if (options.migrate && (await pendingOnPglite(pglite)).length > 0) {
      // One process per folder: let go of it while `prisma migrate deploy` (our child,
      // covered by our lock) applies the migrations, then open it again.
      await pglite.close();
      await runPrismaMigrateDeploy(`pglite:${target.dataDir}`, options.log ?? (() => undefined));
      pglite = await startPglite(target.dataDir, { oneShot });
    }
    const prisma = lazyPrismaClient((Client) => new Client({ adapter: (require("./pglite-adapter") as typeof import("./pglite-adapter")).pgliteAdapter(pglite) }), options);
    const dataDir = target.dataDir;
    if (dataDir) openFolders.set(dataDir, { prisma: prisma.client, pglite });
    // A command that only reads (stats, digest) never starts Prisma's query compiler: 40–50 ms.
    const direct = pgliteDirectSql(pglite);
    return {
      prisma: prisma.client,
      reads: direct,
      target,
      direct,
      async close() {
        if (dataDir) openFolders.delete(dataDir);
        await prisma.made()?.$disconnect();
        if (!pglite.closed) await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** Builds the Prisma client for a target; PGlite folders are locked to this process first. */
export function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<OpenDatabase> {
  return target.kind === "postgres" ? openPostgres(target, options) : openPglite(target, options);
}

/**
 * The committed migrations a database lacks, read from its migration table directly (no
 * Prisma CLI): `arbot migrate` only starts `prisma migrate deploy` when there is work. A
 * PGlite folder must be held by the caller; a missing folder lacks them all.
 */
export async function pendingMigrationsOf(target: DatabaseTarget): Promise<string[]> {
  if (target.kind === "postgres") {
    const pg = loadPg();
    const client = new pg.Client(connectionOf(target));
    client.on("error", () => undefined);
    // Its failure to connect is the one line that names the cause (arbot migrate's first connection).
    await client.connect().catch(async (error: unknown) => {
      await client.end().catch(() => undefined);
      throw unavailable(error, target);
    });
    try {
      return await pendingOn(async (sql) => (await client.query(sql)).rows);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (!target.dataDir || !fs.existsSync(target.dataDir)) return pending([]);
  const pglite = await startPglite(target.dataDir, { oneShot: true });
  try {
    return await pendingOnPglite(pglite);
  } finally {
    await pglite.close();
  }
}

/** A dump of a new, migrated in-memory database, for `memoryImage` (the test suite's template). */
export async function migratedMemoryImage(): Promise<Blob> {
  const pglite = await startPglite(null);
  try {
    await applyMigrationsDirectly((sql) => pglite.exec(sql));
    return await pglite.dumpDataDir("none");
  } finally {
    await pglite.close();
  }
}
