import { ImportKind } from "../../domain/model/imports";

/** Lower case; spaces, `_`, `-`, `.` and `#` collapse to one `_` (section 6). */
export function normalizeHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.#]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export type Field =
  | "accountId"
  | "accountName"
  | "segment"
  | "tier"
  | "region"
  | "financeOwner"
  | "salesOwner"
  | "csOwner"
  | "invoiceNumber"
  | "issueDate"
  | "dueDate"
  | "amount"
  | "balance"
  | "currency"
  | "paidOn"
  | "reference";

const ACCOUNT_ID = ["account_id", "customer_id", "customer_no", "customer_number", "account_number", "client_id", "debtor_id"];
const ACCOUNT_NAME = ["name", "account_name", "customer_name", "customer", "client", "company"];
const INVOICE_NUMBER = ["invoice_number", "invoice_no", "invoice", "invoice_id", "num", "number", "document_number", "doc_no"];
const AMOUNT = ["amount", "total", "invoice_amount", "original_amount", "gross_amount"];
const CURRENCY = ["currency", "currency_code", "ccy"];

/** Accepted headers per field and file kind, in order of preference. */
const FIELDS: Record<ImportKind, Partial<Record<Field, string[]>>> = {
  accounts: {
    accountId: ACCOUNT_ID,
    accountName: ACCOUNT_NAME,
    segment: ["segment"],
    tier: ["tier"],
    region: ["region"],
    financeOwner: ["finance_owner_email"],
    salesOwner: ["sales_owner_email"],
    csOwner: ["cs_owner_email"],
  },
  invoices: {
    accountId: ACCOUNT_ID,
    accountName: ACCOUNT_NAME,
    invoiceNumber: INVOICE_NUMBER,
    issueDate: ["issue_date", "invoice_date", "date", "document_date", "posting_date"],
    dueDate: ["due_date", "due", "payment_due", "due_on"],
    amount: AMOUNT,
    balance: ["balance", "open_balance", "amount_due", "balance_due", "outstanding", "open_amount"],
    currency: CURRENCY,
  },
  payments: {
    invoiceNumber: INVOICE_NUMBER,
    paidOn: ["paid_on", "payment_date", "paid_date", "date"],
    // What was paid wins over an invoice total that payment exports often repeat.
    amount: ["amount_paid", "payment_amount", "paid", ...AMOUNT],
    currency: CURRENCY,
    reference: ["reference", "ref", "payment_reference", "transaction_id", "check_no"],
  },
};

const REQUIRED: Record<ImportKind, { fields: Field[]; anyOf?: Field[] }> = {
  accounts: { fields: [], anyOf: ["accountId", "accountName"] },
  invoices: { fields: ["invoiceNumber", "issueDate", "dueDate", "amount"], anyOf: ["accountId", "accountName"] },
  payments: { fields: ["invoiceNumber", "paidOn", "amount"] },
};

export interface HeaderMap {
  /** Column index and original header text per recognised field. */
  columns: Partial<Record<Field, { index: number; header: string }>>;
  warnings: string[];
}

export function describeField(kind: ImportKind, field: Field): string {
  return (FIELDS[kind][field] ?? [field])[0]!;
}

/**
 * Matches a header row against the table of section 6. Returns the missing required
 * columns instead of a map when the file cannot be imported.
 */
export function mapHeaders(kind: ImportKind, headers: string[]): HeaderMap | { missing: string[] } {
  const normalized = headers.map(normalizeHeader);
  const columns: HeaderMap["columns"] = {};
  const used = new Set<number>();
  for (const [field, accepted] of Object.entries(FIELDS[kind]) as [Field, string[]][]) {
    for (const name of accepted) {
      const index = normalized.findIndex((h, i) => h === name && !used.has(i));
      if (index >= 0) {
        columns[field] = { index, header: headers[index]!.trim() };
        used.add(index);
        break;
      }
    }
  }
  const missing: string[] = [];
  const required = REQUIRED[kind];
  for (const field of required.fields) {
    if (!columns[field]) missing.push(`${describeField(kind, field)} (or ${(FIELDS[kind][field] ?? []).slice(1).join(", ")})`);
  }
  if (required.anyOf && !required.anyOf.some((f) => columns[f])) {
    missing.push(required.anyOf.map((f) => describeField(kind, f)).join(" or "));
  }
  if (missing.length > 0) return { missing };
  const ignored = headers.filter((h, i) => !used.has(i) && h.trim() !== "").map((h) => h.trim());
  const warnings = ignored.length > 0 ? [`ignored columns: ${ignored.join(", ")}`] : [];
  return { columns, warnings };
}
