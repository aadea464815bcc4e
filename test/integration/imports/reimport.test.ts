import { openInvoicesCsv } from "../../../adapters/csv/import-file";
import { runImport } from "../../../bot/run-import";
import { importInvoices } from "../../../domain/usecases/import-invoices";
import { csv, writeCsv } from "../../support/csv-files";
import { snapshotOfData, tableCounts } from "../../support/db-counts";
import { useTestApp } from "../../support/test-app";

const HEADER = "customer_id,customer,invoice_number,issue_date,due_date,amount,currency";
const t = useTestApp("2026-11-20T12:00:00Z");

/** Rows over several batches of 1 000, each invoice stated by its cells only. */
function rows(count: number, change: (i: number, row: string[]) => void = () => undefined): string[] {
  return Array.from({ length: count }, (_, i) => {
    const row = [`C${i % 9}`, `Customer ${i % 9}`, `N-${i}`, "2026-09-01", "2026-10-01", `${(i % 70) + 1}.25`, i % 4 === 0 ? "EUR" : "USD"];
    change(i, row);
    return row.join(",");
  });
}

test("a re-import of 2 500 unchanged rows reports each unchanged and writes nothing, timeline included", async () => {
  const file = writeCsv("all.csv", csv(HEADER, ...rows(2500)));
  expect(await runImport(t.app, "invoices", file)).toMatchObject({ created: 2500, rejected: [] });
  const before = await snapshotOfData(t.app.db.prisma);
  t.app.clock.advanceDays(1);
  const again = await runImport(t.app, "invoices", file);
  expect(again).toMatchObject({ rows: 2500, created: 0, updated: 0, unchanged: 2500, rejected: [] });
  expect(await snapshotOfData(t.app.db.prisma)).toEqual(before);
});

test("among unchanged rows, each changed one is updated once with its timeline row, whatever changed", async () => {
  await runImport(t.app, "invoices", writeCsv("day1.csv", csv(HEADER, ...rows(2500))));
  const counts = await tableCounts(t.app.db.prisma);
  const changed = rows(2500, (i, row) => {
    if (i === 10) row[4] = "2026-10-15"; // due date
    if (i === 700) row[3] = "2026-08-30"; // issue date
    if (i === 1200) row[5] = "999.00"; // amount
    if (i === 1201) row[0] = "C8"; // another known account (N-1201 belongs to C4)
    if (i === 2499) row[6] = "GBP"; // currency, in the last batch
  });
  const report = await runImport(t.app, "invoices", writeCsv("day2.csv", csv(HEADER, ...changed)));
  expect(report).toMatchObject({ rows: 2500, created: 0, updated: 5, unchanged: 2495, rejected: [] });
  expect(await tableCounts(t.app.db.prisma)).toEqual({ ...counts, activities: counts.activities! + 5 });
  const timeline = await t.app.db.prisma.activity.findMany({ where: { kind: "invoice_updated" }, orderBy: { id: "asc" } });
  expect(timeline.map((a) => [a.subject, a.after])).toEqual([
    ["N-10", expect.objectContaining({ dueDate: "2026-10-15" })],
    ["N-700", expect.objectContaining({ issueDate: "2026-08-30" })],
    ["N-1200", expect.objectContaining({ amount: "999.00" })],
    ["N-1201", expect.objectContaining({ account: "C8" })],
    ["N-2499", expect.objectContaining({ currency: "GBP" })],
  ]);
  const moved = await t.app.imports.invoicesByNumber(["N-1201", "N-2499"]);
  expect(moved.map((i) => [i.accountExternalId, i.currency])).toEqual([
    ["C8", "USD"],
    ["C6", "GBP"],
  ]);
  // The same file once more: nothing left to change.
  expect(await runImport(t.app, "invoices", writeCsv("day3.csv", csv(HEADER, ...changed)))).toMatchObject({ updated: 0, unchanged: 2500 });
});

test("an unchanged row that also reports a balance still records the ERP's figure", async () => {
  await runImport(t.app, "invoices", writeCsv("d1.csv", csv(HEADER, ...rows(1500))));
  const withBalance = csv(`${HEADER},balance`, ...rows(1500).map((row, i) => `${row},${i === 1400 ? "1.00" : ""}`));
  const report = await runImport(t.app, "invoices", writeCsv("d2.csv", withBalance));
  expect(report).toMatchObject({ updated: 1, unchanged: 1499, rejected: [] });
  expect(await t.app.db.prisma.activity.findMany({ where: { kind: "balance_reported" }, select: { subject: true } })).toEqual([{ subject: "N-1400" }]);
});

