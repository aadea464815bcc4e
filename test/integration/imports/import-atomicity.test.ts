import { runImport } from "../../../bot/run-import";
import { csv, writeCsv } from "../../support/csv-files";
import { snapshotOfData, tableCounts } from "../../support/db-counts";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-20T12:00:00Z");

/**
 * A batch is written by a dozen set-based statements in one transaction: when the last one
 * (the timeline) fails, as a crash mid-batch would, none of the batch's rows stay.
 */
async function failTimelineWrites(on: boolean): Promise<void> {
  const prisma = t.app.db.prisma;
  if (on) {
    await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION arbot_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER arbot_test_fail BEFORE INSERT ON "Activity" FOR EACH ROW EXECUTE FUNCTION arbot_test_fail()`);
  } else {
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS arbot_test_fail ON "Activity"`);
  }
}

afterEach(() => failTimelineWrites(false));

test("a batch that fails while written leaves nothing of it: accounts, owners, invoices, payments", async () => {
  await runImport(t.app, "invoices", writeCsv("i0.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount,currency", "C1,Acme,INV-1,2026-09-01,2026-10-01,1000.00,USD")));
  const before = await snapshotOfData(t.app.db.prisma);
  const counts = await tableCounts(t.app.db.prisma);

  await failTimelineWrites(true);
  const accounts = writeCsv("a.csv", csv("account_id,name,finance_owner_email", "C1,Acme Corp,fin@example.com", "C2,Beta,fin2@example.com"));
  const invoices = writeCsv("i.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount,balance,currency,disputed", "C1,Acme,INV-1,2026-09-01,2026-10-01,1000.00,400.00,USD,yes", "C3,Gamma,INV-2,2026-09-01,2026-10-01,20.00,,USD,no"));
  const payments = writeCsv("p.csv", csv("invoice_number,paid_on,amount,reference", "INV-1,2026-10-10,100.00,W1"));
  await expect(runImport(t.app, "accounts", accounts)).rejects.toThrow();
  await expect(runImport(t.app, "invoices", invoices)).rejects.toThrow();
  await expect(runImport(t.app, "payments", payments)).rejects.toThrow();
  expect(await snapshotOfData(t.app.db.prisma)).toEqual(before);
  expect(await tableCounts(t.app.db.prisma)).toEqual(counts);

  // Once the cause is gone, the same files import in full.
  await failTimelineWrites(false);
  expect(await runImport(t.app, "accounts", accounts)).toMatchObject({ created: 1, updated: 1, rejected: [] });
  expect(await runImport(t.app, "invoices", invoices)).toMatchObject({ created: 1, updated: 1, rejected: [] });
  expect(await runImport(t.app, "payments", payments)).toMatchObject({ created: 1, rejected: [] });
});

test("new invoices of stored accounts: a batch whose timeline fails leaves nothing of itself, the batches before it stay", async () => {
  await runImport(t.app, "accounts", writeCsv("a.csv", csv("account_id,name", "C1,Acme", "C2,Globex")));
  const prisma = t.app.db.prisma;
  await prisma.$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION arbot_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."subject" = 'INV-01500' THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$`,
  );
  await prisma.$executeRawUnsafe(`CREATE TRIGGER arbot_test_fail BEFORE INSERT ON "Activity" FOR EACH ROW EXECUTE FUNCTION arbot_test_fail()`);
  const rows = Array.from({ length: 2_500 }, (_, i) => `C${1 + (i % 2)},x,INV-${String(i).padStart(5, "0")},2026-09-01,2026-10-01,10.00,USD`);
  await expect(runImport(t.app, "invoices", writeCsv("many.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount,currency", ...rows)))).rejects.toThrow(
    "disk full (test)",
  );
  // The first batch of 1 000 rows, invoices and timeline; nothing of the second or the third.
  const invoices = await prisma.invoice.findMany({ orderBy: { id: "asc" } });
  expect(invoices.map((i) => i.number)).toEqual(rows.slice(0, 1_000).map((_, i) => `INV-${String(i).padStart(5, "0")}`));
  expect(await prisma.activity.count({ where: { kind: "invoice_added" } })).toBe(1_000);
});

test("an invoices file alone: a batch that fails leaves none of the accounts it created; the batches before it keep theirs", async () => {
  const prisma = t.app.db.prisma;
  await prisma.$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION arbot_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."subject" = 'INV-01500' THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$`,
  );
  await prisma.$executeRawUnsafe(`CREATE TRIGGER arbot_test_fail BEFORE INSERT ON "Activity" FOR EACH ROW EXECUTE FUNCTION arbot_test_fail()`);
  // Ten invoices per account: C0–C99 in the first batch, C100–C199 in the second.
  const rows = Array.from({ length: 2_500 }, (_, i) => `C${Math.floor(i / 10)},x,INV-${String(i).padStart(5, "0")},2026-09-01,2026-10-01,10.00,USD`);
  await expect(runImport(t.app, "invoices", writeCsv("alone.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount,currency", ...rows)))).rejects.toThrow(
    "disk full (test)",
  );
  expect((await prisma.account.findMany({ orderBy: { id: "asc" } })).map((a) => a.externalId)).toEqual(Array.from({ length: 100 }, (_, n) => `C${n}`));
  expect(await prisma.invoice.count()).toBe(1_000);
  expect(await prisma.activity.count()).toBe(1_100);
});
