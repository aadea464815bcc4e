import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { DatabaseTarget } from "./database-target";
import { applyMigrationsDirectly, readMigrations, runPrismaMigrateDeploy } from "./migrations";
import { pgliteAdapter } from "./pglite-adapter";
import { acquirePgliteLock } from "./pglite-lock";

export type Db = PrismaClient;

export interface OpenDatabase {
  prisma: PrismaClient;
  target: DatabaseTarget;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Names this process in the PGlite lock. */
  command?: string;
  /** Apply pending migrations (prisma migrate deploy) before use. */
  migrate?: boolean;
  log?: (line: string) => void;
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

async function pendingOnPglite(pglite: PGlite): Promise<string[]> {
  const table = await pglite.query<{ present: boolean }>(HAS_TABLE_SQL);
  if (!table.rows[0]?.present) return pending([]);
  const rows = await pglite.query<{ migration_name: string }>(APPLIED_SQL);
  return pending(rows.rows.map((r) => r.migration_name));
}

async function pendingOnPrisma(prisma: PrismaClient): Promise<string[]> {
  const table = await prisma.$queryRawUnsafe<{ present: boolean }[]>(HAS_TABLE_SQL);
  if (!table[0]?.present) return pending([]);
  const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(APPLIED_SQL);
  return pending(rows.map((r) => r.migration_name));
}

function postgresUrl(target: Extract<DatabaseTarget, { kind: "postgres" }>): string {
  if (!target.schema) return target.url;
  const url = new URL(target.url);
  url.searchParams.set("schema", target.schema);
  return url.toString();
}

async function openPostgres(target: Extract<DatabaseTarget, { kind: "postgres" }>, options: OpenOptions): Promise<OpenDatabase> {
  const adapter = new PrismaPg(
    {
      connectionString: target.url,
      max: 5,
      connectionTimeoutMillis: 5000,
      ...(target.schema ? { options: `-c search_path="${target.schema}"` } : {}),
    },
    target.schema ? { schema: target.schema } : undefined,
  );
  const prisma = new PrismaClient({ adapter });
  try {
    await prisma.$queryRawUnsafe("SELECT 1");
  } catch (error) {
    await prisma.$disconnect().catch(() => undefined);
    throw new DatabaseUnavailable(`cannot reach PostgreSQL: ${(error as Error).message.split("\n")[0]}`);
  }
  if (options.migrate && (await pendingOnPrisma(prisma)).length > 0) {
    await runPrismaMigrateDeploy(postgresUrl(target), options.log ?? (() => undefined));
  }
  return { prisma, target, close: () => prisma.$disconnect() };
}

async function startPglite(dataDir: string | null): Promise<PGlite> {
  try {
    const pglite = dataDir ? new PGlite(dataDir) : new PGlite();
    await pglite.waitReady;
    return pglite;
  } catch (error) {
    throw new DatabaseUnavailable(`cannot open embedded PGlite${dataDir ? ` in ${dataDir}` : ""}: ${(error as Error).message}`);
  }
}

async function openPglite(target: Extract<DatabaseTarget, { kind: "pglite" }>, options: OpenOptions): Promise<OpenDatabase> {
  const release = target.dataDir ? acquirePgliteLock(target.dataDir, options.command ?? "arbot") : () => undefined;
  try {
    let pglite = await startPglite(target.dataDir);
    if (!target.dataDir) {
      // An in-memory database is always new: it gets the committed migrations directly.
      await applyMigrationsDirectly((sql) => pglite.exec(sql));
    } else if (options.migrate && (await pendingOnPglite(pglite)).length > 0) {
      // One process per folder: let go of it while `prisma migrate deploy` (our child,
      // covered by our lock) applies the migrations, then open it again.
      await pglite.close();
      await runPrismaMigrateDeploy(`pglite:${target.dataDir}`, options.log ?? (() => undefined));
      pglite = await startPglite(target.dataDir);
    }
    const prisma = new PrismaClient({ adapter: pgliteAdapter(pglite) });
    return {
      prisma,
      target,
      async close() {
        await prisma.$disconnect();
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
