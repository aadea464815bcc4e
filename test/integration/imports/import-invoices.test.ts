import { CsvFileRejected } from "../../../adapters/csv/csv-file";
import { runImport } from "../../../bot/run-import";
import { getArStats } from "../../../domain/usecases/get-ar-stats";
import { openBalanceAt } from "../../../domain/policies/open-balance";
import { csv, writeCsv } from "../../support/csv-files";
import { snapshotOfData, tableCounts } from "../../support/db-counts";
import { actorFor, say } from "../../support/actors";
import { useTestApp } from "../../support/test-app";

const HEADER = "customer_id,customer,invoice_number,issue_date,due_date,amount,currency";

const t = useTestApp("2026-11-20T12:00:00Z");

async function invoice(number: string) {
  const [found] = await t.app.imports.invoicesByNumber([number]);
  return found!;
}

test("importing the same file twice leaves the database unchanged, activity included", async () => {
  const file = writeCsv(
    "invoices.csv",
    csv(HEADER, "C1,Acme Corp,INV-1,2026-09-01,2026-10-01,1200.00,USD", "C1,Acme Corp,INV-2,2026-10-01,2026-10-31,300.50,USD", "C2,Globex,INV-3,2026-10-05,2026-11-04,99.99,EUR"),
  );
  const first = await runImport(t.app, "invoices", file);
  expect(first).toMatchObject({ rows: 3, created: 3, updated: 0, unchanged: 0, rejected: [] });
  const before = await snapshotOfData(t.app.db.prisma);

  t.app.clock.advanceDays(1);
  const second = await runImport(t.app, "invoices", file);
  expect(second).toMatchObject({ rows: 3, created: 0, updated: 0, unchanged: 3, rejected: [] });
  expect(await snapshotOfData(t.app.db.prisma)).toEqual(before);
});

test("a day-2 export holding day-1's rows plus new ones only adds the new ones", async () => {
  const day1 = csv(HEADER, "C1,Acme Corp,INV-1,2026-09-01,2026-10-01,1200.00,USD", "C1,Acme Corp,INV-2,2026-10-01,2026-10-31,300.50,USD");
  await runImport(t.app, "invoices", writeCsv("day1.csv", day1));
  const counts = await tableCounts(t.app.db.prisma);

  t.app.clock.advanceDays(1);
  const day2 = day1 + "C2,Globex,INV-3,2026-11-15,2026-12-15,80.00,USD\n";
  const report = await runImport(t.app, "invoices", writeCsv("day2.csv", day2));
  expect(report).toMatchObject({ rows: 3, created: 1, unchanged: 2, updated: 0 });
  // One invoice, one new account, and their two timeline entries.
  expect(await tableCounts(t.app.db.prisma)).toEqual({ ...counts, invoices: counts.invoices! + 1, accounts: counts.accounts! + 1, activities: counts.activities! + 2 });
});

test("a file with bad rows applies the good ones and names every bad line", async () => {
  const file = writeCsv(
    "mixed.csv",
    csv(
      HEADER,
      "C1,Acme Corp,INV-1,2026-09-01,2026-10-01,1200.00,USD",
      "C1,Acme Corp,INV-2,2026-10-01,2026-09-01,10.00,USD",
      "C1,Acme Corp,INV-3,2026-10-01,2026-10-31,-5.00,USD",
      "",
      "C1,Acme Corp,INV-4,2026-10-01,2026-10-31,10.001,USD",
      "C1,Acme Corp,INV-5,2026-02-30,2026-10-31,10.00,USD",
      "C1,Acme Corp,INV-6,2026-10-01,2026-10-31,10.00,XXX",
      "C9,,INV-7,2026-10-01,2026-10-31,10.00,USD",
      "C1,Acme Corp,INV-1,2026-09-01,2026-10-01,1200.00,USD",
      "C1,Acme Corp,INV-8,2026-10-01,2026-10-31,abc,USD",
      ",Acme Corp,,2026-10-01,2026-10-31,10.00,USD",
      "C1,Acme Corp,INV-9,2026-10-01,2026-10-31,\"1,000.00\",USD",
    ),
  );
  const report = await runImport(t.app, "invoices", file);
  expect(report.created).toBe(3); // INV-1, INV-7 (its account C9 created, named by its id) and INV-9
  expect(report.rows).toBe(11);
  expect(report.credits).toEqual({ created: 1, updated: 0, unchanged: 0 }); // INV-3, a negative amount
  expect(report.rejected.map((r) => [r.line, r.column, r.value])).toEqual([
    [3, "due_date", "2026-09-01"],
    [6, "amount", "10.001"], // line 5 is blank: lines are physical
    [7, "issue_date", "2026-02-30"],
    [8, "currency", "XXX"],
    [10, "invoice_number", "INV-1"],
    [11, "amount", "abc"],
    [12, "invoice_number", ""],
  ]);
  expect(report.rejected.find((r) => r.line === 10)!.reason).toBe("invoice repeated: first on line 2");
  expect(report.rejected.find((r) => r.line === 6)!.reason).toContain("no rounding");
  expect((await invoice("INV-9")).amountMinor).toBe(100000n);
});

