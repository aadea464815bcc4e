import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliDatabase, freshCliDatabase, runArbot } from "../support/cli";

/**
 * What a command's start loads beside its own work: a command that only reads never loads
 * Prisma's generated client (35–50 ms), nor starts its query compiler (WebAssembly, compiled
 * at a client's first query), nor loads Node's fetch client (undici, which pg's runtime check
 * loaded on Node 20). Each was 35–150 ms of every command's fixed cost; both databases. In
 * UTC (the default zone) no time-zone library either: its first zone loads ICU's data, 30 ms;
 * and no CSV reading (20 ms), which loads for an import, csv-parse (11 ms) only for a file
 * the plain reader hands over to it; nor zod (15 ms), which only the chat platforms' payloads need.
 */
let db: CliDatabase;
let dir: string;
let preload: string;

beforeAll(async () => {
  db = await freshCliDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-loaded-"));
  preload = path.join(dir, "report-loaded.js");
  fs.writeFileSync(
    preload,
    `process.on("exit", () => {
      const loaded = [
        ...Object.keys(require.cache).filter((file) => /[\\\\/]generated[\\\\/]client\\.js$/.test(file)).map(() => "prisma client"),
        ...Object.keys(require.cache).filter((file) => /query_compiler/.test(file)).map(() => "prisma query compiler"),
        ...process.moduleLoadList.filter((name) => /undici/.test(name)).map(() => "undici"),
        ...Object.keys(require.cache).filter((file) => /[\\/]@date-fns[\\/]tz[\\/]/.test(file)).map(() => "time-zone library"),
        ...Object.keys(require.cache).filter((file) => /[\\/]bot[\\/]run-import\.js$/.test(file)).map(() => "CSV import"),
        ...Object.keys(require.cache).filter((file) => /[\\/]csv-parse[\\/]/.test(file)).map(() => "csv-parse"),
        ...Object.keys(require.cache).filter((file) => /[\\/]node_modules[\\/]zod[\\/]/.test(file)).map(() => "zod"),
      ];
      require("fs").writeFileSync(process.env.LOADED_REPORT, JSON.stringify([...new Set(loaded)]));
    });`,
  );
}, 120_000);

afterAll(async () => {
  await db?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function loadedBy(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const report = path.join(dir, `${[...args, ...Object.values(env)].join("-").replace(/\W/g, "-")}.json`);
  const result = await runArbot(args, { env: { ...db.env, ...env, LOADED_REPORT: report }, nodeArgs: ["--require", preload] });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(fs.readFileSync(report, "utf8")) as string[];
}

test.each([[["stats", "--json"]], [["digest", "--json"]]])("arbot %j loads neither Prisma's client nor its query compiler nor Node's fetch client nor zod, nor in UTC the time-zone library", async (args) => {
  expect(await loadedBy(args, { AR_TIMEZONE: "UTC" })).toEqual([]);
}, 120_000);

test("an organization in another zone loads the time-zone library for its dates (what the report sees)", async () => {
  expect(await loadedBy(["digest", "--json"], { AR_TIMEZONE: "Europe/Paris" })).toEqual(["time-zone library"]);
}, 120_000);

test("an import loads the CSV reading, and csv-parse only for a file the plain reader hands over", async () => {
  const plain = path.join(dir, "plain.csv");
  fs.writeFileSync(plain, "customer_id,customer,invoice_number,issue_date,due_date,amount,currency\nC1,One,N-1,2026-09-01,2026-10-01,100.00,USD\n");
  expect(await loadedBy(["import", "invoices", plain, "--dry-run"])).toEqual(["CSV import"]);
  const quoted = path.join(dir, "quoted.csv");
  fs.writeFileSync(quoted, 'customer_id,customer,invoice_number,issue_date,due_date,amount,currency\nC1,The "Best" Co,N-1,2026-09-01,2026-10-01,100.00,USD\n');
  expect(await loadedBy(["import", "invoices", quoted, "--dry-run"])).toEqual(["CSV import", "csv-parse"]);
}, 120_000);

test("a command that changes something through Prisma does load its client and start its compiler (what the report sees)", async () => {
  expect(await loadedBy(["users", "set-role", "dana@example.com", "finance"])).toEqual(expect.arrayContaining(["prisma client", "prisma query compiler"]));
}, 120_000);