test("an ambiguous date on the last line of a file of several batches rejects the whole file, and nothing is applied", async () => {
  const file = writeCsv("late.csv", csv(HEADER, ...rows(2500), "C1,Customer 1,N-LATE,11/02/2026,12/02/2026,10.00,USD"));
  await expect(runImport(t.app, "invoices", file)).rejects.toThrow(/line 2502: "11\/02\/2026" could be day\/month or month\/day/);
  expect(await tableCounts(t.app.db.prisma)).toMatchObject({ accounts: 0, invoices: 0, activities: 0 });
});

test("an invoice created in one batch and voided in a later batch of the same file is closed on its timeline", async () => {
  const header = `${HEADER},status`;
  const file = writeCsv("void-late.csv", csv(header, ...rows(1000).map((row) => `${row},Open`), "C5,Customer 5,N-5,2026-09-01,2026-10-01,6.25,USD,Voided"));
  const report = await runImport(t.app, "invoices", file);
  expect(report).toMatchObject({ rows: 1001, created: 1000, updated: 1, rejected: [] });
  const closed = await t.app.db.prisma.activity.findMany({ where: { kind: "invoice_closed" }, select: { subject: true, after: true } });
  expect(closed).toEqual([{ subject: "N-5", after: { balance: "0.00", why: "voided in the export" } }]);
});

test("a number voided in one batch and stated open in a later batch is reopened as stated", async () => {
  await runImport(t.app, "invoices", writeCsv("open.csv", csv(HEADER, ...rows(1000))));
  t.app.clock.advanceDays(1);
  const header = `${HEADER},status,balance`;
  const file = writeCsv(
    "void-then-open.csv",
    csv(header, ...rows(1000).map((row, i) => `${row},${i === 7 ? "Voided" : "Open"},`), "C7,Customer 7,N-7,2026-09-01,2026-10-01,8.25,USD,Open,8.25"),
  );
  const report = await runImport(t.app, "invoices", file);
  expect(report).toMatchObject({ rows: 1001, created: 0, updated: 2, unchanged: 999, rejected: [] });
  const timeline = await t.app.db.prisma.activity.findMany({ where: { subject: "N-7" }, orderBy: { id: "asc" }, select: { kind: true } });
  expect(timeline.map((a) => a.kind)).toEqual(["invoice_added", "invoice_closed", "balance_reported"]);
  const [invoice] = await t.app.imports.invoicesByNumber(["N-7"]);
  expect(invoice!.snapshots.map((s) => [s.asOf, s.balanceMinor])).toEqual([[t.app.clock.today(), 825n]]);
});

test("a file that cannot be read on after its first batch keeps that batch and says why", async () => {
  const file = writeCsv("cut.csv", csv(HEADER, ...rows(2500)));
  const real = await openInvoicesCsv(file, { defaultCurrency: "USD" });
  const cut = {
    ...real,
    async *rows() {
      let given = 0;
      for await (const run of real.rows()) {
        if (given >= 1000) throw new Error("the disk went away (test)");
        yield run;
        given += run.length;
      }
    },
  };
  await expect(importInvoices({ store: t.app.imports, clock: t.app.clock }, cut, { file, dryRun: false, actor: { label: "import:cut.csv", platform: "cli" } })).rejects.toThrow(
    /the disk went away \(test\)/,
  );
  // The batches before the one that could not be read stay, whole.
  const { invoices } = await tableCounts(t.app.db.prisma);
  expect(invoices).toBeGreaterThanOrEqual(1000);
  expect(invoices! % 1000).toBe(0);
});

test("a batch whose timeline cannot be written fails with that cause, and none of its rows stay", async () => {
  const prisma = t.app.db.prisma;
  await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION arbot_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$`);
  await prisma.$executeRawUnsafe(`CREATE TRIGGER arbot_test_fail BEFORE INSERT ON "Activity" FOR EACH ROW EXECUTE FUNCTION arbot_test_fail()`);
  try {
    // Balances and disputes are written after the timeline's statement is sent.
    const file = writeCsv("fail.csv", csv(`${HEADER},balance,disputed`, ...rows(10).map((row) => `${row},1.00,yes`)));
    await expect(runImport(t.app, "invoices", file)).rejects.toThrow(/disk full \(test\)/);
    expect(await tableCounts(prisma)).toMatchObject({ accounts: 0, invoices: 0, snapshots: 0, activities: 0 });
  } finally {
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS arbot_test_fail ON "Activity"`);
  }
});