test("a missing required column rejects the whole file and applies nothing", async () => {
  const file = writeCsv("no-due.csv", csv("customer_id,customer,invoice_number,issue_date,amount", "C1,Acme,INV-1,2026-09-01,10.00"));
  await expect(runImport(t.app, "invoices", file)).rejects.toThrow(CsvFileRejected);
  await expect(runImport(t.app, "invoices", file)).rejects.toThrow(/missing required column due_date/);
  expect((await tableCounts(t.app.db.prisma)).invoices).toBe(0);
});

test("slash dates need --date-format, and the advice names it; nothing is applied", async () => {
  const text = csv("invoice #,Customer Name,Invoice Date,Due Date,Total", "A-1,Acme,2026-09-01,2026-10-01,10.00", "A-2,Acme,11/02/2026,12/02/2026,10.00");
  const file = writeCsv("us.csv", text);
  await expect(runImport(t.app, "invoices", file)).rejects.toThrow(/--date-format DMY or --date-format MDY/);
  expect((await tableCounts(t.app.db.prisma)).invoices).toBe(0);
  const report = await runImport(t.app, "invoices", file, { dateFormat: "MDY" });
  expect(report.created).toBe(2);
  expect((await invoice("A-2")).dueDate).toBe("2026-12-02");
});

test("semicolon files use decimal commas, BOM and symbols are stripped, headers are normalized", async () => {
  const text = "\uFEFFKunden-Nr;Customer;Doc. No;Document Date;Due On;Gross Amount;CCY;Notes\r\n" + "K1;Müller GmbH;R-1;01.09.2026;01.10.2026;€ 1.234,56;eur;x\r\n";
  const report = await runImport(t.app, "invoices", writeCsv("de.csv", text));
  expect(report.rejected).toEqual([]);
  expect(report.warnings).toEqual(["ignored columns: Kunden-Nr, Notes"]);
  const r1 = await invoice("R-1");
  expect(r1).toMatchObject({ currency: "EUR", amountMinor: 123456n, issueDate: "2026-09-01", dueDate: "2026-10-01" });
});

test("an unknown account without a name is created with its id as name and one warning; with a name it takes the name", async () => {
  const text = csv("account_id,invoice_number,issue_date,due_date,amount", "Z9,INV-1,2026-09-01,2026-10-01,10.00", "Z9,INV-2,2026-09-02,2026-10-02,20.00");
  const report = await runImport(t.app, "invoices", writeCsv("a.csv", text));
  expect(report).toMatchObject({ created: 2, rejected: [] });
  expect(report.warnings).toEqual(["line 2: new account Z9 has no name in this file; created with its id as its name"]);
  expect((await t.app.imports.accountsByExternalId(["Z9"]))[0]).toMatchObject({ name: "Z9" });
  const named = await runImport(t.app, "invoices", writeCsv("b.csv", csv("account_id,name,invoice_number,issue_date,due_date,amount", "Y9,Yota,INV-3,2026-09-01,2026-10-01,10.00")));
  expect(named).toMatchObject({ created: 1, warnings: [] });
  expect((await t.app.imports.accountsByExternalId(["Y9"]))[0]).toMatchObject({ name: "Yota" });
});

