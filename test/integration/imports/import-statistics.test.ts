import { runImport } from "../../../bot/run-import";
import { csv, writeCsv } from "../../support/csv-files";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-20T12:00:00Z");

/** What the planner believes the table holds: -1 or 0 until statistics are gathered. */
async function plannedRows(table: string): Promise<number> {
  const [row] = await t.app.db.prisma.$queryRawUnsafe<{ rows: number }[]>(`SELECT reltuples::float8 AS "rows" FROM pg_class WHERE oid = '"${table}"'::regclass`);
  return Number(row!.rows);
}

function invoices(count: number, from = 0): string {
  const rows = Array.from({ length: count }, (_, i) => `C${(from + i) % 300},Customer ${(from + i) % 300},INV-${from + i},2026-09-01,2026-10-01,${100 + i}.00`);
  return writeCsv(`invoices-${from}-${count}.csv`, csv("customer_id,customer,invoice_number,issue_date,due_date,amount", ...rows));
}

// Only arbot's own ANALYZE may gather statistics here (on PostgreSQL autovacuum could too).
beforeEach(async () => {
  for (const table of ["Invoice", "Account", "Activity"]) await t.app.db.prisma.$executeRawUnsafe(`ALTER TABLE "${table}" SET (autovacuum_enabled = false)`);
});

test("a large import leaves the database planning queries for the ledger as it now is; a small one or a dry run does not pay for it", async () => {
  await runImport(t.app, "invoices", invoices(1_000), { dryRun: true });
  await runImport(t.app, "invoices", invoices(999));
  expect(await plannedRows("Invoice")).toBeLessThan(1);
  await runImport(t.app, "invoices", invoices(1_000, 999));
  expect(await plannedRows("Invoice")).toBe(1_999);
  expect(await plannedRows("Account")).toBe(300);
  expect(await plannedRows("Activity")).toBeGreaterThanOrEqual(1_999);
  // The timeline's columns that queries filter and join on have statistics of their own.
  const columns = await t.app.db.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT attname::text AS "name" FROM pg_stats WHERE tablename = 'Activity' AND schemaname = current_schema() ORDER BY 1`);
  expect(columns.map((c) => c.name)).toEqual(expect.arrayContaining(["accountId", "at", "kind", "human"]));
});

test("statistics that cannot be refreshed leave the import saved, with a warning that says so", async () => {
  const store = t.app.imports as { refreshStatistics(kind: string): Promise<void> };
  const refresh = store.refreshStatistics;
  store.refreshStatistics = async () => {
    throw new Error("canceling statement due to statement timeout");
  };
  try {
    const report = await runImport(t.app, "invoices", invoices(1_000));
    expect(report).toMatchObject({ created: 1_000, rejected: [] });
    expect(report.warnings).toContain(
      "the import is saved, but the database's statistics were not refreshed (canceling statement due to statement timeout); queries may be slow until autovacuum analyzes the tables",
    );
    expect(await t.app.db.prisma.invoice.count()).toBe(1_000);
  } finally {
    store.refreshStatistics = refresh;
  }
});
