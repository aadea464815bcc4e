import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createMigratedSchema, dropSchema, freshSchemaName } from "./test-database";

export const ROOT = path.resolve(__dirname, "../..");
export const ARBOT = path.join(ROOT, "dist", "bot", "cli", "arbot.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

let template: Promise<string> | null = null;

/**
 * A migrated PGlite folder made with `arbot migrate`, copied per test: the jest global setup
 * makes it once per run; a file run outside jest's setup makes its own.
 */
function pgliteTemplate(): Promise<string> {
  const prepared = path.join(os.tmpdir(), "arbot-cli-template", "pglite");
  if (fs.existsSync(prepared)) return Promise.resolve(prepared);
  template ??= (async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-template-")), "pglite");
    const result = await runArbot(["migrate"], { env: { DATABASE_URL: `pglite:${dir}` } });
    if (result.status !== 0) throw new Error(`arbot migrate failed: ${result.stderr}`);
    return dir;
  })();
  return template;
}

export interface CliDatabase {
  env: Record<string, string>;
  /** The PGlite folder, when the suite runs on PGlite. */
  dataDir: string | null;
  cleanup(): Promise<void>;
}

/** A fresh, migrated database for CLI processes: a PGlite folder, or a PostgreSQL schema. */
export async function freshCliDatabase(): Promise<CliDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = freshSchemaName();
    await createMigratedSchema(url, schema);
    const withSchema = new URL(url);
    withSchema.searchParams.set("schema", schema);
    return { env: { DATABASE_URL: withSchema.toString() }, dataDir: null, cleanup: () => dropSchema(url, schema) };
  }
  const source = await pgliteTemplate();
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-db-")), "pglite");
  fs.cpSync(source, dir, { recursive: true });
  return { env: { DATABASE_URL: `pglite:${dir}` }, dataDir: dir, cleanup: async () => fs.rmSync(path.dirname(dir), { recursive: true, force: true }) };
}

/** A database nobody has migrated yet: a new PGlite folder, or an empty PostgreSQL schema. */
export async function unmigratedCliDatabase(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = freshSchemaName();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    const withSchema = new URL(url);
    withSchema.searchParams.set("schema", schema);
    return { env: { DATABASE_URL: withSchema.toString() }, cleanup: () => dropSchema(url, schema) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-new-"));
  return { env: { DATABASE_URL: `pglite:${path.join(dir, "pglite")}` }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  nodeArgs?: string[];
}

/** Runs the real `arbot` bin as an OS process. */
export function runArbot(args: string[], options: RunOptions = {}): Promise<CliResult> {
  if (!fs.existsSync(ARBOT)) return Promise.reject(new Error("dist/ is missing: run npm run build (npm test builds first)"));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ARBOT, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
