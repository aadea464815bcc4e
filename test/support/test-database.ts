import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrationsDirectly } from "../../adapters/db/migrations";
import { migratedMemoryImage, OpenDatabase, openDatabase } from "../../adapters/db/open-database";

/**
 * A fresh, migrated database per test file: in-memory PGlite by default, or a schema of
 * its own in the PostgreSQL of TEST_DATABASE_URL (dropped afterwards) so files can run
 * in parallel against one server.
 */
export async function createTestDatabase(): Promise<OpenDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({ kind: "pglite", dataDir: null }, { command: "test", memoryImage: await pgliteTemplate() });
  const schema = freshSchemaName();
  await createMigratedSchema(url, schema);
  const db = await openDatabase({ kind: "postgres", url, schema }, { command: "test" });
  return {
    ...db,
    async close() {
      await db.close();
      await dropSchema(url, schema);
    },
  };
}

/**
 * One migrated in-memory PGlite per run, as a dump in the run's temporary folder: starting
 * from it takes well under a second, where a new database plus migrations take several.
 */
async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(os.tmpdir(), "arbot-pglite-template.tar");
  if (!fs.existsSync(file)) {
    const image = Buffer.from(await (await migratedMemoryImage()).arrayBuffer());
    // Written whole then renamed: a parallel worker never reads half of it.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    fs.writeFileSync(partial, image);
    fs.renameSync(partial, file);
  }
  return new Blob([fs.readFileSync(file)]);
}

export function freshSchemaName(): string {
  return `t_${process.pid}_${randomBytes(4).toString("hex")}`;
}

export async function createMigratedSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
    await applyMigrationsDirectly((sql) => client.query(sql));
  } finally {
    await client.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
