import { AccountKey, AccountRow, Cell, ImportKind, isCreditType, isNotReceivableStatus, ImportSource, InvoiceKey, InvoiceRow, PaymentKey, PaymentRow, RowOrRejection, RowRejection, recordSignature } from "../../domain/model/imports";
import { TeamFunction } from "../../domain/model/team";
import { CellResult, DateFormat, DateOptions, isAmbiguousSlashDate, parseAmount, parseCurrency, parseDate, parseEmail } from "./cell-parsers";
import { changedWhileRead, CsvFileRejected, CsvRecord, Delimiter, isUnchanged, mayContain, readCsvRuns, requireRegularFile, requireUnchanged, sniffDelimiter, valueAt } from "./csv-file";
import { Field, HeaderMap, mapHeaders } from "./headers";

export interface CsvOptions {
  dateFormat?: DateFormat;
  /** Currency of rows without a currency column (AR_CURRENCY). */
  defaultCurrency: string;
  /** AR_TIMEZONE: the calendar day of a time that carries a zone. */
  timeZone?: string;
}

export type CsvImportSource<Row, Key> = ImportSource<Row, Key>;

/**
 * Reads the cells of one record at a time: one reader per file, moved from record to record
 * (`at`), as a row is read synchronously. Cells are made once each and a parsed value
 * replaces the text in the same cell: a re-import of 85 000 rows made 40 MB of cells, results
 * and readers that lived for one row.
 */
class RowReader {
  private record!: CsvRecord;

  constructor(private readonly map: HeaderMap) {}

  at(record: CsvRecord): this {
    this.record = record;
    return this;
  }

  get line(): number {
    return this.record.line;
  }

  /** `UTC` when the field's header notes its times are UTC. */
  zone(field: Field): "UTC" | null {
    return this.map.columns[field]?.zone ?? null;
  }

  /** The whole record, hashed, to tell an invoice's line items from a repeated row. */
  signature(): number {
    return recordSignature(this.record.values);
  }

  text(field: Field): { column: string; text: string } | null {
    const column = this.map.columns[field];
    if (!column) return null;
    return { column: column.header, text: (this.record.values[column.index] ?? "").trim() };
  }

  // optional and required read the cell themselves: one object per cell, not two.
  optional(field: Field): Cell<string> | null {
    const column = this.map.columns[field];
    if (!column) return null;
    const text = (this.record.values[column.index] ?? "").trim();
    return text !== "" ? { value: text, column: column.header, text } : null;
  }

  required(field: Field): Cell<string> {
    const column = this.map.columns[field]!;
    const text = (this.record.values[column.index] ?? "").trim();
    if (text === "") throw this.reject(column.header, "", "required");
    return { value: text, column: column.header, text };
  }

  /** The cell with the parsed value in place of its text (the cell was made for this row alone). */
  parsed<T extends string>(cell: Cell<string>, result: CellResult<T>): Cell<T> {
    if (!result.ok) throw this.reject(cell.column, cell.text, result.reason);
    cell.value = result.value;
    return cell as Cell<T>;
  }

  reject(column: string, value: string, reason: string): RowRejectionError {
    return new RowRejectionError({ line: this.record.line, column, value, reason });
  }
}

class RowRejectionError extends Error {
  constructor(readonly rejection: RowRejection) {
    super(rejection.reason);
  }
}

const DATE_FIELDS: Field[] = ["issueDate", "dueDate", "paidOn", "settledDate"];

/** How far down a report's title block the header row may be. */
const HEADER_SEARCH_RECORDS = 30;

