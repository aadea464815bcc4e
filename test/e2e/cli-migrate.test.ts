import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runArbot } from "../support/cli";
import { dropSchema, freshSchemaName } from "../support/test-database";
import pg from "pg";

/** `arbot migrate` runs `prisma migrate deploy` on an empty database, then finds nothing to do. */
test("arbot migrate applies the committed migrations once", async () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = freshSchemaName();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    const withSchema = new URL(url);
    withSchema.searchParams.set("schema", schema);
    env = { DATABASE_URL: withSchema.toString() };
    cleanup = () => dropSchema(url, schema);
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-migrate-"));
    env = { DATABASE_URL: `pglite:${path.join(dir, "db")}` };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  try {
    const first = await runArbot(["migrate"], { env });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/applied 1 migration \(\d{14}_init\)/);
    const second = await runArbot(["migrate"], { env });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("is up to date: no pending migrations.");
    const stats = await runArbot(["stats", "--json"], { env });
    expect(JSON.parse(stats.stdout).currencies).toEqual({});
  } finally {
    await cleanup();
  }
}, 120_000);
