import fs from "node:fs";
import { CliIo } from "../../../bot/cli/cli-io";
import { main } from "../../../bot/cli/cli-main";
import { RunImportOptions, runImport } from "../../../bot/run-import";
import { ImportStopped } from "../../../domain/model/imports";
import { ImportStore } from "../../../domain/ports/import-store.port";
import { csv, writeCsv } from "../../support/csv-files";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-20T12:00:00Z");

const HEADER = "customer_id,customer,invoice_number,issue_date,due_date,amount,currency";
const invoicesFile = () => writeCsv("inv.csv", csv(HEADER, ...Array.from({ length: 30 }, (_, i) => `C${i % 5},Customer ${i % 5},N-${i},2026-09-01,2026-10-01,100.00,USD`)));

/** The app's store, its first write held until `letGo` is called. */
function firstWriteHeld(onLaterWrite: () => void = () => undefined) {
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => (letGo = resolve));
  let holding!: () => void;
  /** Settles once the first write is held (its import has the turn). */
  const reached = new Promise<void>((resolve) => (holding = resolve));
  let writes = 0;
  const imports = new Proxy(t.app.imports, {
    get: (target, property) =>
      property === "apply"
        ? async (...args: Parameters<ImportStore["apply"]>) => {
            if (++writes === 1) {
              holding();
              await released;
            } else onLaterWrite();
            return target.apply(...args);
          }
        : Reflect.get(target, property),
  });
  return { app: { ...t.app, imports }, letGo, reached };
}

test("two imports of one file at once: the second waits for the first to end, and each invoice is stored once", async () => {
  const file = invoicesFile();
  // The first import to write is held until the other one waits its turn, or, were there no
  // turns, reaches a write of its own (both would then find the invoices missing).
  const waited: string[] = [];
  const held = firstWriteHeld(() => held.letGo());
  const options = (name: string): RunImportOptions => ({
    onWait: () => {
      waited.push(name);
      held.letGo();
    },
  });
  const reports = await Promise.all([runImport(held.app, "invoices", file, options("a")), runImport(held.app, "invoices", file, options("b"))]);
  expect(waited).toHaveLength(1);
  expect(reports.map((r) => ({ created: r.created, unchanged: r.unchanged, rejected: r.rejected.length })).sort((x, y) => x.created - y.created)).toEqual([
    { created: 0, unchanged: 30, rejected: 0 },
    { created: 30, unchanged: 0, rejected: 0 },
  ]);
  expect(await t.app.db.prisma.invoice.count()).toBe(30);
  expect(await t.app.db.prisma.account.count()).toBe(5);
  expect(await t.app.db.prisma.activity.count({ where: { kind: "invoice_added" } })).toBe(30);
}, 60_000);

test("a dry run does not wait for an import in progress, and the import's turn is free once it ends", async () => {
  const file = invoicesFile();
  const held = firstWriteHeld();
  const importing = runImport(held.app, "invoices", file);
  let dryRunWaited!: () => void;
  const waited = new Promise<"waited">((resolve) => (dryRunWaited = () => resolve("waited")));
  const dry = runImport(t.app, "invoices", file, { dryRun: true, onWait: dryRunWaited });
  expect(await Promise.race([dry.then(() => "finished"), waited])).toBe("finished");
  expect(await dry).toMatchObject({ dryRun: true, created: 30 });
  held.letGo();
  expect(await importing).toMatchObject({ created: 30 });
  // Nobody holds the turn any more: a third import neither waits nor writes twice.
  const after = await runImport(t.app, "invoices", file, { onWait: () => expect("not to wait").toBe("") });
  expect(after).toMatchObject({ created: 0, unchanged: 30 });
}, 60_000);

test("a file rewritten while its import waits its turn is refused whole: nothing of either content is imported", async () => {
  const first = invoicesFile();
  const second = writeCsv("cron.csv", csv(HEADER, "C9,Customer 9,OLD-1,2026-09-01,2026-10-01,100.00,USD"));
  const held = firstWriteHeld();
  const importing = runImport(held.app, "invoices", first);
  await held.reached;
  const waiting = runImport(held.app, "invoices", second, {
    // The export job writes the next day's file while this import waits for the first.
    onWait: () => {
      fs.writeFileSync(second, csv(HEADER, "C9,Customer 9,NEW-1,2026-09-01,2026-10-01,250.00,USD", "C9,Customer 9,NEW-2,2026-09-01,2026-10-01,90.00,USD"));
      held.letGo();
    },
  });
  await expect(waiting).rejects.toThrow(`${second} changed after it was checked (written to or replaced, for example by an export job while this import waited for another): nothing was imported; run the import again`);
  expect(await importing).toMatchObject({ created: 30 });
  expect(await t.app.db.prisma.invoice.count({ where: { number: { in: ["OLD-1", "NEW-1", "NEW-2"] } } })).toBe(0);
  expect(await t.app.db.prisma.account.count({ where: { externalId: "C9" } })).toBe(0);
  // Run again, the new content is imported as checked.
  expect(await runImport(t.app, "invoices", second)).toMatchObject({ created: 2, rejected: [] });
}, 60_000);