async function openCsv<Row, Key>(
  path: string,
  kind: ImportKind,
  options: CsvOptions,
  toRow: (reader: RowReader, delimiter: Delimiter) => Row,
  keyOf: (reader: RowReader) => Key,
  isReportRow: (map: HeaderMap, record: CsvRecord) => boolean = () => false,
): Promise<CsvImportSource<Row, Key>> {
  const version = await requireRegularFile(path);
  const delimiter = await sniffDelimiter(path);
  let map: HeaderMap | null = null;
  let headerLine = 0;
  let total = 0;
  let skipped = 0;
  let searched = 0;
  let best: { missing: string[]; matched: number; headers: string[] } | null = null;
  // First pass: the header (below a report's title block), and whatever rejects the whole
  // file, before anything is applied.
  search: for await (const records of readCsvRuns(path, delimiter)) {
    for (const record of records) {
      if (!map) {
        const mapped = mapHeaders(kind, record.values);
        if ("missing" in mapped) {
          if (!best || mapped.matched > best.matched) best = { ...mapped, headers: record.values.map((v) => v.trim()).filter((v) => v !== "") };
          if (++searched >= HEADER_SEARCH_RECORDS) break search;
          continue;
        }
        map = mapped;
        headerLine = record.line;
        continue;
      }
      if (isReportRow(map, record)) {
        skipped++;
        continue;
      }
      total++;
      if (options.dateFormat) continue;
      if (!mayContain(record, "/")) continue;
      for (const field of DATE_FIELDS) {
        const column = map.columns[field];
        const text = column ? valueAt(record, column.index) : "";
        if (text.includes("/") && isAmbiguousSlashDate(text)) {
          throw new CsvFileRejected(
            `${path} line ${record.line}: "${text.trim()}" could be day/month or month/day; run again with --date-format DMY or --date-format MDY`,
          );
        }
      }
    }
  }
  if (!map && best) {
    throw new CsvFileRejected(`${path}: missing required column ${best.missing.join("; ")}. Headers found: ${best.headers.join(", ")}`);
  }
  if (!map) throw new CsvFileRejected(`${path} is empty: expected a header row`);
  const headerMap = map;
  const firstDataLine = headerLine + 1;
  return {
    warnings: headerMap.warnings,
    headers: Object.fromEntries(Object.entries(headerMap.columns).map(([field, column]) => [field, column.header])),
    total,
    skipped,
    async *rows() {
      await requireUnchanged(path, version);
      const reader = new RowReader(headerMap);
      for await (const records of readCsvRuns(path, delimiter)) {
        const run: RowOrRejection<Row, Key>[] = [];
        for (const record of records) {
          if (record.line < firstDataLine || isReportRow(headerMap, record)) continue;
          reader.at(record);
          try {
            run.push({ row: toRow(reader, delimiter) });
          } catch (error) {
            if (error instanceof RowRejectionError) run.push({ rejection: error.rejection, key: keyOf(reader) });
            else throw error;
          }
        }
        if (run.length > 0) yield run;
      }
      // Added to the file's warnings, which the import reports after its own (run-import.ts).
      if (!(await isUnchanged(path, version))) headerMap.warnings.push(changedWhileRead(path));
    },
  };
}

/**
 * An amount cell read in place: its value becomes the plain decimal. Returns the currency the
 * cell itself names, if any, which must agree with the row's `currency` when it has one.
 */
function readAmount(reader: RowReader, delimiter: Delimiter, cell: Cell<string>, currency: string | null): string | null {
  const parsed = parseAmount(cell.text, delimiter);
  if (!parsed.ok) throw reader.reject(cell.column, cell.text, parsed.reason);
  const named = parsed.value.currency;
  if (named && currency && named !== currency) throw reader.reject(cell.column, cell.text, `amount is in ${named} but the row's currency is ${currency}`);
  cell.value = parsed.value.decimal;
  return named;
}

/** An optional amount column in the row's currency. */
function optionalAmount(reader: RowReader, delimiter: Delimiter, field: Field, currency: string): Cell<string> | null {
  const cell = reader.optional(field);
  if (cell) readAmount(reader, delimiter, cell, currency);
  return cell;
}

export function openAccountsCsv(path: string, options: CsvOptions): Promise<CsvImportSource<AccountRow, AccountKey>> {
  const keyOf = (reader: RowReader): AccountKey => ({ externalId: reader.optional("accountId"), name: reader.optional("accountName") });
  return openCsv(path, "accounts", options, (reader): AccountRow => {
    const owners: AccountRow["owners"] = {};
    for (const [fn, field] of [
      ["finance", "financeOwner"],
      ["sales", "salesOwner"],
      ["cs", "csOwner"],
    ] as [TeamFunction, Field][]) {
      const cell = reader.optional(field);
      if (cell) owners[fn] = reader.parsed(cell, parseEmail(cell.text));
    }
    return { line: reader.line, ...keyOf(reader), segment: reader.optional("segment"), tier: reader.optional("tier"), region: reader.optional("region"), owners };
  }, keyOf);
}

const YES = /^(y|yes|true|1|x|disputed|in dispute)$/i;
const NO = /^(n|no|false|0|-|none)$/i;

/**
 * A report's heading, subtotal, total or footer row: it names no invoice, has no dates,
 * and either names no account or starts with "Total".
 */
function isInvoiceReportRow(map: HeaderMap, record: CsvRecord): boolean {
  // Called for every row of both passes: plain functions, no closure per row.
  if (cellOf(map, record, "invoiceNumber") !== "" || cellOf(map, record, "issueDate") !== "" || cellOf(map, record, "dueDate") !== "") return false;
  const first = record.values.map((v) => v.trim()).find((v) => v !== "") ?? "";
  return (cellOf(map, record, "accountId") === "" && cellOf(map, record, "accountName") === "") || /^total\b/i.test(first);
}

function cellOf(map: HeaderMap, record: CsvRecord, field: Field): string {
  const column = map.columns[field];
  return column ? valueAt(record, column.index).trim() : "";
}

