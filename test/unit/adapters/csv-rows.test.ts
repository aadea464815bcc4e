import { openInvoicesCsv, openPaymentsCsv } from "../../../adapters/csv/import-file";
import { CsvFileRejected } from "../../../adapters/csv/csv-file";
import { ImportSource, RowOrRejection } from "../../../domain/model/imports";
import { csv, writeCsv } from "../../support/csv-files";

async function rowsOf<Row, Key>(source: ImportSource<Row, Key>): Promise<RowOrRejection<Row, Key>[]> {
  const all: RowOrRejection<Row, Key>[] = [];
  for await (const run of source.rows()) all.push(...run);
  return all;
}

const options = { defaultCurrency: "USD", timeZone: "Europe/Berlin" };

test("an invoice row's cells: parsed values beside the text the file wrote, each row its own cells", async () => {
  const file = writeCsv(
    "cells.csv",
    csv(
      "customer_id,invoice_number,issue_date,due_date,amount,balance,currency",
      "C1,N-1,2026-09-01,1 Oct 2026, 1200.50 ,200,eur",
      "C2,N-2,2026-09-02 23:30 +00:00,2026-10-02,99,,USD",
    ),
  );
  const rows = await rowsOf(await openInvoicesCsv(file, options));
  expect(rows.map((r) => ("row" in r ? null : r.rejection))).toEqual([null, null]);
  const [first, second] = rows.map((r) => ("row" in r ? r.row : null));
  expect(first!.amount).toEqual({ value: "1200.50", column: "amount", text: "1200.50" });
  expect(first!.balance).toEqual({ value: "200", column: "balance", text: "200" });
  expect(first!.currency).toEqual({ value: "EUR", column: "currency", text: "eur" });
  expect(first!.dueDate).toEqual({ value: "2026-10-01", column: "due_date", text: "1 Oct 2026" });
  // A zoned time falls on the next calendar day in AR_TIMEZONE; the text stays as written.
  expect(second!.issueDate).toEqual({ value: "2026-09-03", column: "issue_date", text: "2026-09-02 23:30 +00:00" });
  expect(second!.balance).toBeNull();
  expect(second!.amount).not.toBe(first!.amount);
});

test("an amount naming another currency than the row's is refused on its cell; without a currency column it decides", async () => {
  const file = writeCsv(
    "mixed.csv",
    csv("customer_id,invoice_number,issue_date,due_date,amount,amount_paid,currency", "C1,N-1,2026-09-01,2026-10-01,EUR 100,,USD", "C1,N-2,2026-09-01,2026-10-01,100,GBP 5,USD"),
  );
  const rejections = (await rowsOf(await openInvoicesCsv(file, options))).map((r) => ("rejection" in r ? r.rejection : null));
  expect(rejections).toEqual([
    { line: 2, column: "amount", value: "EUR 100", reason: "amount is in EUR but the row's currency is USD" },
    { line: 3, column: "amount_paid", value: "GBP 5", reason: "amount is in GBP but the row's currency is USD" },
  ]);

  const payments = writeCsv("payments.csv", csv("invoice_number,paid_on,amount", "N-1,2026-10-05,EUR 40", "N-2,2026-10-05,40"));
  const [named, plain] = (await rowsOf(await openPaymentsCsv(payments, options))).map((r) => ("row" in r ? r.row : null));
  expect(named!.amount).toEqual({ value: "40", column: "amount", text: "EUR 40" });
  expect(named!.currency).toEqual({ value: "EUR", column: "amount", text: "EUR 40" });
  expect(plain!.currency).toBeNull();
});

test("the first pass counts rows past blank lines and report rows, and refuses an ambiguous slash date in any date column", async () => {
  const header = "customer_id,customer,invoice_number,issue_date,due_date,amount";
  const counted = await openInvoicesCsv(writeCsv("count.csv", csv(header, "C1,One,N-1,2026-09-01,2026-10-01,10", ",,,,,", " , ,\t, ", "Total,,,,,10", "C3,Three,N-3,someday,2026-10-01,5", "C2,Two,N-2,2026/09/01,2026/10/01,5")), options);
  expect([counted.total, counted.skipped]).toEqual([3, 1]);
  expect((await rowsOf(counted)).map((r) => ("row" in r ? r.row.number.value : r.rejection.reason))).toEqual(["N-1", "expected a date like 2026-11-20, 2026/11/20 or 20.11.2026", "N-2"]);

  const ambiguous = writeCsv("ambiguous.csv", csv(header, "C1,One/Two,N-1,2026-09-01,2026-10-01,10", "C1,One,N-2,2026-09-01,03/04/2026,10"));
  await expect(openInvoicesCsv(ambiguous, options)).rejects.toThrow(new CsvFileRejected(`${ambiguous} line 3: "03/04/2026" could be day/month or month/day; run again with --date-format DMY or --date-format MDY`));
});
