import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runImport } from "../../../bot/run-import";
import { BusinessDate, daysBetween } from "../../../domain/model/business-date";
import { getArStats } from "../../../domain/usecases/get-ar-stats";
import { actorFor, say } from "../../support/actors";
import { useTestApp } from "../../support/test-app";

/**
 * Exports written in the layouts accounting systems really produce (header lines, title
 * blocks, totals, line items, statuses), imported as they come. The expected figures are
 * computed here from the same rows the file is written from.
 */

const TODAY = "2026-11-20";
const t = useTestApp(`${TODAY}T12:00:00Z`, { timeZone: "America/New_York" });

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-erp-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join("\r\n") + "\r\n");
  return file;
}

/** Cents of "1,284.50". */
function cents(text: string): bigint {
  const [whole, fraction = ""] = text.replace(/[$,]/g, "").split(".");
  const sign = whole!.startsWith("-") ? -1n : 1n;
  return sign * (BigInt(whole!.replace("-", "")) * 100n + BigInt(fraction.padEnd(2, "0")));
}

type Buckets = Record<"current" | "1-30" | "31-60" | "61-90" | "90+", bigint>;

/** AR, overdue and buckets of open items (credits in `current`), as section 7 defines them. */
function expected(items: { due: BusinessDate; open: bigint }[]) {
  const buckets: Buckets = { current: 0n, "1-30": 0n, "31-60": 0n, "61-90": 0n, "90+": 0n };
  for (const item of items) {
    if (item.open === 0n) continue;
    const dpd = item.open < 0n ? 0 : daysBetween(item.due, TODAY);
    const bucket = dpd <= 0 ? "current" : dpd <= 30 ? "1-30" : dpd <= 60 ? "31-60" : dpd <= 90 ? "61-90" : "90+";
    buckets[bucket] += item.open;
  }
  const ar = Object.values(buckets).reduce((a, b) => a + b, 0n);
  return { ar, overdue: ar - buckets.current, buckets };
}

async function figures(currency = "USD") {
  const stats = await getArStats(t.app, TODAY, 1);
  const metrics = stats.currencies.find((c) => c.currency === currency)!;
  return { ar: metrics.ar, overdue: metrics.overdue, buckets: metrics.buckets };
}

const mdy = (text: string): BusinessDate => {
  const [m, d, y] = text.split("/");
  return `${y!.length === 2 ? `20${y}` : y}-${m!.padStart(2, "0")}-${d!.padStart(2, "0")}`;
};

test("a QuickBooks A/R Aging Detail report imports as it comes: title block, headings, subtotals, total and footer skipped", async () => {
  // [date, type, num, customer, due, amount, open balance]
  const sections: [string, string[][]][] = [
    [
      "Current",
      [
        ["11/02/2026", "Invoice", "1041", "Harbor & Pine", "12/02/2026", "1,284.50", "1,284.50"],
        ["11/10/2026", "Credit Memo", "1044", "Brightline Studio", "11/10/2026", "-300.00", "-300.00"],
        ["11/12/2026", "Payment", "2207", "Cedar Logistics", "11/12/2026", "-115.25", "-115.25"],
      ],
    ],
    [
      "1 - 30 days past due",
      [
        ["10/06/2026", "Invoice", "1032", "Brightline Studio", "11/05/2026", "2,400.00", "1,150.00"],
        ["10/20/2026", "Invoice", "1036", "Cedar Logistics", "11/19/2026", "615.25", "615.25"],
      ],
    ],
    ["31 - 60 days past due", [["09/15/2026", "Invoice", "1027", "Harbor & Pine", "10/15/2026", "3,020.00", "3,020.00"]]],
    ["91 or more days past due", [["06/01/2026", "Invoice", "1008", "Cedar Logistics", "07/01/2026", "12,500.00", "4,000.00"]]],
  ];
  const rows = sections.flatMap(([, r]) => r);
  const sum = (list: string[][], i: number) => list.reduce((total, r) => total + cents(r[i]!), 0n);
  const money = (c: bigint) => `"$${(Number(c) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}"`;
  const file = write("qbo-ar-aging-detail.csv", [
    "Northwind Supply Co.",
    "A/R Aging Detail Report",
    "As of November 20, 2026",
    "",
    ",Date,Transaction type,Num,Customer full name,Due date,Amount,Open balance",
    ...sections.flatMap(([heading, list]) => [
      `${heading},,,,,,,`,
      ...list.map((r) => `,${r[0]},${r[1]},${r[2]},${r[3]},${r[4]},"${r[5]}","${r[6]}"`),
      `Total for ${heading},,,,,,${money(sum(list, 5))},${money(sum(list, 6))}`,
    ]),
    `TOTAL,,,,,,${money(sum(rows, 5))},${money(sum(rows, 6))}`,
    "",
    "",
    '"Friday, November 20, 2026 08:12 AM GMT-05:00"',
  ]);
  const report = await runImport(t.app, "invoices", file, { dateFormat: "MDY" });
  const credits = rows.filter((r) => r[5]!.startsWith("-"));
  expect(report).toMatchObject({ created: rows.length - credits.length, credits: { created: credits.length }, rejected: [], skipped: sections.length * 2 + 2 });
  expect(report.columns).toMatchObject({ invoiceNumber: "Num", accountName: "Customer full name", balance: "Open balance", dueDate: "Due date" });
  const want = expected(rows.map((r) => ({ due: mdy(r[4]!), open: cents(r[6]!) })));
  expect(await figures()).toEqual(want);
  expect(want.ar).toBe(sum(rows, 6)); // the report's own TOTAL
});