/** Reads a date cell in place, with the options of its column (made once per column of a file). */
function dateReader(options: CsvOptions): (reader: RowReader, field: Field, cell: Cell<string>) => Cell<string> {
  const byField = new Map<Field, DateOptions>();
  return (reader, field, cell) => {
    let dateOptions = byField.get(field);
    if (!dateOptions) byField.set(field, (dateOptions = { format: options.dateFormat, zone: reader.zone(field), timeZone: options.timeZone }));
    return reader.parsed(cell, parseDate(cell.text, dateOptions));
  };
}

export function openInvoicesCsv(path: string, options: CsvOptions): Promise<CsvImportSource<InvoiceRow, InvoiceKey>> {
  const date = dateReader(options);
  return openCsv(
    path,
    "invoices",
    options,
    (reader, delimiter): InvoiceRow => {
      const status = reader.optional("status");
      const paymentStatus = reader.optional("paymentStatus");
      // A draft or a voided document is no receivable: read nothing else (a Stripe draft has no number yet).
      if ((status && isNotReceivableStatus(status.value)) || (paymentStatus && isNotReceivableStatus(paymentStatus.value))) {
        const blank = (field: Field): Cell<string> => ({ value: "", column: reader.text(field)?.column ?? field, text: "" });
        return {
          line: reader.line,
          accountId: reader.optional("accountId"),
          accountName: reader.optional("accountName"),
          number: reader.optional("invoiceNumber") ?? blank("invoiceNumber"),
          issueDate: blank("issueDate"),
          dueDate: null,
          amount: blank("amount"),
          balance: null,
          currency: blank("currency"),
          status,
          paymentStatus,
        };
      }
      const number = reader.required("invoiceNumber");
      const accountId = reader.optional("accountId");
      const accountName = reader.optional("accountName");
      if (!accountId && !accountName) {
        const column = reader.text("accountId") ?? reader.text("accountName")!;
        throw reader.reject(column.column, "", "an account id or name is required");
      }
      const currencyCell = reader.optional("currency");
      const issueDate = date(reader, "issueDate", reader.required("issueDate"));
      const explicit = currencyCell ? reader.parsed(currencyCell, parseCurrency(currencyCell.text)) : null;
      const amount = reader.required("amount");
      const named = readAmount(reader, delimiter, amount, explicit?.value ?? null);
      // Without a currency column, the amount cell's own code or sign decides, else AR_CURRENCY.
      const currency: Cell<string> = explicit ?? { value: named ?? options.defaultCurrency, column: "currency", text: "" };
      const type = reader.optional("type");
      // A credit note has no due date in some exports: it is never overdue.
      const dueCell = reader.optional("dueDate");
      const isCredit = amount.value.startsWith("-") || (type !== null && isCreditType(type.value));
      const dueDate = dueCell ? date(reader, "dueDate", dueCell) : isCredit ? null : date(reader, "dueDate", reader.required("dueDate"));
      const disputedCell = reader.optional("disputed");
      let disputed: Cell<boolean> | null = null;
      if (disputedCell) {
        if (!YES.test(disputedCell.text) && !NO.test(disputedCell.text)) throw reader.reject(disputedCell.column, disputedCell.text, "expected yes or no");
        disputed = { ...disputedCell, value: YES.test(disputedCell.text) };
      }
      const settledCell = reader.optional("settledDate");
      return {
        line: reader.line,
        accountId,
        accountName,
        number,
        issueDate,
        dueDate,
        amount,
        balance: optionalAmount(reader, delimiter, "balance", currency.value),
        amountPaid: optionalAmount(reader, delimiter, "amountPaid", currency.value),
        currency,
        status,
        paymentStatus,
        type,
        disputed,
        settledDate: settledCell ? date(reader, "settledDate", settledCell) : null,
        signature: reader.signature(),
      };
    },
    (reader): InvoiceKey => ({ number: reader.optional("invoiceNumber") }),
    isInvoiceReportRow,
  );
}

export function openPaymentsCsv(path: string, options: CsvOptions): Promise<CsvImportSource<PaymentRow, PaymentKey>> {
  const date = dateReader(options);
  return openCsv(path, "payments", options, (reader, delimiter): PaymentRow => {
    const invoiceNumber = reader.required("invoiceNumber");
    const paidOn = date(reader, "paidOn", reader.required("paidOn"));
    const currencyCell = reader.optional("currency");
    const currency = currencyCell ? reader.parsed(currencyCell, parseCurrency(currencyCell.text)) : null;
    const amount = reader.required("amount");
    const named = readAmount(reader, delimiter, amount, currency?.value ?? null);
    const fromAmount: Cell<string> | null = named ? { value: named, column: amount.column, text: amount.text } : null;
    return { line: reader.line, invoiceNumber, paidOn, amount, currency: currency ?? fromAmount, reference: reader.optional("reference") };
  }, (reader): PaymentKey => ({ invoiceNumber: reader.optional("invoiceNumber"), reference: reader.optional("reference") }));
}
