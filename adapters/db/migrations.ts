import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "./project-root";
import { parseDatabaseUrl } from "./database-target";
import { syncFolder } from "./durable-pglite";
import { LOCK_OWNER_ENV } from "./pglite-lock";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsFolder(): string {
  return path.join(projectRoot(), "prisma", "migrations");
}

/** The committed migrations in order, as `prisma migrate deploy` applies them. */
export function readMigrations(): Migration[] {
  const folder = migrationsFolder();
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(folder, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(folder, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Prisma's own bookkeeping table, so `migrate deploy` and `migrate status` agree with us. */
const MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Runs multi-statement SQL: PGlite's exec or pg's simple-query protocol. */
export type ExecScript = (sql: string) => Promise<unknown>;

/**
 * Applies the committed migration.sql files in order through a raw driver. In-memory test
 * databases and per-test PostgreSQL schemas use this; real databases use `prisma migrate deploy`.
 */
export async function applyMigrationsDirectly(exec: ExecScript): Promise<void> {
  await exec(MIGRATIONS_TABLE_SQL);
  for (const migration of readMigrations()) {
    await exec(migration.sql);
    const name = migration.name.replace(/'/g, "''");
    await exec(
      `INSERT INTO "_prisma_migrations" ("id","checksum","finished_at","migration_name","applied_steps_count") ` +
        `VALUES ('${randomUUID()}','${migration.checksum}',now(),'${name}',1)`,
    );
  }
}

export class MigrationFailed extends Error {}

/** Prisma's own banner lines (config detected, schema loaded, datasource): noise above the error. */
const CHATTER = /^(Prisma config detected|Prisma schema loaded from|Datasource "|Loaded Prisma config|Environment variables loaded|\d+ migrations? found in)/;

/** The schema's `url` warning: Prisma's four lines about a datasource property we keep for its CLI. */
const URL_WARNING = /WARNING: Your schema specifies the following datasource properties[\s\S]*?to avoid confusion if you are only using driver adapters\.\n?/;

function withoutChatter(text: string): string {
  return text
    .replace(URL_WARNING, "")
    .split("\n")
    .filter((line) => line.trim() !== "" && !CHATTER.test(line.trim()))
    .join("\n")
    .trim();
}

/**
 * `prisma migrate deploy` with the JS schema engine (prisma.config.ts), in a child process.
 * For PGlite the caller must have closed its own connection: the child opens the folder
 * under the caller's lock.
 */
export async function runPrismaMigrateDeploy(databaseUrl: string | undefined, log: (line: string) => void): Promise<{ applied: string[] }> {
  const root = projectRoot();
  const cli = require.resolve("prisma/build/index.js", { paths: [root] });
  const env: NodeJS.ProcessEnv = { ...process.env, [LOCK_OWNER_ENV]: String(process.pid), PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  if (databaseUrl === undefined) delete env.DATABASE_URL;
  else env.DATABASE_URL = databaseUrl;
  const output: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "migrate", "deploy", "--config", path.join(root, "prisma.config.ts")], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => output.push(chunk.toString("utf8"));
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (status) => resolve(status ?? 1));
  });
  const text = output.join("");
  if (code !== 0) throw new MigrationFailed(`prisma migrate deploy failed (exit ${code}):\n${withoutChatter(text)}`);
  const applied = text.includes("No pending migrations") ? [] : [...text.matchAll(/(\d{14}_[\w-]+)\//g)].map((m) => m[1]!);
  for (const name of applied) log(`applied migration ${name}`);
  // PGlite ran with fsync off in that process (it may also have created the folder): what it
  // wrote goes to disk now, as every later commit will (durable-pglite.ts). The folder as the
  // child read DATABASE_URL, from the project root.
  const target = parseDatabaseUrl(databaseUrl, root);
  if (target.kind === "pglite" && target.dataDir && fs.existsSync(target.dataDir)) syncFolder(target.dataDir);
  return { applied };
}