test("a changed invoice is updated with an activity row; its currency cannot change once paid", async () => {
  await runImport(t.app, "invoices", writeCsv("v1.csv", csv(HEADER, "C1,Acme,INV-1,2026-09-01,2026-10-01,100.00,USD")));
  const updated = await runImport(t.app, "invoices", writeCsv("v2.csv", csv(HEADER, "C1,Acme,INV-1,2026-09-01,2026-10-15,120.00,USD")));
  expect(updated).toMatchObject({ updated: 1 });
  const activity = await t.app.db.prisma.activity.findFirst({ where: { kind: "invoice_updated" } });
  expect(activity).toMatchObject({ subject: "INV-1", actor: "import:v2.csv", human: false });
  expect(activity!.before).toMatchObject({ amount: "100.00", dueDate: "2026-10-01" });
  expect(activity!.after).toMatchObject({ amount: "120.00", dueDate: "2026-10-15" });

  await runImport(t.app, "payments", writeCsv("p.csv", csv("invoice_number,paid_on,amount", "INV-1,2026-10-20,20.00")));
  const refused = await runImport(t.app, "invoices", writeCsv("v3.csv", csv(HEADER, "C1,Acme,INV-1,2026-09-01,2026-10-15,120.00,EUR")));
  expect(refused.rejected[0]).toMatchObject({ line: 2, column: "currency", reason: "invoice has payments: its currency cannot change" });
});

test("balance snapshot: amount 1000 with balance 400 is 400 open from the import day, and ERP-applied payments do not count twice", async () => {
  await runImport(t.app, "invoices", writeCsv("inv.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount,balance", "C1,Acme,INV-1,2026-08-01,2026-08-31,1000.00,400.00")));
  const before = await invoice("INV-1");
  expect(openBalanceAt(before, "2026-11-19")).toBe(100000n); // before the import day: our own view, 1000.00
  expect(openBalanceAt(before, "2026-11-20")).toBe(40000n); // from the import day on: 400.00

  // Days later the payments export arrives with the 600.00 the ERP had already applied.
  t.app.clock.set("2026-11-23T12:00:00Z");
  const report = await runImport(t.app, "payments", writeCsv("pay.csv", csv("invoice_number,paid_on,amount,reference", "INV-1,2026-11-02,600.00,WIRE-1")));
  expect(report.created).toBe(1);
  const after = await invoice("INV-1");
  expect(openBalanceAt(after, "2026-11-23")).toBe(40000n); // still 400.00, not −200.00
  const stats = await getArStats(t.app, "2026-11-23", 1);
  expect(stats.currencies[0]!.ar).toBe(40000n);

  // A later payment after the snapshot does reduce it: 400 − 150 = 250.00
  await runImport(t.app, "payments", writeCsv("pay2.csv", csv("invoice_number,paid_on,amount,reference", "INV-1,2026-11-22,150.00,WIRE-2")));
  expect(openBalanceAt(await invoice("INV-1"), "2026-11-23")).toBe(25000n);
});

test("re-importing the same balance writes nothing; a new balance writes a dated snapshot", async () => {
  const header = "customer_id,customer,invoice_number,issue_date,due_date,amount,balance";
  await runImport(t.app, "invoices", writeCsv("d1.csv", csv(header, "C1,Acme,INV-1,2026-08-01,2026-08-31,1000.00,1000.00")));
  expect(await t.app.db.prisma.balanceSnapshot.count()).toBe(0); // equals our own balance
  t.app.clock.advanceDays(1);
  const same = await runImport(t.app, "invoices", writeCsv("d2.csv", csv(header, "C1,Acme,INV-1,2026-08-01,2026-08-31,1000.00,1000.00")));
  expect(same.unchanged).toBe(1);
  const lower = await runImport(t.app, "invoices", writeCsv("d3.csv", csv(header, "C1,Acme,INV-1,2026-08-01,2026-08-31,1000.00,250.00")));
  expect(lower.updated).toBe(1);
  const snapshots = await t.app.db.prisma.balanceSnapshot.findMany();
  expect(snapshots.map((s) => [s.asOf.toISOString().slice(0, 10), s.balanceMinor])).toEqual([["2026-11-21", 25000n]]);
  expect(await t.app.db.prisma.activity.count({ where: { kind: "balance_reported" } })).toBe(1);
});

