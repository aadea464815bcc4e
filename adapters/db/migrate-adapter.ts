import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { DatabaseTarget } from "./database-target";
import { pgliteAdapter } from "./pglite-adapter";
import { acquirePgliteLock } from "./pglite-lock";

/**
 * Shim for the JS schema engine on PostgreSQL: it reads catalog columns of type `name`
 * (OID 19) and `"char"` (OID 18), which adapter-pg 6.19 cannot map to a column type and
 * rejects (prisma/orm#27403). Both arrive as plain strings, so reporting them as `text`
 * (OID 25) is exact. Used only by prisma.config.ts for migrate; the app never needs it.
 */
const CATALOG_TEXT_OIDS = new Set([18, 19]);

function reportCatalogTypesAsText<T>(result: T): T {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
  for (const field of fields ?? []) if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = 25;
  return result;
}

class CatalogTolerantClient extends pg.Client {
  // pg.Pool#query calls this with a callback; adapter transactions call it for a promise.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (error: unknown, result: unknown) => last(error, error ? result : reportCatalogTypesAsText(result));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const pending = (super.query as (...a: any[]) => any)(...args);
    return pending && typeof pending.then === "function" ? pending.then(reportCatalogTypesAsText) : pending;
  }
}

/**
 * The prisma 6.19 CLI does not exit after `migrate deploy` on its own: the wasm schema
 * engine leaves a 10 s timer and PGlite re-arms an interval timer for as long as it is open,
 * and neither adapter is disposed. Once prisma reports the outcome, close the database and
 * exit with success. Failures keep prisma's own exit path.
 */
const DONE_LINES = ["All migrations have been successfully applied", "No pending migrations to apply"];

function exitWhenPrismaReportsSuccess(closeDatabase: () => Promise<void>): void {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const result = (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (DONE_LINES.some((line) => text.includes(line))) {
      setImmediate(() => {
        void closeDatabase()
          .catch(() => undefined)
          .finally(() => process.exit(0));
      });
    }
    return result;
  }) as typeof process.stdout.write;
}

let shared: ReturnType<typeof createMigrateAdapter> | null = null;

/**
 * prisma asks for the adapter more than once per command. Two PGlite instances on one
 * folder in one process corrupt it, so every call gets the same one.
 */
export function migrateAdapterFor(target: DatabaseTarget) {
  shared ??= createMigrateAdapter(target);
  return shared;
}

function createMigrateAdapter(target: DatabaseTarget) {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({
      connectionString: target.url,
      Client: CatalogTolerantClient,
      ...(target.schema ? { options: `-c search_path="${target.schema}"` } : {}),
    });
    exitWhenPrismaReportsSuccess(() => pool.end());
    return new PrismaPg(pool, { schema: target.schema ?? undefined, disposeExternalPool: true });
  }
  if (target.dataDir) acquirePgliteLock(target.dataDir, "prisma migrate");
  const pglite = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
  exitWhenPrismaReportsSuccess(async () => {
    if (!pglite.closed) await pglite.close();
  });
  return pgliteAdapter(pglite);
}