test("a Stripe invoices export: Amount Due is what was billed, the balance is due − paid; drafts and voids are skipped; UTC times are days in AR_TIMEZONE", async () => {
  const header = "id,Customer,Customer Name,Number,Status,Currency,Amount Due,Amount Paid,Date (UTC),Due Date (UTC)";
  // [id, customer, name, number, status, currency, due, paid, date, due date]
  const rows = [
    ["in_1Q8sLk2eZvKYlo2C", "cus_R4nQ8wPz", "Brightline Studio", "7F3A21C0-0001", "paid", "usd", "1250.00", "1250.00", "2026-08-03 14:02:11", "2026-09-02 14:02:11"],
    ["in_1Q9aTr2eZvKYlo2C", "cus_R4nQ8wPz", "Brightline Studio", "7F3A21C0-0002", "open", "usd", "1250.00", "0.00", "2026-09-03 14:02:09", "2026-10-03 14:02:09"],
    ["in_1QBb0x2eZvKYlo2C", "cus_T9kLm2Qa", "Harbor & Pine", "4C88E1D2-0001", "open", "usd", "860.40", "300.00", "2026-10-15 02:30:00", "2026-11-14 02:30:00"],
    ["in_1QCc7y2eZvKYlo2C", "cus_T9kLm2Qa", "Harbor & Pine", "4C88E1D2-0002", "uncollectible", "usd", "99.00", "0.00", "2026-05-01 10:00:00", "2026-05-31 10:00:00"],
    ["in_1QDd3z2eZvKYlo2C", "cus_T9kLm2Qa", "Harbor & Pine", "4C88E1D2-0003", "void", "usd", "500.00", "0.00", "2026-10-01 10:00:00", "2026-10-31 10:00:00"],
    ["in_1QEe9a2eZvKYlo2C", "cus_X1aB7cDe", "Quill & Co", "", "draft", "usd", "75.00", "0.00", "2026-11-19 16:45:00", ""],
  ];
  const file = write("stripe-invoices.csv", [header, ...rows.map((r) => r.join(","))]);
  const report = await runImport(t.app, "invoices", file);
  const receivable = rows.filter((r) => r[4] !== "void" && r[4] !== "draft");
  expect(report).toMatchObject({ created: receivable.length, skipped: 2, rejected: [] });
  expect(report.columns).toMatchObject({ accountId: "Customer", accountName: "Customer Name", amount: "Amount Due", amountPaid: "Amount Paid", issueDate: "Date (UTC)" });
  // 02:30 UTC on 15 Oct is still 14 Oct in New York.
  const [harbor] = await t.app.imports.invoicesByNumber(["4C88E1D2-0001"]);
  expect(harbor).toMatchObject({ issueDate: "2026-10-14", dueDate: "2026-11-13" });
  const want = expected(
    receivable.map((r) => {
      const due = new Date(`${r[9]!.replace(" ", "T")}Z`).toLocaleDateString("en-CA", { timeZone: "America/New_York" });
      return { due, open: cents(r[6]!) - cents(r[7]!) };
    }),
  );
  expect(await figures()).toEqual(want);
  expect((await t.app.imports.accountsByExternalId(["cus_R4nQ8wPz"]))[0]).toMatchObject({ name: "Brightline Studio" });
});