test("--full closes open invoices missing from the export and lists them; --dry-run writes nothing", async () => {
  await runImport(t.app, "invoices", writeCsv("all.csv", csv(HEADER, "C1,Acme,INV-1,2026-09-01,2026-10-01,10.00,USD", "C1,Acme,INV-2,2026-09-01,2026-10-01,20.00,USD", "C1,Acme,INV-3,2026-09-01,2026-10-01,30.00,USD")));
  t.app.clock.advanceDays(1);
  const next = writeCsv("open.csv", csv(HEADER, "C1,Acme,INV-1,2026-09-01,2026-10-01,10.00,USD", "C1,Acme,INV-3,2026-09-01,2026-10-01,bad,USD"));
  const before = await snapshotOfData(t.app.db.prisma);
  const dry = await runImport(t.app, "invoices", next, { full: true, dryRun: true });
  expect(dry).toMatchObject({ dryRun: true, closed: ["INV-2"], unchanged: 1 });
  expect(dry.rejected).toHaveLength(1);
  expect(await snapshotOfData(t.app.db.prisma)).toEqual(before);

  const real = await runImport(t.app, "invoices", next, { full: true });
  expect(real.closed).toEqual(["INV-2"]); // INV-3's row was rejected, so it is not treated as missing
  expect(openBalanceAt(await invoice("INV-2"), "2026-11-21")).toBe(0n);
  expect(openBalanceAt(await invoice("INV-3"), "2026-11-21")).toBe(3000n);
});

test("--dry-run reports exactly what a real run does, across batches, and changes nothing", async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => `C${i % 7},Account ${i % 7},N-${i},2026-09-01,2026-10-01,${(i % 50) + 1}.00,USD`);
  const file = writeCsv("big.csv", csv(HEADER, ...rows));
  const dry = await runImport(t.app, "invoices", file, { dryRun: true });
  expect(await tableCounts(t.app.db.prisma)).toMatchObject({ invoices: 0, accounts: 0, activities: 0 });
  const real = await runImport(t.app, "invoices", file);
  expect({ ...dry, dryRun: false }).toEqual(real);
  expect(real.created).toBe(2500);
  expect(await t.app.db.prisma.account.count()).toBe(7);
});

test("an invoice cannot be re-imported with an amount below what was already paid", async () => {
  await runImport(t.app, "invoices", writeCsv("v1.csv", csv(HEADER, "C1,Acme,INV-1,2026-09-01,2026-10-01,1000.00,USD")));
  await runImport(t.app, "payments", writeCsv("p.csv", csv("invoice_number,paid_on,amount", "INV-1,2026-10-20,1000.00")));
  const report = await runImport(t.app, "invoices", writeCsv("v2.csv", csv(HEADER, "C1,Acme,INV-1,2026-09-01,2026-10-01,100.00,USD")));
  expect(report.rejected).toEqual([{ line: 2, column: "amount", value: "100.00", reason: "the invoice has been paid more than this amount; check the export" }]);
  expect((await invoice("INV-1")).amountMinor).toBe(100000n);

  // A later ERP balance of 0 hides the overpayment today, not on the days before it.
  await runImport(t.app, "invoices", writeCsv("v3.csv", csv(`${HEADER},balance`, "C1,Acme,INV-1,2026-09-01,2026-10-01,1000.00,USD,0.00")));
  const hidden = await runImport(t.app, "invoices", writeCsv("v4.csv", csv(HEADER, "C1,Acme,INV-1,2026-09-01,2026-10-01,100.00,USD")));
  expect(hidden.rejected.map((r) => r.reason)).toEqual(["the invoice has been paid more than this amount; check the export"]);
  expect((await invoice("INV-1")).amountMinor).toBe(100000n);
});

