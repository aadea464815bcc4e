import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { syncFolder } from "../../../adapters/db/durable-pglite";
import { runPrismaMigrateDeploy } from "../../../adapters/db/migrations";
import { OpenDatabase, openDatabase } from "../../../adapters/db/open-database";

// On the embedded database whatever the suite's database: this is about PGlite's folders.
let dir: string;
let db: OpenDatabase | null = null;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-durable-"));
});
afterEach(async () => {
  await db?.close();
  db = null;
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The files synced to disk while `work` runs, by path. */
async function syncedDuring(work: () => Promise<unknown>): Promise<string[]> {
  const synced: string[] = [];
  const original = fs.fsyncSync;
  const fsync = jest.spyOn(fs, "fsyncSync").mockImplementation((fd: number) => {
    synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
    original(fd);
  });
  try {
    await work();
  } finally {
    fsync.mockRestore();
  }
  return synced;
}

test("a commit on an embedded folder is on disk when it returns: PostgreSQL syncs its WAL there, as on a server", async () => {
  db = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") }, { command: "test" });
  const direct = db.direct!;
  expect(await direct.$queryRawUnsafe(`SELECT current_setting('fsync') AS "fsync", current_setting('wal_sync_method') AS "method"`)).toEqual([{ fsync: "on", method: "fsync" }]);
  await direct.$executeRawUnsafe(`CREATE TABLE note (body text)`);
  const synced = await syncedDuring(() => direct.$executeRawUnsafe(`INSERT INTO note VALUES ('promised Friday')`));
  expect(synced.some((file) => file.startsWith(path.join(dir, "pglite", "pg_wal") + path.sep))).toBe(true);
  // A transaction through the Prisma client commits the same way.
  const viaPrisma = await syncedDuring(() => db!.prisma.$transaction([db!.prisma.$executeRawUnsafe(`INSERT INTO note VALUES ('disputed')`)]));
  expect(viaPrisma.some((file) => file.includes(`${path.sep}pg_wal${path.sep}`))).toBe(true);
  // A read syncs nothing.
  expect(await syncedDuring(() => direct.$queryRawUnsafe(`SELECT count(*) FROM note`))).toEqual([]);
}, 120_000);

test("a folder another process wrote (created it, applied migrations) is synced file by file, folders included", async () => {
  fs.mkdirSync(path.join(dir, "base", "1"), { recursive: true });
  fs.writeFileSync(path.join(dir, "base", "1", "1259"), "pages");
  fs.writeFileSync(path.join(dir, "PG_VERSION"), "17");
  const synced = await syncedDuring(async () => syncFolder(dir));
  expect(synced.sort()).toEqual([dir, path.join(dir, "PG_VERSION"), path.join(dir, "base"), path.join(dir, "base", "1"), path.join(dir, "base", "1", "1259")].sort());
});

test("a folder `prisma migrate deploy` created and migrated (PGlite with fsync off, in its own process) is on disk when it ends", async () => {
  const folder = path.join(dir, "migrated");
  const synced = await syncedDuring(() => runPrismaMigrateDeploy(`pglite:${folder}`, () => undefined));
  const files: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  walk(folder);
  expect(files.length).toBeGreaterThan(0);
  expect(files.filter((file) => !synced.includes(file))).toEqual([]);
}, 120_000);

test("a folder whose file system refuses to sync folders (EINVAL) is still synced; a file that cannot be synced is an error", () => {
  fs.mkdirSync(path.join(dir, "base"));
  fs.writeFileSync(path.join(dir, "base", "1259"), "pages");
  const original = fs.fsyncSync;
  const refuse = (what: "folders" | "files") =>
    jest.spyOn(fs, "fsyncSync").mockImplementation((fd: number) => {
      const isFolder = fs.fstatSync(fd).isDirectory();
      if ((what === "folders") === isFolder) throw Object.assign(new Error(what === "folders" ? "EINVAL: invalid argument, fsync" : "EIO: i/o error, fsync"), { code: what === "folders" ? "EINVAL" : "EIO" });
      original(fd);
    });
  refuse("folders");
  expect(() => syncFolder(dir)).not.toThrow();
  jest.restoreAllMocks();
  refuse("files");
  expect(() => syncFolder(dir)).toThrow("EIO");
});