test("a Zoho Books export: one row per line item merged, drafts and voids skipped, Balance is the open balance", async () => {
  const header =
    "Invoice Date,Invoice ID,Invoice Number,Invoice Status,Customer ID,Customer Name,Due Date,Currency Code,Exchange Rate,Item Name,Item Desc,Quantity,Item Price,Item Total,SubTotal,Total,Balance,Payment Terms Label,Sales person,Notes";
  // invoice-level [date, id, number, status, customer id, name, due, total, balance], then its lines [item, qty, price]
  const invoices: [string[], string[][]][] = [
    [["2026-09-10", "2148593000000081023", "INV-000051", "Overdue", "2148593000000064001", "Lakeside Dental", "2026-10-10", "1,980.00", "1,980.00"], [["Cleaning kit", "12", "90.00"], ["Service plan", "1", "900.00"]]],
    [["2026-10-25", "2148593000000081045", "INV-000052", "PartiallyPaid", "2148593000000064002", "Orbit Fitness", "2026-11-24", "3,450.00", "1,450.00"], [["Treadmill belt", "3", "1,150.00"]]],
    [["2026-08-01", "2148593000000081002", "INV-000047", "Paid", "2148593000000064001", "Lakeside Dental", "2026-08-31", "640.00", "0.00"], [["Gloves", "40", "16.00"]]],
    [["2026-11-18", "2148593000000081077", "INV-000053", "Draft", "2148593000000064002", "Orbit Fitness", "2026-12-18", "220.00", "220.00"], [["Mats", "4", "55.00"]]],
    [["2026-10-02", "2148593000000081031", "INV-000049", "Void", "2148593000000064002", "Orbit Fitness", "2026-11-01", "410.00", "0.00"], [["Weights", "2", "205.00"]]],
  ];
  const lines = invoices.flatMap(([inv, items]) =>
    items.map(([item, qty, price]) => {
      const itemTotal = (Number(qty) * Number(price!.replace(",", ""))).toFixed(2);
      return [inv[0], inv[1], inv[2], inv[3], inv[4], `"${inv[5]}"`, inv[6], "USD", "1.00", item, `"${item} for the clinic"`, qty, `"${price}"`, itemTotal, `"${inv[7]}"`, `"${inv[7]}"`, `"${inv[8]}"`, "Net 30", "Dana Whitfield", ""].join(",");
    }),
  );
  const report = await runImport(t.app, "invoices", write("zoho-invoices.csv", [header, ...lines]));
  const receivable = invoices.filter(([inv]) => inv[3] !== "Draft" && inv[3] !== "Void");
  expect(report).toMatchObject({ created: receivable.length, merged: 1, skipped: 2, rejected: [] });
  expect(report.columns).toMatchObject({ invoiceNumber: "Invoice Number", accountId: "Customer ID", amount: "Total", status: "Invoice Status" });
  expect(await figures()).toEqual(expected(receivable.map(([inv]) => ({ due: inv[6]!, open: cents(inv[8]!) }))));
  // Imported again, nothing changes.
  expect(await runImport(t.app, "invoices", write("zoho-again.csv", [header, ...lines]))).toMatchObject({ created: 0, updated: 0, unchanged: receivable.length });
});

test("a Sage 50 sales journal: the Accounts Receivable Amount wins over the per-line Amount, two-digit years read with --date-format", async () => {
  const header = "Customer ID,Customer Name,Invoice/CM #,Date,Date Due,Accounts Receivable Amount,Amount";
  // [customer id, name, number, date, due, AR amount], lines
  const invoices: [string[], string[]][] = [
    [["ALDRED", "Aldred Builders, Inc.", "10331", "9/4/26", "10/4/26", "4,275.00"], ["-3,500.00", "-775.00"]],
    [["CHAPMAN", "Chapman Kitchens", "10342", "10/28/26", "11/27/26", "1,149.95"], ["-1,149.95"]],
    [["ARCHER", "Archer Scapes and Ponds", "10318", "7/15/26", "8/14/26", "2,980.50"], ["-2,000.00", "-980.50"]],
  ];
  const lines = invoices.flatMap(([inv, amounts]) => amounts.map((a) => [inv[0], `"${inv[1]}"`, inv[2], inv[3], inv[4], `"${inv[5]}"`, `"${a}"`].join(",")));
  const file = write("sage50-sales-journal.csv", [header, ...lines]);
  await expect(runImport(t.app, "invoices", file)).rejects.toThrow(/--date-format/);
  const report = await runImport(t.app, "invoices", file, { dateFormat: "MDY" });
  expect(report).toMatchObject({ created: invoices.length, merged: 2, rejected: [] });
  expect(report.columns).toMatchObject({ amount: "Accounts Receivable Amount", invoiceNumber: "Invoice/CM #", dueDate: "Date Due" });
  expect(await figures()).toEqual(expected(invoices.map(([inv]) => ({ due: mdy(inv[4]!), open: cents(inv[5]!) }))));
});

