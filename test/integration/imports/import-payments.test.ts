import { runImport } from "../../../bot/run-import";
import { openBalanceAt } from "../../../domain/policies/open-balance";
import { IMPORT_BATCH_SIZE } from "../../../domain/usecases/import-batches";
import { csv, writeCsv } from "../../support/csv-files";
import { snapshotOfData } from "../../support/db-counts";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-20T12:00:00Z");

beforeEach(async () => {
  await runImport(
    t.app,
    "invoices",
    writeCsv("inv.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount,currency", "C1,Acme,INV-1,2026-09-01,2026-10-01,1000.00,USD", "C1,Acme,INV-2,2026-09-01,2026-10-01,50000,JPY")),
  );
});

const balance = async (number: string) => openBalanceAt((await t.app.imports.invoicesByNumber([number]))[0]!, "2026-11-20");

test("a payment's identity is (invoice, reference): the same reference twice changes nothing", async () => {
  const file = writeCsv("p.csv", csv("invoice_number,payment_date,amount_paid,reference", "INV-1,2026-10-10,100.00,WIRE-1", "INV-1,2026-10-11,50.00,WIRE-2"));
  expect(await runImport(t.app, "payments", file)).toMatchObject({ created: 2, rejected: [] });
  const before = await snapshotOfData(t.app.db.prisma);
  expect(await runImport(t.app, "payments", file)).toMatchObject({ created: 0, unchanged: 2, rejected: [] });
  expect(await snapshotOfData(t.app.db.prisma)).toEqual(before);
  expect(await balance("INV-1")).toBe(85000n); // 1000 − 100 − 50
});

test("a known reference with another amount or date is rejected, naming what is recorded", async () => {
  await runImport(t.app, "payments", writeCsv("p1.csv", csv("invoice_number,paid_on,amount,ref", "INV-1,2026-10-10,100.00,WIRE-1")));
  const report = await runImport(t.app, "payments", writeCsv("p2.csv", csv("invoice_number,paid_on,amount,ref", "INV-1,2026-10-10,120.00,WIRE-1")));
  expect(report.rejected).toEqual([{ line: 2, column: "amount", value: "120.00", reason: "this payment is already recorded as 100.00 on 2026-10-10" }]);
});

test("without a reference, identical rows are distinct payments by their repeat number, and stay idempotent", async () => {
  const file = writeCsv("p.csv", csv("invoice_number,paid_on,amount", "INV-1,2026-10-10,100.00", "INV-1,2026-10-10,100.00", "INV-1,2026-10-12,100.00"));
  expect(await runImport(t.app, "payments", file)).toMatchObject({ created: 3 });
  expect(await runImport(t.app, "payments", file)).toMatchObject({ created: 0, unchanged: 3 });
  // A later export with one more identical row adds just that one.
  const more = writeCsv("p2.csv", csv("invoice_number,paid_on,amount", "INV-1,2026-10-10,100.00", "INV-1,2026-10-10,100.00", "INV-1,2026-10-10,100.00", "INV-1,2026-10-12,100.00"));
  expect(await runImport(t.app, "payments", more)).toMatchObject({ created: 1, unchanged: 3 });
  expect(await balance("INV-1")).toBe(60000n);
});

test("rejections: unknown invoice, amount ≤ 0, future date, below zero, other currency, repeated reference", async () => {
  const file = writeCsv(
    "p.csv",
    csv(
      "invoice_number,paid_on,amount,currency,reference",
      "NOPE,2026-10-10,10.00,USD,R1",
      "INV-1,2026-10-10,0,USD,R2",
      "INV-1,2026-11-21,10.00,USD,R3",
      "INV-1,2026-10-10,1000.01,USD,R4",
      "INV-1,2026-10-10,10.00,EUR,R5",
      "INV-1,2026-10-10,10.00,USD,R6",
      "INV-1,2026-10-11,10.00,USD,R6",
      "INV-2,2026-10-10,100.5,JPY,R7",
      "INV-2,2026-10-10,50000,,R8",
    ),
  );
  const report = await runImport(t.app, "payments", file);
  expect(report.rejected.map((r) => [r.line, r.column, r.reason])).toEqual([
    [2, "invoice_number", "unknown invoice; import it first"],
    [3, "amount", "amount must be greater than 0"],
    [4, "paid_on", "payment date is after today (2026-11-20)"],
    [5, "amount", "would take the invoice below zero (open 1000.00)"],
    [6, "currency", "the invoice is in USD"],
    [8, "reference", "payment repeated: first on line 7"],
    [9, "amount", "JPY has no decimals"],
  ]);
  expect(report.created).toBe(2);
  expect(await balance("INV-2")).toBe(0n);
});

