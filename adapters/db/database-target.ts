import path from "node:path";

/** Where the data lives, read from DATABASE_URL (ARCHITECTURE.md section 2). */
export type DatabaseTarget =
  | { kind: "pglite"; dataDir: string | null }
  /** `pgbouncer=true`: a pooler in transaction mode sits in front, so no named prepared statements. */
  | { kind: "postgres"; url: string; schema: string | null; pgbouncer?: boolean };

export const DEFAULT_PGLITE_DIR = path.join("data", "pglite");

export class InvalidDatabaseUrl extends Error {}

export function parseDatabaseUrl(value: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const url = value?.trim();
  if (!url) return { kind: "pglite", dataDir: path.resolve(cwd, DEFAULT_PGLITE_DIR) };
  if (url === "pglite:memory") return { kind: "pglite", dataDir: null };
  if (url.startsWith("pglite:")) {
    const dir = url.slice("pglite:".length);
    if (!dir) throw new InvalidDatabaseUrl("DATABASE_URL pglite: needs a folder, e.g. pglite:./data/pglite");
    return { kind: "pglite", dataDir: path.resolve(cwd, dir) };
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidDatabaseUrl("DATABASE_URL is not a valid PostgreSQL URL");
    }
    const schema = parsed.searchParams.get("schema");
    const pgbouncer = parsed.searchParams.get("pgbouncer") === "true";
    parsed.searchParams.delete("schema");
    parsed.searchParams.delete("pgbouncer");
    return { kind: "postgres", url: parsed.toString(), schema: schema || null, ...(pgbouncer ? { pgbouncer } : {}) };
  }
  throw new InvalidDatabaseUrl(
    "DATABASE_URL must be postgres://…, postgresql://…, pglite:<folder> or pglite:memory (unset: ./data/pglite)",
  );
}

export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "postgres") {
    const u = new URL(target.url);
    return `PostgreSQL ${u.host}${u.pathname}${target.schema ? ` (schema ${target.schema})` : ""}`;
  }
  return target.dataDir ? `embedded PGlite in ${path.relative(process.cwd(), target.dataDir) || "."}` : "embedded PGlite in memory";
}
