/**
 * `npm run bench`: speed and memory as ratios against a baseline run in the same process,
 * so the numbers compare across machines. Never a pass/fail threshold.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readCsvRecords } from "../adapters/csv/csv-file";
import { openDatabase } from "../adapters/db/open-database";
import { loadOrganizationConfig } from "../bot/config";
import { createApp } from "../bot/main";
import { runImport } from "../bot/run-import";
import { addDays } from "../domain/model/business-date";
import { LedgerInvoice } from "../domain/model/ledger";
import { metricsByCurrency } from "../domain/policies/ar-metrics";
import { openBalanceAt } from "../domain/policies/open-balance";
import { rankAccounts } from "../domain/policies/priority";
import { SystemClock } from "../bot/clock";

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

function line(name: string, ms: number, baselineMs: number, extra = ""): void {
  console.log(`${name.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / baselineMs).toFixed(2).padStart(7)}× baseline${extra}`);
}

async function importBench(rows: number): Promise<void> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-bench-")), "invoices.csv");
  const lines = ["customer_id,customer,invoice_number,issue_date,due_date,amount,currency"];
  for (let i = 0; i < rows; i++) lines.push(`C${i % 500},Customer ${i % 500},B-${i},2026-09-0${1 + (i % 9)},2026-10-0${1 + (i % 9)},${100 + (i % 900)}.50,USD`);
  fs.writeFileSync(file, lines.join("\n") + "\n");

  const baseline = await timed(async () => {
    let n = 0;
    for await (const _ of readCsvRecords(file, ",")) n++;
    return n;
  });
  console.log(`\nImport of ${rows} invoice rows (baseline: reading the CSV records once)`);
  line("baseline: csv-parse the file", baseline.ms, baseline.ms);

  const db = await openDatabase({ kind: "pglite", dataDir: null });
  const app = createApp(db, loadOrganizationConfig({}), new SystemClock("UTC", new Date("2026-11-20T12:00:00Z")));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const first = await timed(() => runImport(app, "invoices", file));
  const again = await timed(() => runImport(app, "invoices", file));
  global.gc?.();
  const retained = process.memoryUsage().heapUsed - heapBefore;
  line("first import (all created)", first.ms, baseline.ms, `  ${(rows / (first.ms / 1000)).toFixed(0)} rows/s`);
  line("same file again (all unchanged)", again.ms, baseline.ms, `  ${(rows / (again.ms / 1000)).toFixed(0)} rows/s`);
  console.log(`JS heap retained after both imports (after GC): ${(retained / 1048576).toFixed(1)} MiB for ${rows} rows`);
  await app.close();
}

async function rankingBench(invoiceCount: number): Promise<void> {
  const asOf = "2026-11-20";
  const invoices: LedgerInvoice[] = [];
  for (let i = 0; i < invoiceCount; i++) {
    const dueDate = addDays(asOf, -(i % 200) + 30);
    invoices.push({
      id: i,
      number: `N${i}`,
      accountId: i % 2000,
      currency: i % 5 === 0 ? "EUR" : "USD",
      amountMinor: BigInt(10_000 + (i % 90_000)),
      issueDate: addDays(dueDate, -30),
      dueDate,
      snapshots: [],
      payments: i % 3 === 0 ? [{ paidOn: addDays(dueDate, 5), amountMinor: 5_000n }] : [],
      disputes: [],
    });
  }
  const accounts = Array.from({ length: 2000 }, (_, id) => ({ id, externalId: `A${id}`, name: `Account ${id}`, tier: id % 10 === 0 ? "strategic" : null }));
  const ledger = { accounts, invoices, claims: [], promises: [], humanActivityDays: new Map() };
  const baseline = await timed(() => invoices.reduce((sum, inv) => sum + openBalanceAt(inv, asOf), 0n));
  console.log(`\nRanking ${invoiceCount} invoices of 2000 accounts (baseline: one open balance per invoice)`);
  line("baseline: open balance of every invoice", baseline.ms, baseline.ms);
  const ranking = await timed(() => rankAccounts(ledger, asOf, { stallDays: 7, promiseGraceDays: 1 }));
  line("rankAccounts (digest)", ranking.ms, baseline.ms);
  const metrics = await timed(() => metricsByCurrency(invoices, asOf));
  line("metricsByCurrency (stats)", metrics.ms, baseline.ms);
}

async function main(): Promise<void> {
  await importBench(Number(process.env.BENCH_ROWS ?? 20_000));
  await rankingBench(Number(process.env.BENCH_INVOICES ?? 100_000));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