test("payments of one file count together against the balance, dry run included", async () => {
  const file = writeCsv("p.csv", csv("invoice_number,paid_on,amount,reference", "INV-1,2026-10-10,600.00,A", "INV-1,2026-10-11,600.00,B"));
  const dry = await runImport(t.app, "payments", file, { dryRun: true });
  expect(dry.created).toBe(1);
  expect(dry.rejected[0]).toMatchObject({ line: 3, reason: "would take the invoice below zero (open 400.00)" });
  expect(await t.app.db.prisma.payment.count()).toBe(0);
  const real = await runImport(t.app, "payments", file);
  expect({ ...dry, dryRun: false }).toEqual(real);
});

test("each batch reads its own invoices afresh: a later batch counts what earlier batches paid without keeping their invoices, dry run included", async () => {
  // Batch 1 (IMPORT_BATCH_SIZE rows) pays 600.00 of INV-1 and fills up with yen payments of
  // INV-2; batch 2 pays INV-1 again, which only fits if it knows about batch 1's payment.
  const filler = Array.from({ length: IMPORT_BATCH_SIZE - 1 }, (_, i) => `INV-2,2026-10-10,1,Y-${i}`);
  const file = writeCsv("p.csv", csv("invoice_number,paid_on,amount,reference", "INV-1,2026-10-10,600.00,A", ...filler, "INV-1,2026-10-11,500.00,B", "INV-1,2026-10-12,400.00,C"));
  // The invoice numbers each lookup asks the store for.
  const asked: string[][] = [];
  const imports = new Proxy(t.app.imports, {
    get: (target, property) =>
      property === "invoicesByNumber"
        ? (numbers: string[]) => {
            asked.push(numbers);
            return target.invoicesByNumber(numbers);
          }
        : Reflect.get(target, property),
  });
  const dry = await runImport({ ...t.app, imports }, "payments", file, { dryRun: true });
  expect(asked).toEqual([["INV-1", "INV-2"], ["INV-1"]]);
  expect(await t.app.db.prisma.payment.count()).toBe(0);
  asked.length = 0;
  const real = await runImport({ ...t.app, imports }, "payments", file);
  expect(asked).toEqual([["INV-1", "INV-2"], ["INV-1"]]);
  expect(real).toMatchObject({ created: IMPORT_BATCH_SIZE + 1 });
  expect(real.rejected).toEqual([{ line: IMPORT_BATCH_SIZE + 2, column: "amount", value: "500.00", reason: "would take the invoice below zero (open 400.00)" }]);
  expect({ ...dry, dryRun: false }).toEqual(real);
  expect(await balance("INV-1")).toBe(0n);
  expect(await balance("INV-2")).toBe(BigInt(50000 - (IMPORT_BATCH_SIZE - 1)));
}, 60_000);