test("the public AR sample: camelCase headers, no account names, a settled date pays the invoice in full that day", async () => {
  const header = "countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate,PaperlessBill,DaysToSettle,DaysLate";
  // [country, customer, paperless, number, date, due, amount, disputed, settled]
  const rows = [
    ["391", "0379-NEVHP", "4/6/2025", "611365", "8/2/2026", "9/1/2026", "55.94", "No", "8/15/2026"],
    ["406", "8976-AMJEO", "3/3/2026", "7900770", "9/26/2026", "10/26/2026", "61.74", "Yes", ""],
    ["391", "0379-NEVHP", "4/6/2025", "9231909", "10/12/2026", "11/11/2026", "65.88", "No", ""],
    ["818", "2820-XGXSB", "1/26/2026", "9888306", "6/20/2026", "7/20/2026", "105.92", "No", "8/31/2026"],
    ["897", "9322-YCTQO", "9/7/2025", "15752855", "11/1/2026", "12/1/2026", "72.27", "No", ""],
  ];
  const file = write("ar-sample.csv", [
    header,
    ...rows.map((r) => {
      const days = r[8] ? String(daysBetween(mdy(r[4]!), mdy(r[8]))) : "";
      return [...r, r[2] === "" ? "Paper" : "Electronic", days, r[8] ? String(Math.max(0, daysBetween(mdy(r[5]!), mdy(r[8])))) : ""].join(",");
    }),
  ]);
  const report = await runImport(t.app, "invoices", file, { dateFormat: "MDY" });
  expect(report).toMatchObject({ created: rows.length, rejected: [] });
  expect(report.warnings.filter((w) => w.includes("has no name"))).toHaveLength(new Set(rows.map((r) => r[1])).size);
  expect(await figures()).toEqual(expected(rows.map((r) => ({ due: mdy(r[5]!), open: r[8] ? 0n : cents(r[6]!) }))));
  const disputed = rows.filter((r) => r[7] === "Yes" && !r[8]).reduce((sum, r) => sum + cents(r[6]!), 0n);
  expect((await getArStats(t.app, TODAY, 1)).currencies[0]!.disputed).toBe(disputed);
  // The settlement is a payment on that day: before it, the invoice was open.
  const [settled] = await t.app.imports.invoicesByNumber(["9888306"]);
  expect(settled!.payments).toEqual([{ identity: "settled|9888306|2026-08-31", paidOn: "2026-08-31", amountMinor: 10592n }]);
  const again = await runImport(t.app, "invoices", file, { dateFormat: "MDY" });
  expect(again).toMatchObject({ created: 0, updated: 0, unchanged: rows.length });
});