test("without an id column, names match ignoring case, and an existing account whose id is that name is reused", async () => {
  await runImport(t.app, "invoices", writeCsv("ids.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "Globex,Globex Corporation,G-1,2026-09-01,2026-10-01,10.00", "C7,Initech,I-1,2026-09-01,2026-10-01,10.00")));
  const report = await runImport(t.app, "invoices", writeCsv("names.csv", csv("customer,invoice_number,issue_date,due_date,amount", "Globex,G-2,2026-09-01,2026-10-01,20.00", "INITECH,I-2,2026-09-01,2026-10-01,20.00")));
  expect(report).toMatchObject({ created: 2, rejected: [] });
  expect(await t.app.db.prisma.account.count()).toBe(2);
  expect((await invoice("G-2")).accountExternalId).toBe("Globex");
  expect((await invoice("I-2")).accountExternalId).toBe("C7");
});

test("without a currency column, the amount's own code or sign sets the currency", async () => {
  const report = await runImport(t.app, "invoices", writeCsv("sym.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", 'C1,Acme,E-1,2026-09-01,2026-10-01,"€1,200.00"', "C1,Acme,G-1,2026-09-01,2026-10-01,GBP 75", "C1,Acme,U-1,2026-09-01,2026-10-01,$10.00")));
  expect(report.rejected).toEqual([]);
  expect([(await invoice("E-1")).currency, (await invoice("G-1")).currency, (await invoice("U-1")).currency]).toEqual(["EUR", "GBP", "USD"]);
  const mismatch = await runImport(t.app, "invoices", writeCsv("mm.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount,currency", 'C1,Acme,E-2,2026-09-01,2026-10-01,"€5.00",USD')));
  expect(mismatch.rejected[0]).toMatchObject({ column: "amount", reason: "amount is in EUR but the row's currency is USD" });
});

test("account names differing only in case are one account, within a run and when the file comes again", async () => {
  const file = writeCsv("case.csv", csv("customer,invoice_number,issue_date,due_date,amount", "Foo Inc,N-1,2026-09-01,2026-10-01,10", "FOO INC,N-2,2026-09-01,2026-10-01,20"));
  expect(await runImport(t.app, "invoices", file)).toMatchObject({ created: 2, rejected: [] });
  expect(await t.app.db.prisma.account.findMany({ select: { externalId: true, name: true } })).toEqual([{ externalId: "Foo Inc", name: "Foo Inc" }]);
  const before = await snapshotOfData(t.app.db.prisma);
  expect(await runImport(t.app, "invoices", file)).toMatchObject({ created: 0, unchanged: 2, rejected: [] });
  expect(await snapshotOfData(t.app.db.prisma)).toEqual(before);
});

