import { parseAmount, parseDate } from "../../../adapters/csv/cell-parsers";
import { normalizeHeader } from "../../../adapters/csv/headers";

describe("amount cells", () => {
  test.each([
    ["1234.56", ",", "1234.56", null],
    ['1,234.56', ",", "1234.56", null],
    ["$1,234,567.00", ",", "1234567.00", null],
    ["1.234,56", ";", "1234.56", null],
    ["€ 1.234,56", ";", "1234.56", "EUR"],
    ["1 234,56", ";", "1234.56", null],
    ["USD 1,200.00", ",", "1200.00", "USD"],
    ["1200.00 eur", ",", "1200.00", "EUR"],
    ["£75", ",", "75", "GBP"],
    ["(50.00)", ",", "-50.00", null],
    ["12-", ",", "-12", null],
    ["1,00,000.00", ",", "100000.00", null], // Indian grouping: lakh and crore
    ["₹1,00,000.00", ",", "100000.00", "INR"],
    ["12,34,567", ",", "1234567", null],
    ["1,23,45,678.50", ",", "12345678.50", null],
    ["1.00.000,00", ";", "100000.00", null],
  ])("%s in a '%s' file reads %s", (text, delimiter, decimal, currency) => {
    expect(parseAmount(text, delimiter as "," | ";")).toEqual({ ok: true, value: { decimal, currency } });
  });

  test.each([
    ["1234.56", ";", "not a number (this file uses ',' for decimals)"], // a point in a decimal-comma file is not a grouping mark
    ["1,50", ",", "not a number (this file uses '.' for decimals)"], // nor a comma in a decimal-point file
    ["12,34,56", ",", "not a number (this file uses '.' for decimals)"],
    ["1,000,00,000", ",", "not a number (this file uses '.' for decimals)"], // thousands, then lakh groups
    ["1,00,0000", ",", "not a number (this file uses '.' for decimals)"],
    ["€ 5 USD", ",", "the cell says both EUR and USD"],
    ["abc", ",", "not a number"],
    ["", ",", "empty amount"],
  ])("%s in a '%s' file is refused: %s", (text, delimiter, reason) => {
    expect(parseAmount(text, delimiter as "," | ";")).toEqual({ ok: false, reason });
  });
});

test("dates: ISO, slashes with a year first, dotted day-first; slash dates need a format", () => {
  expect(parseDate("2026-11-20", undefined)).toEqual({ ok: true, value: "2026-11-20" });
  expect(parseDate("2026/1/5", undefined)).toEqual({ ok: true, value: "2026-01-05" });
  expect(parseDate("20.11.2026", undefined)).toEqual({ ok: true, value: "2026-11-20" });
  expect(parseDate("11/20/2026", "MDY")).toEqual({ ok: true, value: "2026-11-20" });
  expect(parseDate("20/11/2026", "DMY")).toEqual({ ok: true, value: "2026-11-20" });
  expect(parseDate("20/11/2026", "MDY")).toEqual({ ok: false, reason: "no such calendar date" });
  expect(parseDate("11/20/2026", undefined)).toEqual({ ok: false, reason: "slash dates need --date-format DMY or MDY" });
  expect(parseDate("Nov 20", undefined).ok).toBe(false);
});

describe("dates with a time part, two-digit years and month names", () => {
  test.each([
    ["2026-06-08 08:46:22", {}, "2026-06-08"], // no zone: the date as written
    ["2026-06-08 02:30:00", { zone: "UTC", timeZone: "America/New_York" }, "2026-06-07"], // a (UTC) header: the day in AR_TIMEZONE
    ["2026-06-08T23:30:00Z", { timeZone: "Asia/Tokyo" }, "2026-06-09"],
    ["2026-06-08T08:46:22+02:00", { timeZone: "UTC" }, "2026-06-08"],
    ["6/8/26", { format: "MDY" }, "2026-06-08"],
    ["8/6/26", { format: "DMY" }, "2026-06-08"],
    ["6/8/2026 11:15 PM", { format: "MDY" }, "2026-06-08"],
    ["8 Jun 2026", {}, "2026-06-08"],
    ["Jun 8, 2026", {}, "2026-06-08"],
  ] as const)("%s reads %s", (text, options, date) => {
    expect(parseDate(text, options)).toEqual({ ok: true, value: date });
  });

  test("a two-digit year still needs a date format, and a bad time is refused", () => {
    expect(parseDate("6/8/26", undefined)).toEqual({ ok: false, reason: "slash dates need --date-format DMY or MDY" });
    expect(parseDate("2026-06-08 25:00", {})).toEqual({ ok: false, reason: "not a time of day" });
  });
});

describe("header spellings of accounting exports", () => {
  test.each([
    ["customerID", "customer_id"],
    ["InvoiceAmountDue", "invoice_amount_due"],
    ["Due Date/Receive By", "due_date_receive_by"],
    ["Invoice/CM #", "invoice_cm"],
    ["Date (UTC)", "date"],
    ["Invoice/Bill Date", "invoice_bill_date"],
  ])("%s normalizes to %s", (header, name) => {
    expect(normalizeHeader(header)).toBe(name);
  });
});