test("a Xero sales invoices export: one row per line, DD/MM/YYYY, credit notes by Type, InvoiceAmountDue is the balance", async () => {
  const header =
    "ContactName,EmailAddress,InvoiceNumber,Reference,InvoiceDate,DueDate,Total,TaxTotal,InvoiceAmountPaid,InvoiceAmountDue,InventoryItemCode,Description,Quantity,UnitAmount,LineAmount,AccountCode,TaxType,Currency,Type,Sent,Status";
  // invoice-level [contact, email, number, reference, date, due, total, tax, paid, due amount, type, status], lines [description, qty, unit]
  const docs: [string[], string[][]][] = [
    [["Marlow Bakery Ltd", "accounts@marlowbakery.co.uk", "INV-0187", "PO 5521", "03/09/2026", "03/10/2026", "1440.00", "240.00", "0.00", "1440.00", "Sales invoice", "AUTHORISED"], [["Oven service", "1", "900.00"], ["Parts", "3", "100.00"]]],
    [["Northgate Vets", "finance@northgatevets.co.uk", "INV-0193", "", "28/10/2026", "27/11/2026", "600.00", "100.00", "250.00", "350.00", "Sales invoice", "AUTHORISED"], [["Consulting", "5", "100.00"]]],
    [["Marlow Bakery Ltd", "accounts@marlowbakery.co.uk", "CN-0012", "Refund parts", "02/11/2026", "02/11/2026", "120.00", "20.00", "0.00", "120.00", "Sales credit note", "AUTHORISED"], [["Parts returned", "1", "100.00"]]],
    [["Northgate Vets", "finance@northgatevets.co.uk", "INV-0171", "", "15/07/2026", "14/08/2026", "300.00", "50.00", "300.00", "0.00", "Sales invoice", "PAID"], [["Consulting", "2.5", "100.00"]]],
    [["Northgate Vets", "finance@northgatevets.co.uk", "INV-0199", "", "18/11/2026", "18/12/2026", "90.00", "15.00", "0.00", "90.00", "Sales invoice", "DRAFT"], [["Call-out", "1", "75.00"]]],
    [["Marlow Bakery Ltd", "accounts@marlowbakery.co.uk", "INV-0180", "", "01/08/2026", "31/08/2026", "75.00", "12.50", "0.00", "75.00", "Sales invoice", "VOIDED"], [["Call-out", "1", "62.50"]]],
  ];
  const lines = docs.flatMap(([d, items]) =>
    items.map(([description, qty, unit]) => {
      const line = (Number(qty) * Number(unit)).toFixed(2);
      return [`"${d[0]}"`, d[1], d[2], `"${d[3]}"`, d[4], d[5], d[6], d[7], d[8], d[9], "", `"${description}"`, qty, unit, line, "200", "20% (VAT on Income)", "GBP", d[10], "Sent", d[11]].join(",");
    }),
  );
  const report = await runImport(t.app, "invoices", write("xero-sales-invoices.csv", [header, ...lines]), { dateFormat: "DMY" });
  const live = docs.filter(([d]) => d[11] !== "DRAFT" && d[11] !== "VOIDED");
  const isCredit = (d: string[]) => d[10]!.includes("credit");
  expect(report).toMatchObject({ created: live.filter(([d]) => !isCredit(d)).length, credits: { created: 1 }, merged: 1, skipped: 2, rejected: [] });
  expect(report.columns).toMatchObject({ accountName: "ContactName", balance: "InvoiceAmountDue", type: "Type" });
  const dmy = (text: string) => text.split("/").reverse().join("-");
  expect(await figures("GBP")).toEqual(expected(live.map(([d]) => ({ due: dmy(d[5]!), open: (isCredit(d) ? -1n : 1n) * cents(d[9]!) }))));
});

test("an Odoo customer invoices export: every cell quoted, credit notes negative, cancelled and draft skipped", async () => {
  const header = ["Number", "Invoice Partner Display Name", "Invoice/Bill Date", "Due Date", "Total Signed", "Amount Due Signed", "Currency", "Payment Status", "Status"];
  const rows = [
    ["INV/2026/00112", "Azure Interior", "2026-09-12", "2026-10-12", "4,140.00", "4,140.00", "EUR", "Not Paid", "Posted"],
    ["RINV/2026/00009", "Azure Interior", "2026-10-03", "2026-10-03", "-450.00", "-450.00", "EUR", "Not Paid", "Posted"],
    ["INV/2026/00118", "Deco Addict", "2026-10-20", "2026-11-19", "2,300.00", "800.00", "EUR", "Partially Paid", "Posted"],
    ["INV/2026/00101", "Deco Addict", "2026-08-01", "2026-08-31", "1,000.00", "0.00", "EUR", "Paid", "Posted"],
    ["INV/2026/00125", "Gemini Furniture", "2026-11-15", "2026-12-15", "615.00", "615.00", "EUR", "Not Paid", "Draft"],
    ["INV/2026/00099", "Gemini Furniture", "2026-07-15", "2026-08-14", "380.00", "0.00", "EUR", "Not Paid", "Cancelled"],
  ];
  const quoted = (cells: string[]) => cells.map((c) => `"${c}"`).join(",");
  const report = await runImport(t.app, "invoices", write("odoo-account-move.csv", [quoted(header), ...rows.map(quoted)]));
  const live = rows.filter((r) => r[8] === "Posted");
  expect(report).toMatchObject({ created: live.length - 1, credits: { created: 1 }, skipped: 2, rejected: [] });
  expect(report.columns).toMatchObject({ amount: "Total Signed", balance: "Amount Due Signed", issueDate: "Invoice/Bill Date", accountName: "Invoice Partner Display Name" });
  const want = expected(live.map((r) => ({ due: r[3]!, open: cents(r[5]!) })));
  expect(await figures("EUR")).toEqual(want);
  expect(want.ar).toBe(live.reduce((sum, r) => sum + cents(r[5]!), 0n)); // Odoo's own Amount Due total
});