describe("a batch's invoices are read while the batch before it is written: that batch's payments count once", () => {
  // Batch 1 pays 600.00 of INV-1 (1 000.00); batch 2 pays 500.00 (does not fit once 600.00 is
  // counted) and 400.00 (fits exactly, unless 600.00 is counted twice).
  const filler = Array.from({ length: IMPORT_BATCH_SIZE - 1 }, (_, i) => `INV-2,2026-10-10,1,Y-${i}`);
  const file = () => writeCsv("p.csv", csv("invoice_number,paid_on,amount,reference", "INV-1,2026-10-10,600.00,A", ...filler, "INV-1,2026-10-11,500.00,B", "INV-1,2026-10-12,400.00,C"));

  /** The store, with batch 1's write and batch 2's read held until `order` lets each go. */
  function heldStore(order: "read before the write" | "read after the write") {
    let askedSecond!: () => void;
    const secondAsked = new Promise<void>((resolve) => (askedSecond = resolve));
    let firstWritten!: () => void;
    const firstWrite = new Promise<void>((resolve) => (firstWritten = resolve));
    let secondRead!: () => void;
    const secondDone = new Promise<void>((resolve) => (secondRead = resolve));
    const seen = { secondAskedBeforeFirstWritten: false };
    let reads = 0;
    let writes = 0;
    let written = false;
    const imports = new Proxy(t.app.imports, {
      get: (target, property) => {
        if (property === "invoicesByNumber") {
          return async (numbers: string[]) => {
            if (++reads !== 2) return target.invoicesByNumber(numbers);
            seen.secondAskedBeforeFirstWritten = !written;
            askedSecond();
            if (order === "read after the write") await firstWrite;
            const found = await target.invoicesByNumber(numbers);
            secondRead();
            return found;
          };
        }
        if (property === "apply") {
          return async (...args: Parameters<typeof target.apply>) => {
            if (++writes !== 1) return target.apply(...args);
            // The second batch's lookup has begun before the first batch is written.
            await secondAsked;
            if (order === "read before the write") await secondDone;
            await target.apply(...args);
            written = true;
            firstWritten();
          };
        }
        return Reflect.get(target, property);
      },
    });
    return { imports, seen };
  }

  test.each(["read before the write", "read after the write"] as const)("%s", async (order) => {
    const { imports, seen } = heldStore(order);
    const report = await runImport({ ...t.app, imports }, "payments", file());
    expect(seen.secondAskedBeforeFirstWritten).toBe(true);
    expect(report).toMatchObject({ created: IMPORT_BATCH_SIZE + 1 });
    expect(report.rejected).toEqual([{ line: IMPORT_BATCH_SIZE + 2, column: "amount", value: "500.00", reason: "would take the invoice below zero (open 400.00)" }]);
    expect(await balance("INV-1")).toBe(0n);
    expect(await t.app.db.prisma.payment.count()).toBe(IMPORT_BATCH_SIZE + 1);
  }, 60_000);
});

test("a payments export that repeats the invoice total records what was paid", async () => {
  const file = writeCsv("p.csv", csv("Invoice No,Payment Date,Invoice Amount,Amount Paid,Reference", "INV-1,2026-10-10,1000.00,250.00,CHK-1"));
  const report = await runImport(t.app, "payments", file);
  expect(report).toMatchObject({ created: 1, warnings: ["ignored columns: Invoice Amount"] });
  expect(await balance("INV-1")).toBe(75000n);
});

test("payments dated on an ERP balance day must fit in what was open the day before", async () => {
  await runImport(t.app, "invoices", writeCsv("b.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount,balance", "C1,Acme,INV-1,2026-09-01,2026-10-01,1000.00,0")));
  const report = await runImport(t.app, "payments", writeCsv("p.csv", csv("invoice_number,paid_on,amount,reference", "INV-1,2026-11-20,50000.00,BIG", "INV-1,2026-11-20,1000.00,EXACT")));
  expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([[2, "would take the invoice below zero (open 0.00)"]]);
  expect(report.created).toBe(1); // the ERP's own 1000.00 of that day fits exactly
});

test("a reference repeated after a row refused for another cell, or for a rule, is still a repeat", async () => {
  const file = writeCsv(
    "p.csv",
    csv("invoice_number,paid_on,amount,reference", "INV-1,2026-10-10,abc,W-1", "INV-1,2026-10-10,50.00,W-1", "INV-1,2026-11-25,10.00,W-2", "INV-1,2026-10-12,10.00,W-2"),
  );
  const dry = await runImport(t.app, "payments", file, { dryRun: true });
  const real = await runImport(t.app, "payments", file);
  expect({ ...dry, dryRun: false }).toEqual(real);
  expect(real.rejected.map((r) => [r.line, r.column, r.reason])).toEqual([
    [2, "amount", "not a number"],
    [3, "reference", "payment repeated: first on line 2"],
    [4, "paid_on", "payment date is after today (2026-11-20)"],
    [5, "reference", "payment repeated: first on line 4"],
  ]);
  expect(await t.app.db.prisma.payment.count()).toBe(0);
});
