import { AccountKey, AccountRow, Cell, ImportKind, isCreditType, isNotReceivableStatus, ImportSource, InvoiceKey, InvoiceRow, PaymentKey, PaymentRow, RowOrRejection, RowRejection, recordSignature } from "../../domain/model/imports";
import { TeamFunction } from "../../domain/model/team";
import { CellResult, DateFormat, isAmbiguousSlashDate, parseAmount, parseCurrency, parseDate, parseEmail } from "./cell-parsers";
import { changedWhileRead, CsvFileRejected, CsvRecord, Delimiter, isUnchanged, readCsvRuns, requireRegularFile, requireUnchanged, sniffDelimiter } from "./csv-file";
import { Field, HeaderMap, mapHeaders } from "./headers";

export interface CsvOptions {
  dateFormat?: DateFormat;
  /** Currency of rows without a currency column (AR_CURRENCY). */
  defaultCurrency: string;
  /** AR_TIMEZONE: the calendar day of a time that carries a zone. */
  timeZone?: string;
}

export type CsvImportSource<Row, Key> = ImportSource<Row, Key>;

class RowReader {
  constructor(
    private readonly map: HeaderMap,
    private readonly record: CsvRecord,
  ) {}

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

  parsed<T>(cell: Cell<string>, result: CellResult<T>): Cell<T> {
    if (!result.ok) throw this.reject(cell.column, cell.text, result.reason);
    return { value: result.value, column: cell.column, text: cell.text };
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
      for (const field of DATE_FIELDS) {
        const column = map.columns[field];
        const text = column ? record.values[column.index] ?? "" : "";
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
      for await (const records of readCsvRuns(path, delimiter)) {
        const run: RowOrRejection<Row, Key>[] = [];
        for (const record of records) {
          if (record.line < firstDataLine || isReportRow(headerMap, record)) continue;
          const reader = new RowReader(headerMap, record);
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

function amountCell(reader: RowReader, delimiter: Delimiter, cell: Cell<string>, currency: string | null) {
  const parsed = reader.parsed(cell, parseAmount(cell.text, delimiter));
  if (parsed.value.currency && currency && parsed.value.currency !== currency) {
    throw reader.reject(cell.column, cell.text, `amount is in ${parsed.value.currency} but the row's currency is ${currency}`);
  }
  return { cell: { value: parsed.value.decimal, column: cell.column, text: cell.text }, currency: parsed.value.currency };
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
  return column ? (record.values[column.index] ?? "").trim() : "";
}

export function openInvoicesCsv(path: string, options: CsvOptions): Promise<CsvImportSource<InvoiceRow, InvoiceKey>> {
  const date = (reader: RowReader, field: Field, cell: Cell<string>) =>
    reader.parsed(cell, parseDate(cell.text, { format: options.dateFormat, zone: reader.zone(field), timeZone: options.timeZone }));
  return openCsv(
    path,
    "invoices",
    options,
    (reader, delimiter): InvoiceRow => {
      const status = reader.optional("status");
      const paymentStatus = reader.optional("paymentStatus");
      // A draft or a voided document is no receivable: read nothing else (a Stripe draft has no number yet).
      if ([status, paymentStatus].some((cell) => cell && isNotReceivableStatus(cell.value))) {
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
      const money = amountCell(reader, delimiter, reader.required("amount"), explicit?.value ?? null);
      // Without a currency column, the amount cell's own code or sign decides, else AR_CURRENCY.
      const currency: Cell<string> = explicit ?? { value: money.currency ?? options.defaultCurrency, column: "currency", text: "" };
      const amount = money.cell;
      const type = reader.optional("type");
      // A credit note has no due date in some exports: it is never overdue.
      const dueCell = reader.optional("dueDate");
      const isCredit = amount.value.startsWith("-") || (type !== null && isCreditType(type.value));
      const dueDate = dueCell ? date(reader, "dueDate", dueCell) : isCredit ? null : date(reader, "dueDate", reader.required("dueDate"));
      const money2 = (field: Field) => {
        const cell = reader.optional(field);
        return cell ? amountCell(reader, delimiter, cell, currency.value).cell : null;
      };
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
        balance: money2("balance"),
        amountPaid: money2("amountPaid"),
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
  return openCsv(path, "payments", options, (reader, delimiter): PaymentRow => {
    const invoiceNumber = reader.required("invoiceNumber");
    const paidOnCell = reader.required("paidOn");
    const paidOn = reader.parsed(paidOnCell, parseDate(paidOnCell.text, { format: options.dateFormat, zone: reader.zone("paidOn"), timeZone: options.timeZone }));
    const currencyCell = reader.optional("currency");
    const currency = currencyCell ? reader.parsed(currencyCell, parseCurrency(currencyCell.text)) : null;
    const parsedAmount = amountCell(reader, delimiter, reader.required("amount"), currency?.value ?? null);
    const fromAmount: Cell<string> | null = parsedAmount.currency
      ? { value: parsedAmount.currency, column: parsedAmount.cell.column, text: parsedAmount.cell.text }
      : null;
    return { line: reader.line, invoiceNumber, paidOn, amount: parsedAmount.cell, currency: currency ?? fromAmount, reference: reader.optional("reference") };
  }, (reader): PaymentKey => ({ invoiceNumber: reader.optional("invoiceNumber"), reference: reader.optional("reference") }));
}