test("a NetSuite saved search: Internal ID ignored, Amount Remaining is the balance, credit memos without a due date", async () => {
  const header = "Internal ID,Date,Type,Document Number,Name,Due Date/Receive By,Amount,Amount Remaining,Status";
  const rows = [
    ["18234", "9/2/2026", "Invoice", "INV10482", "Altamont Outfitters", "10/2/2026", "5,600.00", "5,600.00", "Open"],
    ["18261", "9/20/2026", "Invoice", "INV10490", "Birchwood Cafe", "10/20/2026", "1,240.00", "240.00", "Open"],
    ["18102", "7/1/2026", "Invoice", "INV10455", "Birchwood Cafe", "7/31/2026", "980.00", "0.00", "Paid In Full"],
    ["18290", "10/5/2026", "Credit Memo", "CM1021", "Altamont Outfitters", "", "-600.00", "-600.00", "Open"],
    ["18300", "10/9/2026", "Credit Memo", "CM1022", "Birchwood Cafe", "", "-150.00", "0.00", "Fully Applied"],
  ];
  const csvCell = (c: string) => (c.includes(",") ? `"${c}"` : c);
  const report = await runImport(t.app, "invoices", write("netsuite-ar.csv", [header, ...rows.map((r) => r.map(csvCell).join(","))]), { dateFormat: "MDY" });
  expect(report).toMatchObject({ created: 3, credits: { created: 2 }, rejected: [] });
  expect(report.columns).toMatchObject({ invoiceNumber: "Document Number", dueDate: "Due Date/Receive By", balance: "Amount Remaining" });
  expect(report.columns.accountId).toBeUndefined();
  const want = expected(rows.map((r) => ({ due: r[5] ? mdy(r[5]) : mdy(r[1]!), open: cents(r[7]!) })));
  expect(await figures()).toEqual(want);
  expect(want.ar).toBe(rows.reduce((sum, r) => sum + cents(r[7]!), 0n));
});

test("an unapplied credit lowers AR in current only: overdue invoices stay overdue; applied later, the credit is gone; on the account card", async () => {
  const header = "Customer,Num,Type,Date,Due date,Amount,Open balance";
  const day1 = write("day1.csv", [header, "Acme,I-1,Invoice,2026-09-01,2026-10-01,1000.00,1000.00", "Acme,CM-1,Credit Memo,2026-11-10,2026-11-10,-400.00,-400.00"]);
  await runImport(t.app, "invoices", day1);
  expect(await figures()).toMatchObject({ ar: 60000n, overdue: 100000n, buckets: { current: -40000n, "31-60": 100000n } });
  // Before the credit was issued, it counts for nothing.
  const before = (await getArStats(t.app, "2026-11-09", 1)).currencies[0]!;
  expect(before.ar).toBe(100000n);
  const card = await say(t.app, await actorFor(t.app, "dana@example.com", "finance"), "account acme");
  expect(card.kind === "account" && card.view.balances).toEqual([
    { currency: "USD", open: "USD 600.00", overdue: "USD 1,000.00", disputed: "USD 0.00", maxDaysPastDue: 50, credit: "USD 400.00" },
  ]);
  // The timeline writes the credit as money, like every other amount on the card.
  expect(card.kind === "account" && card.view.timeline.map((e) => e.what)).toContain(
    "credit added CM-1: USD 400.00, issued 10 Nov 2026, unapplied USD 400.00",
  );
  // The ERP applies the credit to the invoice: the invoice's balance and the credit's both drop.
  t.app.clock.advanceDays(1);
  const day2 = write("day2.csv", [header, "Acme,I-1,Invoice,2026-09-01,2026-10-01,1000.00,600.00", "Acme,CM-1,Credit Memo,2026-11-10,2026-11-10,-400.00,0.00"]);
  const report = await runImport(t.app, "invoices", day2);
  expect(report).toMatchObject({ updated: 1, credits: { updated: 1 } });
  const after = (await getArStats(t.app, "2026-11-21", 1)).currencies[0]!;
  expect(after).toMatchObject({ ar: 60000n, overdue: 60000n });
  expect(after.buckets.current).toBe(0n);
  // Same file again: nothing changes.
  expect(await runImport(t.app, "invoices", day2)).toMatchObject({ updated: 0, unchanged: 1, credits: { unchanged: 1 } });
});
