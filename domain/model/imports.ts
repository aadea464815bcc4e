import { BusinessDate } from "./business-date";
import { TeamFunction } from "./team";

export const IMPORT_KINDS = ["accounts", "invoices", "payments"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface RowRejection {
  line: number;
  column: string;
  value: string;
  reason: string;
}

/** The `--json` report of section 6 (fields may be added, never renamed). */
export interface ImportReport {
  kind: ImportKind;
  file: string;
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: RowRejection[];
  warnings: string[];
  /** `--full`: open invoices missing from the file, closed with a zero balance. */
  closed?: string[];
  /** Rows that are no receivable: report headings, subtotals, totals, footers, drafts, voided invoices. */
  skipped: number;
  /** Line-item rows folded into the invoice of an earlier line. */
  merged: number;
  /** Which of the file's columns was read as what (`issueDate` → "Invoice Date"). */
  columns: Partial<Record<string, string>>;
  /** Credit notes created or updated (invoices files). */
  credits?: { created: number; updated: number; unchanged: number };
}

/** Where a value came from, so a rejection can name the column and show the cell. */
export interface Cell<T> {
  value: T;
  column: string;
  text: string;
}

/** A decimal already freed of symbols and grouping, with `.` as separator ("1234.5"). */
export type DecimalText = string;

export interface AccountRow {
  line: number;
  externalId: Cell<string> | null;
  name: Cell<string> | null;
  segment: Cell<string> | null;
  tier: Cell<string> | null;
  region: Cell<string> | null;
  owners: Partial<Record<TeamFunction, Cell<string>>>;
}

export interface InvoiceRow {
  line: number;
  accountId: Cell<string> | null;
  accountName: Cell<string> | null;
  number: Cell<string>;
  issueDate: Cell<BusinessDate>;
  /** Null only for a credit note, which has no due date. */
  dueDate: Cell<BusinessDate> | null;
  /** Negative for a credit note in most exports. */
  amount: Cell<DecimalText>;
  balance: Cell<DecimalText> | null;
  /** What was paid (Stripe, Xero): the balance is amount − paid when no balance column is given. */
  amountPaid?: Cell<DecimalText> | null;
  currency: Cell<string>;
  /** Status / payment status / document type as the export writes them. */
  status?: Cell<string> | null;
  paymentStatus?: Cell<string> | null;
  type?: Cell<string> | null;
  disputed?: Cell<boolean> | null;
  /** Paid in full on that day. */
  settledDate?: Cell<BusinessDate> | null;
  /**
   * Every cell of the record, hashed (`recordSignature`): two rows of one invoice that differ
   * elsewhere are its line items.
   */
  signature?: number;
}

/**
 * A 32-bit FNV-1a hash of a record's cells, each trimmed, separated by U+0001: what tells a
 * repeated row from another line item of the same invoice. Hashed cell by cell, so no text of
 * the whole record is made for each row (a re-import of 85 000 rows made 30 MB of them).
 */
export function recordSignature(cells: readonly string[]): number {
  let hash = 0x811c9dc5;
  for (let c = 0; c < cells.length; c++) {
    if (c > 0) hash = Math.imul(hash ^ 1, 0x01000193);
    const cell = cells[c]!;
    let start = 0;
    let end = cell.length;
    while (start < end && isTrimmed(cell.charCodeAt(start))) start++;
    while (end > start && isTrimmed(cell.charCodeAt(end - 1))) end--;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ cell.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/** What `String.prototype.trim` removes: ECMAScript's white space and line terminators. */
function isTrimmed(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

export interface PaymentRow {
  line: number;
  invoiceNumber: Cell<string>;
  paidOn: Cell<BusinessDate>;
  amount: Cell<DecimalText>;
  currency: Cell<string> | null;
  reference: Cell<string> | null;
}

/** The cells that identify a row within a file (section 6: a repeated key rejects the later row). */
export type AccountKey = Pick<AccountRow, "externalId" | "name">;
export interface InvoiceKey {
  number: Cell<string> | null;
}
export interface PaymentKey {
  invoiceNumber: Cell<string> | null;
  reference: Cell<string> | null;
}

/**
 * A parsed row, or the reason its cells could not be read. A refused row keeps the key
 * cells it has: a later row with the same key is still a repeat, and `--full` never
 * closes an invoice whose row was refused.
 */
export type RowOrRejection<Row, Key> = { row: Row } | { rejection: RowRejection; key: Key };

/** An import told to stop (its runner went away): the batches written before stay; running it again imports the rest. */
export class ImportStopped extends Error {}

/** A checked import file: its warnings, and its rows (streamed, possibly twice). */
export interface ImportSource<Row, Key> {
  /** Found by the check; one more may be added once the rows are read (the file changed meanwhile). */
  warnings: string[];
  /** The file's own header of each field it maps (`accountId` → "Account Number"), for rejections. */
  headers: Partial<Record<string, string>>;
  /** Data rows in the file, counted by the first pass (for progress). */
  total: number;
  /** Report rows (headings, subtotals, totals, footers) and title lines the reader passed over. */
  skipped?: number;
  /** The rows in file order, a run at a time (as the file is read; `inBatches` regroups them). */
  rows(): AsyncIterable<RowOrRejection<Row, Key>[]>;
}

export function emptyReport(kind: ImportKind, file: string, dryRun: boolean): ImportReport {
  return { kind, file, dryRun, rows: 0, created: 0, updated: 0, unchanged: 0, rejected: [], warnings: [], skipped: 0, merged: 0, columns: {} };
}

/** A document type that names a credit: QuickBooks/NetSuite "Credit Memo", Xero "Sales credit note", Xero's ACCRECCREDIT. */
export function isCreditType(text: string): boolean {
  return /credit|refund|^cm$/i.test(text.trim());
}

/** An unapplied payment listed in an aging report (QuickBooks "Payment"): it lowers AR as a credit does. */
export function isPaymentType(text: string): boolean {
  return /^(payment|customer payment|receive payment|unapplied payment)$/i.test(text.trim());
}

/** Statuses of documents that are not receivables: drafts, voided, cancelled, deleted. */
export function isNotReceivableStatus(text: string): boolean {
  return /^(draft|void|voided|cancel+ed|deleted|awaiting approval|submitted|rejected)$/i.test(text.trim());
}

/** A status saying the document is void or cancelled (rather than still a draft). */
export function isVoidStatus(text: string): boolean {
  return /^(void|voided|cancel+ed|deleted|reversed)$/i.test(text.trim());
}

/** A status saying the invoice is settled in full. */
export function isPaidStatus(text: string): boolean {
  return /^(paid|paid in full|fully paid|closed|fully applied)$/i.test(text.trim());
}
