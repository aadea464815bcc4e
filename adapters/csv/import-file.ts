import { AccountKey, AccountRow, Cell, ImportKind, ImportSource, InvoiceKey, InvoiceRow, PaymentKey, PaymentRow, RowRejection } from "../../domain/model/imports";
import { TeamFunction } from "../../domain/model/team";
import { CellResult, DateFormat, isAmbiguousSlashDate, parseAmount, parseCurrency, parseDate, parseEmail } from "./cell-parsers";
import { CsvFileRejected, CsvRecord, Delimiter, readCsvRecords, requireRegularFile, sniffDelimiter } from "./csv-file";
import { Field, HeaderMap, mapHeaders } from "./headers";

export interface CsvOptions {
  dateFormat?: DateFormat;
  /** Currency of rows without a currency column (AR_CURRENCY). */
  defaultCurrency: string;
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

  text(field: Field): { column: string; text: string } | null {
    const column = this.map.columns[field];
    if (!column) return null;
    return { column: column.header, text: (this.record.values[column.index] ?? "").trim() };
  }

  optional(field: Field): Cell<string> | null {
    const cell = this.text(field);
    return cell && cell.text !== "" ? { value: cell.text, column: cell.column, text: cell.text } : null;
  }

  required(field: Field): Cell<string> {
    const cell = this.text(field)!;
    if (cell.text === "") throw this.reject(cell.column, "", "required");
    return { value: cell.text, column: cell.column, text: cell.text };
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

const DATE_FIELDS: Field[] = ["issueDate", "dueDate", "paidOn"];

async function openCsv<Row, Key>(
  path: string,
  kind: ImportKind,
  options: CsvOptions,
  toRow: (reader: RowReader, delimiter: Delimiter) => Row,
  keyOf: (reader: RowReader) => Key,
): Promise<CsvImportSource<Row, Key>> {
  await requireRegularFile(path);
  const delimiter = await sniffDelimiter(path);
  let map: HeaderMap | null = null;
  let total = 0;
  // First pass: the header, and whatever rejects the whole file, before anything is applied.
  for await (const record of readCsvRecords(path, delimiter)) {
    if (!map) {
      const mapped = mapHeaders(kind, record.values);
      if ("missing" in mapped) throw new CsvFileRejected(`${path}: missing required column ${mapped.missing.join("; ")}`);
      map = mapped;
      continue;
    }
    total++;
    if (options.dateFormat) continue;
    for (const field of DATE_FIELDS) {
      const column = map.columns[field];
      const text = column ? record.values[column.index] ?? "" : "";
      if (isAmbiguousSlashDate(text)) {
        throw new CsvFileRejected(
          `${path} line ${record.line}: "${text.trim()}" could be day/month or month/day; run again with --date-format DMY or --date-format MDY`,
        );
      }
    }
  }
  if (!map) throw new CsvFileRejected(`${path} is empty: expected a header row`);
  const headerMap = map;
  return {
    warnings: headerMap.warnings,
    headers: Object.fromEntries(Object.entries(headerMap.columns).map(([field, column]) => [field, column.header])),
    total,
    async *rows() {
      let header = true;
      for await (const record of readCsvRecords(path, delimiter)) {
        if (header) {
          header = false;
          continue;
        }
        const reader = new RowReader(headerMap, record);
        try {
          yield { row: toRow(reader, delimiter) };
        } catch (error) {
          if (error instanceof RowRejectionError) yield { rejection: error.rejection, key: keyOf(reader) };
          else throw error;
        }
      }
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

export function openInvoicesCsv(path: string, options: CsvOptions): Promise<CsvImportSource<InvoiceRow, InvoiceKey>> {
  return openCsv(path, "invoices", options, (reader, delimiter): InvoiceRow => {
    const number = reader.required("invoiceNumber");
    const accountId = reader.optional("accountId");
    const accountName = reader.optional("accountName");
    if (!accountId && !accountName) {
      const column = reader.text("accountId") ?? reader.text("accountName")!;
      throw reader.reject(column.column, "", "an account id or name is required");
    }
    const currencyCell = reader.optional("currency");
    const issueDate = reader.parsed(reader.required("issueDate"), parseDate(reader.required("issueDate").text, options.dateFormat));
    const dueDate = reader.parsed(reader.required("dueDate"), parseDate(reader.required("dueDate").text, options.dateFormat));
    const explicit = currencyCell ? reader.parsed(currencyCell, parseCurrency(currencyCell.text)) : null;
    const money = amountCell(reader, delimiter, reader.required("amount"), explicit?.value ?? null);
    // Without a currency column, the amount cell's own code or sign decides, else AR_CURRENCY.
    const currency: Cell<string> = explicit ?? { value: money.currency ?? options.defaultCurrency, column: "currency", text: "" };
    const amount = money.cell;
    const balanceText = reader.optional("balance");
    const balance = balanceText ? amountCell(reader, delimiter, balanceText, currency.value).cell : null;
    return { line: reader.line, accountId, accountName, number, issueDate, dueDate, amount, balance, currency };
  }, (reader): InvoiceKey => ({ number: reader.optional("invoiceNumber") }));
}

export function openPaymentsCsv(path: string, options: CsvOptions): Promise<CsvImportSource<PaymentRow, PaymentKey>> {
  return openCsv(path, "payments", options, (reader, delimiter): PaymentRow => {
    const invoiceNumber = reader.required("invoiceNumber");
    const paidOnCell = reader.required("paidOn");
    const paidOn = reader.parsed(paidOnCell, parseDate(paidOnCell.text, options.dateFormat));
    const currencyCell = reader.optional("currency");
    const currency = currencyCell ? reader.parsed(currencyCell, parseCurrency(currencyCell.text)) : null;
    const parsedAmount = amountCell(reader, delimiter, reader.required("amount"), currency?.value ?? null);
    const fromAmount: Cell<string> | null = parsedAmount.currency
      ? { value: parsedAmount.currency, column: parsedAmount.cell.column, text: parsedAmount.cell.text }
      : null;
    return { line: reader.line, invoiceNumber, paidOn, amount: parsedAmount.cell, currency: currency ?? fromAmount, reference: reader.optional("reference") };
  }, (reader): PaymentKey => ({ invoiceNumber: reader.optional("invoiceNumber"), reference: reader.optional("reference") }));
}