test("a row without an id finds, by name in any case, an account created under an id earlier in the run", async () => {
  const file = writeCsv("ids.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "C1,Foo Inc,N-1,2026-09-01,2026-10-01,10", ",FOO INC,N-2,2026-09-01,2026-10-01,20"));
  const dry = await runImport(t.app, "invoices", file, { dryRun: true });
  const real = await runImport(t.app, "invoices", file);
  expect({ ...dry, dryRun: false }).toEqual(real);
  expect(real).toMatchObject({ created: 2, rejected: [] });
  expect(await t.app.db.prisma.account.findMany({ select: { externalId: true, name: true } })).toEqual([{ externalId: "C1", name: "Foo Inc" }]);
  expect(await runImport(t.app, "invoices", file)).toMatchObject({ unchanged: 2, rejected: [] });
});

test("an invoice number repeated after a row refused for another cell is still a repeat, dry run included", async () => {
  const file = writeCsv(
    "rep.csv",
    csv(
      "customer_id,customer,invoice_number,issue_date,due_date,amount",
      "C1,A,R-1,2026-09-01,2026-10-01,abc",
      "C1,A,R-1,2026-09-01,2026-10-01,50",
      "C1,A,R-2,2026-09-01,2026-10-01,50",
      "C1,A,R-2,2026-09-01,2026-10-01,xyz",
    ),
  );
  const dry = await runImport(t.app, "invoices", file, { dryRun: true });
  const real = await runImport(t.app, "invoices", file);
  expect({ ...dry, dryRun: false }).toEqual(real);
  expect(real.rejected).toEqual([
    { line: 2, column: "amount", value: "abc", reason: "not a number" },
    { line: 3, column: "invoice_number", value: "R-1", reason: "invoice repeated: first on line 2" },
    { line: 5, column: "amount", value: "xyz", reason: "not a number" }, // refused for its own cell, once
  ]);
  expect(real.created).toBe(1);
  expect((await invoice("R-2")).amountMinor).toBe(5000n);
});

test("a missing column names the headers found and the closest accepted spelling", async () => {
  const file = writeCsv("near.csv", csv("Customer,Invoice No,Invoice Date,Payment Due Dt,Amount", "Acme,A-1,2026-09-01,2026-10-01,10.00"));
  await expect(runImport(t.app, "invoices", file)).rejects.toThrow(
    /missing required column due_date .*closest: "Payment Due Dt" \(accepted: payment_due\)\. Headers found: Customer, Invoice No, Invoice Date, Payment Due Dt, Amount/,
  );
});

test("line items of one invoice merge when the invoice's cells agree and are refused citing both lines when they disagree", async () => {
  const header = "customer,invoice_number,issue_date,due_date,total,item,line_amount";
  const file = writeCsv(
    "lines.csv",
    csv(header, "Acme,L-1,2026-09-01,2026-10-01,150.00,Widget,100.00", "Acme,L-1,2026-09-01,2026-10-01,150.00,Gadget,50.00", "Acme,L-1,2026-09-01,2026-10-15,150.00,Spare,0.00", "Acme,L-1,2026-09-01,2026-10-01,150.00,Widget,100.00"),
  );
  const report = await runImport(t.app, "invoices", file);
  expect(report).toMatchObject({ rows: 4, created: 1, merged: 1 });
  expect(report.rejected).toEqual([
    { line: 4, column: "due_date", value: "2026-10-15", reason: 'line items of invoice L-1 disagree: due_date is "2026-10-01" on line 2 and "2026-10-15" on line 4' },
    { line: 5, column: "invoice_number", value: "L-1", reason: "invoice repeated: first on line 2" },
  ]);
  expect((await invoice("L-1")).amountMinor).toBe(15000n);
});

test("line items that disagree in any one invoice-level cell are refused naming that cell and both values", async () => {
  const columns = ["customer_id", "customer", "invoice_number", "issue_date", "due_date", "amount", "balance", "currency", "status", "type", "disputed", "amount_paid", "payment_status", "settled_date", "item"];
  const base = ["C1", "Acme", "", "2026-09-01", "2026-10-01", "150.00", "100.00", "USD", "Overdue", "Invoice", "no", "50.00", "Unpaid", "", "Widget"];
  // Each invoice's second line item differs from its first in one cell.
  const changes: [string, string][] = [
    ["customer_id", "C2"],
    ["customer", "Acme Ltd"],
    ["issue_date", "2026-09-02"],
    ["due_date", "2026-10-02"],
    ["amount", "160.00"],
    ["balance", "90.00"],
    ["currency", "EUR"],
    ["status", "Sent"],
    ["type", "Sales Invoice"],
    ["disputed", "yes"],
    ["amount_paid", "40.00"],
    ["payment_status", "Partially paid"],
    ["settled_date", "2026-10-05"],
  ];
  // As the rows are compared: the disputed cell as yes or no read.
  const compared = (column: string, text: string) => (column === "disputed" ? String(text === "yes") : text);
  const lines = changes.flatMap(([column, value], n) => {
    const first = [...base];
    first[columns.indexOf("invoice_number")] = `L-${n}-${column}`;
    const second = [...first];
    second[columns.indexOf(column)] = value;
    second[columns.indexOf("item")] = "Gadget";
    return [first.join(","), second.join(",")];
  });
  const report = await runImport(t.app, "invoices", writeCsv("levels.csv", csv(columns.join(","), ...lines)));
  expect(report.rejected).toEqual(
    changes.map(([column, value], n) => ({
      line: 2 * n + 3,
      column,
      value,
      reason: `line items of invoice L-${n}-${column} disagree: ${column} is "${compared(column, base[columns.indexOf(column)]!)}" on line ${2 * n + 2} and "${compared(column, value)}" on line ${2 * n + 3}`,
    })),
  );
  expect(report.created).toBe(changes.length);
});

test("a known invoice that turns void is closed on its timeline; paid status without a balance column closes it", async () => {
  const header = "customer,invoice_number,issue_date,due_date,amount,status";
  await runImport(t.app, "invoices", writeCsv("d1.csv", csv(header, "Acme,V-1,2026-09-01,2026-10-01,100.00,Open", "Acme,P-1,2026-09-01,2026-10-01,40.00,Open")));
  const report = await runImport(t.app, "invoices", writeCsv("d2.csv", csv(header, "Acme,V-1,2026-09-01,2026-10-01,100.00,Voided", "Acme,P-1,2026-09-01,2026-10-01,40.00,Paid", "Acme,D-1,2026-11-01,2026-12-01,60.00,Draft")));
  expect(report).toMatchObject({ updated: 2, skipped: 1, created: 0, rejected: [] });
  expect(openBalanceAt(await invoice("V-1"), "2026-11-20")).toBe(0n);
  expect(openBalanceAt(await invoice("V-1"), "2026-11-19")).toBe(10000n);
  expect(openBalanceAt(await invoice("P-1"), "2026-11-20")).toBe(0n);
  const closed = await t.app.db.prisma.activity.findFirst({ where: { kind: "invoice_closed", subject: "V-1" } });
  expect(closed!.after).toMatchObject({ balance: "0.00", why: "voided in the export" });
  expect(await t.app.imports.invoicesByNumber(["D-1"])).toEqual([]);
});

test("a disputed column opens a dispute from the import day and clears it when it turns false; a chat dispute stays", async () => {
  const header = "customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed";
  const day1 = await runImport(t.app, "invoices", writeCsv("d1.csv", csv(header, "C1,X-1,2026-09-01,2026-10-01,300.00,Yes", "C1,X-2,2026-09-01,2026-10-01,200.00,No")));
  expect(day1.created).toBe(2);
  expect((await getArStats(t.app, "2026-11-20", 1)).currencies[0]).toMatchObject({ disputed: 30000n, overdue: 50000n });
  expect((await getArStats(t.app, "2026-11-19", 1)).currencies[0]!.disputed).toBe(0n);
  const again = await runImport(t.app, "invoices", writeCsv("d1.csv", csv(header, "C1,X-1,2026-09-01,2026-10-01,300.00,Yes", "C1,X-2,2026-09-01,2026-10-01,200.00,No")));
  expect(again).toMatchObject({ unchanged: 2, updated: 0 });

  const dana = await actorFor(t.app, "dana@example.com", "finance");
  expect((await say(t.app, dana, "dispute X-2 wrong quantity billed")).kind).toBe("done");
  t.app.clock.advanceDays(2);
  const day3 = await runImport(t.app, "invoices", writeCsv("d3.csv", csv(header, "C1,X-1,2026-09-01,2026-10-01,300.00,No", "C1,X-2,2026-09-01,2026-10-01,200.00,No")));
  expect(day3).toMatchObject({ updated: 1, unchanged: 1 });
  expect((await getArStats(t.app, "2026-11-22", 1)).currencies[0]!.disputed).toBe(20000n); // X-2's chat dispute stays
  expect((await getArStats(t.app, "2026-11-21", 1)).currencies[0]!.disputed).toBe(50000n); // the day before, both
  const disputes = await t.app.db.prisma.activity.findMany({ where: { subject: "X-1", kind: { in: ["dispute_opened", "dispute_resolved"] } }, orderBy: { id: "asc" } });
  expect(disputes.map((a) => a.kind)).toEqual(["dispute_opened", "dispute_resolved"]);
});

test("a number a credit note has is refused as an invoice, and an invoice's as a credit note, whether or not the row gives more than the invoice", async () => {
  await runImport(t.app, "invoices", writeCsv("c1.csv", csv(HEADER, "C1,Acme,CN-1,2026-11-01,2026-11-01,-50.00,USD", "C1,Acme,INV-1,2026-09-01,2026-10-01,100.00,USD")));
  const before = await snapshotOfData(t.app.db.prisma);
  // CN-1 states an invoice and nothing else (compared in the database); CN-1 again with a balance reads the stored rows.
  const plain = await runImport(t.app, "invoices", writeCsv("c2.csv", csv(HEADER, "C1,Acme,CN-1,2026-11-01,2026-11-30,50.00,USD", "C1,Acme,INV-1,2026-09-01,2026-10-01,-100.00,USD")));
  const withBalance = await runImport(t.app, "invoices", writeCsv("c3.csv", csv(`${HEADER},balance`, "C1,Acme,CN-1,2026-11-01,2026-11-30,50.00,USD,50.00")));
  const refusals = [
    { line: 2, column: "invoice_number", value: "CN-1", reason: "a credit note has this number: an invoice needs its own" },
    { line: 3, column: "invoice_number", value: "INV-1", reason: "an invoice has this number: a credit note needs its own" },
  ];
  expect(plain.rejected).toEqual(refusals);
  expect(withBalance.rejected).toEqual([refusals[0]]);
  expect(await snapshotOfData(t.app.db.prisma)).toEqual(before);
});

test("new invoices of stored accounts, several batches: each row once, its timeline in file order", async () => {
  await runImport(t.app, "accounts", writeCsv("a.csv", csv("account_id,name", "C1,Acme", "C2,Globex")));
  const rows = Array.from({ length: 2_345 }, (_, i) => `C${1 + (i % 2)},x,INV-${String(i).padStart(5, "0")},2026-09-01,2026-10-01,${i + 1}.50,${i % 3 === 0 ? "EUR" : "USD"}`);
  expect(await runImport(t.app, "invoices", writeCsv("many.csv", csv(HEADER, ...rows)))).toMatchObject({ created: 2_345, rejected: [] });
  const invoices = await t.app.db.prisma.invoice.findMany({ orderBy: { number: "asc" }, include: { account: true } });
  expect(invoices.map((i) => [i.account.externalId, i.number, i.amountMinor, i.currency])).toEqual(
    rows.map((_, i) => [`C${1 + (i % 2)}`, `INV-${String(i).padStart(5, "0")}`, BigInt((i + 1) * 100 + 50), i % 3 === 0 ? "EUR" : "USD"]),
  );
  const timeline = await t.app.db.prisma.activity.findMany({ where: { kind: "invoice_added" }, orderBy: { id: "asc" } });
  expect(timeline.map((a) => a.subject)).toEqual(rows.map((_, i) => `INV-${String(i).padStart(5, "0")}`));
  expect(timeline[4]).toMatchObject({
    before: null,
    after: { amount: "5.50", currency: "USD", issueDate: "2026-09-01", dueDate: "2026-10-01" },
    actor: "import:many.csv",
    human: false,
  });
});

test("an invoices file alone over several batches: its accounts created once, in file order, whether first named in this batch or an earlier one", async () => {
  // Account Cn's invoices straddle batch boundaries: 7 invoices per account, batches of 1 000.
  const rows = Array.from({ length: 2_345 }, (_, i) => `C${Math.floor(i / 7)},Customer ${Math.floor(i / 7)},INV-${String(i).padStart(5, "0")},2026-09-01,2026-10-01,10.00,USD`);
  expect(await runImport(t.app, "invoices", writeCsv("alone.csv", csv(HEADER, ...rows)))).toMatchObject({ created: 2_345, rejected: [] });
  const accounts = await t.app.db.prisma.account.findMany({ orderBy: { id: "asc" } });
  expect(accounts.map((a) => [a.externalId, a.name])).toEqual(Array.from({ length: 335 }, (_, n) => [`C${n}`, `Customer ${n}`]));
  const invoices = await t.app.db.prisma.invoice.findMany({ orderBy: { id: "asc" }, include: { account: true } });
  expect(invoices.map((i) => [i.number, i.account.externalId])).toEqual(rows.map((_, i) => [`INV-${String(i).padStart(5, "0")}`, `C${Math.floor(i / 7)}`]));
  const timeline = await t.app.db.prisma.activity.findMany({ orderBy: { id: "asc" }, include: { account: true } });
  const expected = rows.flatMap((_, i) => [
    ...(i % 7 === 0 ? [["account_created", null, `C${i / 7}`]] : []),
    ["invoice_added", `INV-${String(i).padStart(5, "0")}`, `C${Math.floor(i / 7)}`],
  ]);
  expect(timeline.map((a) => [a.kind, a.subject, a.account?.externalId])).toEqual(expected);
});