test("an import whose signal is aborted (its forwarded client's Ctrl-C) ends with the batch being written, and running it again imports the rest once", async () => {
  const rows = 10_000;
  const file = writeCsv("big.csv", csv(HEADER, ...Array.from({ length: rows }, (_, i) => `B${i % 50},Big ${i % 50},BIG-${i},2026-09-01,2026-10-01,10.00,USD`)));
  // Only arbot's own ANALYZE may gather statistics here (on PostgreSQL autovacuum could too).
  for (const table of ["Invoice", "Account", "Activity"]) await t.app.db.prisma.$executeRawUnsafe(`ALTER TABLE "${table}" SET (autovacuum_enabled = false)`);
  const stop = new AbortController();
  // Told to stop while the second batch is decided: the first is being written, and is the last.
  const stopped = runImport(t.app, "invoices", file, { signal: stop.signal, onProgress: (done) => done >= 2000 && stop.abort() });
  await expect(stopped).rejects.toThrow(new ImportStopped(`the import of ${file} was stopped (whoever ran it went away): the batches written before stay; running it again imports the rest, recognizing those`));
  const written = await t.app.db.prisma.invoice.count({ where: { number: { startsWith: "BIG-" } } });
  expect(written).toBe(1000);
  // What it wrote is analyzed, as after any import that wrote as much.
  const [planned] = await t.app.db.prisma.$queryRawUnsafe<{ rows: number }[]>(`SELECT reltuples::float8 AS "rows" FROM pg_class WHERE oid = '"Invoice"'::regclass`);
  expect(Number(planned!.rows)).toBe(await t.app.db.prisma.invoice.count());
  const again = await runImport(t.app, "invoices", file);
  expect(again).toMatchObject({ created: rows - written, unchanged: written, rejected: [] });
  expect(await t.app.db.prisma.activity.count({ where: { kind: "invoice_added", subject: { startsWith: "BIG-" } } })).toBe(rows);
}, 120_000);

test("arbot import passes its command's signal on: a stopped import says so, without a stack", async () => {
  const file = invoicesFile();
  const said: string[] = [];
  const io: CliIo = {
    out: (text) => said.push(text),
    err: (text) => said.push(text),
    errIsTty: false,
    stdin: process.stdin,
    stdinIsTty: false,
    env: { DATABASE_URL: "pglite:memory" },
    signal: AbortSignal.abort(),
  };
  expect(await main(["import", "invoices", file, "--json"], io)).toBe(1);
  expect(said).toEqual([
    JSON.stringify({ error: { code: "import_stopped", message: `the import of ${file} was stopped (whoever ran it went away): the batches written before stay; running it again imports the rest, recognizing those` } }),
    `arbot: the import of ${file} was stopped (whoever ran it went away): the batches written before stay; running it again imports the rest, recognizing those`,
  ]);
}, 60_000);

test("arbot import of a file an export job writes to while it is read: what was read is imported, with a warning, exit status 0", async () => {
  const rows = 5_000;
  const file = writeCsv("growing.csv", csv(HEADER, ...Array.from({ length: rows }, (_, i) => `G${i % 20},Grow ${i % 20},GR-${i},2026-09-01,2026-10-01,10.00,USD`)));
  let appended = false;
  const report = await runImport(t.app, "invoices", file, {
    // The export job appends while the first batches are applied.
    onProgress: () => {
      if (appended) return;
      appended = true;
      fs.appendFileSync(file, "G1,Grow 1,GR-LATE,2026-09-01,2026-10-01,10.00,USD\n");
    },
  });
  expect(report.warnings).toEqual([
    `${file} changed while it was being imported (written to or replaced): rows read after the change may come from the new content; run the import again (rows already imported are recognized, not added twice)`,
  ]);
  expect(report.rejected).toEqual([]);
  // Running it again, as the warning says, adds only what the first run did not read.
  const again = await runImport(t.app, "invoices", file);
  expect(again.warnings).toEqual([]);
  expect(again.created + report.created).toBe(rows + 1);
  expect(await t.app.db.prisma.invoice.count({ where: { number: { startsWith: "GR-" } } })).toBe(rows + 1);
}, 120_000);
