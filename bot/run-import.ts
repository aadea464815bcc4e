import path from "node:path";
import { CsvOptions, openAccountsCsv, openInvoicesCsv, openPaymentsCsv } from "../adapters/csv/import-file";
import { ImportKind, ImportReport, ImportSource, ImportStopped } from "../domain/model/imports";
import { ImportStore, withApply } from "../domain/ports/import-store.port";
import { importAccounts } from "../domain/usecases/import-accounts";
import { importInvoices } from "../domain/usecases/import-invoices";
import { importPayments } from "../domain/usecases/import-payments";
import { App } from "./main";

export interface RunImportOptions {
  dryRun?: boolean;
  full?: boolean;
  dateFormat?: CsvOptions["dateFormat"];
  onProgress?: (done: number, total: number) => void;
  /** Called once when another import is writing to this database: this one waits for it. */
  onWait?: () => void;
  platform?: string;
  /**
   * Aborted when whoever ran the import is gone (a forwarded command's client pressed
   * Ctrl-C): no further row is read and no further batch written, so the import ends with
   * ImportStopped once the batch being written is (one killed in its own process loses
   * that batch too: its transaction is rolled back).
   */
  signal?: AbortSignal;
}

const stopped = (file: string) =>
  new ImportStopped(`the import of ${file} was stopped (whoever ran it went away): the batches written before stay; running it again imports the rest, recognizing those`);

/** The source, read no further once `signal` is aborted. */
function stoppable<Row, Key>(source: ImportSource<Row, Key>, file: string, signal: AbortSignal | undefined): ImportSource<Row, Key> {
  if (!signal) return source;
  return {
    ...source,
    async *rows() {
      for await (const run of source.rows()) {
        if (signal.aborted) throw stopped(file);
        yield run;
      }
    },
  };
}

/** An import that wrote this many rows has the database refresh its statistics. */
const STATISTICS_AFTER_ROWS = 1_000;

/** Reads an export with the CSV adapter and applies it with the matching use case. */
export async function runImport(app: App, kind: ImportKind, file: string, options: RunImportOptions = {}): Promise<ImportReport> {
  const written = { batches: 0 };
  let report: ImportReport;
  try {
    report = await applyImport(app, kind, file, options, written);
  } catch (error) {
    // A stopped import keeps what it wrote (PGlite, where commands are forwarded, has no
    // autovacuum to analyze it later): best effort, the stop is what the caller hears.
    if (error instanceof ImportStopped && written.batches > 0) await app.imports.refreshStatistics(kind).catch(() => undefined);
    throw error;
  }
  const changed = report.created + report.updated + (report.credits ? report.credits.created + report.credits.updated : 0) + (report.closed?.length ?? 0);
  if (!report.dryRun && changed >= STATISTICS_AFTER_ROWS) {
    try {
      await app.imports.refreshStatistics(kind);
    } catch (error) {
      // The import is committed: say so rather than fail the command.
      report.warnings.push(`the import is saved, but the database's statistics were not refreshed (${(error as Error).message}); queries may be slow until autovacuum analyzes the tables`);
    }
  }
  return report;
}

/** The store, writing no batch once `signal` is aborted (the batches already decided are read ahead of the write). */
function stoppableStore(store: ImportStore, file: string, signal: AbortSignal | undefined, written: { batches: number }): ImportStore {
  if (!signal) return store;
  return withApply(store, async (changes, actor, write) => {
    if (signal.aborted) throw stopped(file);
    await write(changes, actor);
    written.batches++;
  });
}

async function applyImport(app: App, kind: ImportKind, file: string, options: RunImportOptions, written: { batches: number }): Promise<ImportReport> {
  const csv: CsvOptions = { dateFormat: options.dateFormat, defaultCurrency: app.config.currency, timeZone: app.config.timeZone };
  const common = {
    file,
    dryRun: options.dryRun ?? false,
    actor: { label: `import:${path.basename(file)}`, platform: options.platform ?? "cli" },
  };
  const deps = { store: stoppableStore(app.imports, file, options.signal, written), clock: app.clock };
  // The file is read and checked first: a refused file does not wait for another import. A
  // dry run writes nothing, so it does not wait either. Warnings the file gives while its rows
  // are read (it changed under the import) come after the import's own.
  const run = async <Row, Key>(source: ImportSource<Row, Key>, work: (source: ImportSource<Row, Key>) => Promise<ImportReport>): Promise<ImportReport> => {
    const known = source.warnings.length;
    const stoppableSource = stoppable(source, file, options.signal);
    const report = await (common.dryRun ? work(stoppableSource) : app.imports.exclusively(() => work(stoppableSource), options.onWait));
    report.warnings.push(...source.warnings.slice(known));
    return report;
  };
  const progress = (total: number) => (n: number) => options.onProgress?.(n, total);
  switch (kind) {
    case "accounts": {
      const source = await openAccountsCsv(file, csv);
      return run(source, (rows) => importAccounts(deps, rows, { ...common, onProgress: progress(source.total) }));
    }
    case "invoices": {
      const source = await openInvoicesCsv(file, csv);
      return run(source, (rows) => importInvoices(deps, rows, { ...common, full: options.full, onProgress: progress(source.total) }));
    }
    case "payments": {
      const source = await openPaymentsCsv(file, csv);
      return run(source, (rows) => importPayments(deps, rows, { ...common, onProgress: progress(source.total) }));
    }
  }
}
