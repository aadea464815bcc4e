import { ImportKind } from "../../domain/model/imports";

/** A trailing time-zone note such as `(UTC)`: dropped from the name, kept as the column's zone. */
const ZONE_NOTE = /\s*\(\s*(UTC|GMT|Z|[A-Z]{2,5}|(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?)\s*\)\s*$/i;

/**
 * Lower case, camelCase split (`InvoiceDate` → `invoice_date`, `customerID` → `customer_id`);
 * spaces, `_`, `-`, `.`, `#`, `/`, `(` and `)` collapse to one `_`; a trailing time-zone
 * note like `(UTC)` is dropped.
 */
export function normalizeHeader(header: string): string {
  return header
    .trim()
    .replace(/^\uFEFF/, "")
    .replace(ZONE_NOTE, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[\s_\-.#/()]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** `UTC` when the header says its times are in UTC/GMT, else null (times read as written). */
export function headerZone(header: string): "UTC" | null {
  const note = ZONE_NOTE.exec(header.trim());
  return note && /^(UTC|GMT|Z)$/i.test(note[1]!.trim()) ? "UTC" : null;
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
  | "amountPaid"
  | "currency"
  | "status"
  | "paymentStatus"
  | "type"
  | "disputed"
  | "settledDate"
  | "paidOn"
  | "reference";

/** What each field means, for the column-mapping printout. */
export const FIELD_LABELS: Record<Field, string> = {
  accountId: "account id",
  accountName: "account name",
  segment: "segment",
  tier: "tier",
  region: "region",
  financeOwner: "finance owner",
  salesOwner: "sales owner",
  csOwner: "cs owner",
  invoiceNumber: "invoice number",
  issueDate: "issue date",
  dueDate: "due date",
  amount: "amount",
  balance: "open balance",
  amountPaid: "amount paid",
  currency: "currency",
  status: "status",
  paymentStatus: "payment status",
  type: "type (credit notes)",
  disputed: "disputed",
  settledDate: "settled date (paid in full)",
  paidOn: "paid on",
  reference: "reference",
};

const ACCOUNT_ID = ["account_id", "customer_id", "customer_no", "customer_number", "account_number", "client_id", "debtor_id", "contact_id", "partner_id"];
// More specific names first: a file with both `Customer` and `Customer Name` names the account by the latter.
const ACCOUNT_NAME = [
  "name",
  "account_name",
  "customer_name",
  "customer_full_name",
  "customer_display_name",
  "contact_name",
  "invoice_partner_display_name",
  "partner_name",
  "partner",
  "customer",
  "client",
  "company",
];
const INVOICE_NUMBER = ["invoice_number", "invoice_no", "invoice_cm", "invoice_cm_no", "invoice", "invoice_id", "document_number", "doc_no", "num", "number", "reference_number"];
const CURRENCY = ["currency", "currency_code", "ccy"];

interface FieldAliases {
  /** Accepted headers, most specific first. */
  names: string[];
  /** Headers taken only when no other field claimed them (Stripe's `Customer` is an id beside `Customer Name`). */
  fallback?: string[];
}

/** Accepted headers per field and file kind, in order of preference. */
const FIELDS: Record<ImportKind, Partial<Record<Field, FieldAliases>>> = {
  accounts: {
    accountId: { names: ACCOUNT_ID },
    accountName: { names: ACCOUNT_NAME },
    segment: { names: ["segment"] },
    tier: { names: ["tier"] },
    region: { names: ["region"] },
    financeOwner: { names: ["finance_owner_email"] },
    salesOwner: { names: ["sales_owner_email"] },
    csOwner: { names: ["cs_owner_email"] },
  },
  invoices: {
    accountId: { names: ACCOUNT_ID, fallback: ["customer"] },
    accountName: { names: ACCOUNT_NAME },
    invoiceNumber: { names: INVOICE_NUMBER },
    issueDate: { names: ["issue_date", "invoice_date", "invoice_bill_date", "document_date", "transaction_date", "posting_date", "date"] },
    dueDate: { names: ["due_date", "due_date_receive_by", "date_due", "due", "payment_due", "due_on"] },
    // An invoice-level total wins over a per-line `amount` (Sage's journal, Zoho's items).
    amount: { names: ["accounts_receivable_amount", "invoice_total", "invoice_amount", "total_signed", "total", "amount", "original_amount", "gross_amount"] },
    balance: {
      names: ["balance", "open_balance", "invoice_amount_due", "amount_due_signed", "amount_remaining", "amount_due", "balance_due", "outstanding", "open_amount", "amount_outstanding"],
    },
    amountPaid: { names: ["amount_paid", "invoice_amount_paid", "paid_amount", "total_paid"] },
    currency: { names: CURRENCY },
    status: { names: ["status", "invoice_status", "state"] },
    paymentStatus: { names: ["payment_status", "payment_state"] },
    type: { names: ["type", "transaction_type", "document_type", "invoice_type"] },
    disputed: { names: ["disputed", "in_dispute", "dispute"] },
    settledDate: { names: ["settled_date", "date_settled", "paid_date", "date_paid", "paid_on", "fully_paid_on"] },
  },
  payments: {
    invoiceNumber: { names: INVOICE_NUMBER },
    paidOn: { names: ["paid_on", "payment_date", "paid_date", "date"] },
    // What was paid wins over an invoice total that payment exports often repeat.
    amount: { names: ["amount_paid", "payment_amount", "paid", "amount", "total", "invoice_amount", "original_amount", "gross_amount"] },
    currency: { names: CURRENCY },
    reference: { names: ["reference", "ref", "payment_reference", "transaction_id", "check_no"] },
  },
};

const REQUIRED: Record<ImportKind, { fields: Field[]; anyOf?: Field[] }> = {
  accounts: { fields: [], anyOf: ["accountId", "accountName"] },
  invoices: { fields: ["invoiceNumber", "issueDate", "dueDate", "amount"], anyOf: ["accountId", "accountName"] },
  payments: { fields: ["invoiceNumber", "paidOn", "amount"] },
};

export interface MappedColumn {
  index: number;
  /** The file's own header text. */
  header: string;
  /** `UTC` when the header notes that its times are UTC. */
  zone: "UTC" | null;
}

export interface HeaderMap {
  /** Column index and original header text per recognised field. */
  columns: Partial<Record<Field, MappedColumn>>;
  warnings: string[];
}

export interface MissingColumns {
  missing: string[];
  /** How many fields the row did match: the best candidate for a header row. */
  matched: number;
}

export function describeField(kind: ImportKind, field: Field): string {
  return (FIELDS[kind][field]?.names ?? [field])[0]!;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The unused header nearest to one of the field's accepted names, and that name. */
function closest(kind: ImportKind, field: Field, headers: string[], used: Set<number>): { header: string; alias: string } | null {
  let best: { header: string; alias: string; distance: number } | null = null;
  const aliases = [...(FIELDS[kind][field]?.names ?? []), ...(FIELDS[kind][field]?.fallback ?? [])];
  headers.forEach((header, index) => {
    const name = normalizeHeader(header);
    if (used.has(index) || name === "") return;
    for (const alias of aliases) {
      const distance = editDistance(name, alias) / Math.max(name.length, alias.length);
      if (!best || distance < best.distance) best = { header: header.trim(), alias, distance };
    }
  });
  const found = best as { header: string; alias: string; distance: number } | null;
  return found && found.distance <= 0.6 ? { header: found.header, alias: found.alias } : null;
}

/**
 * Matches a header row against the table of section 6 and the spellings of common
 * accounting exports. Returns the missing required columns instead of a map when the row
 * cannot be the header of this kind of file.
 */
export function mapHeaders(kind: ImportKind, headers: string[]): HeaderMap | MissingColumns {
  const normalized = headers.map(normalizeHeader);
  const columns: HeaderMap["columns"] = {};
  const used = new Set<number>();
  const take = (field: Field, name: string): boolean => {
    const index = normalized.findIndex((h, i) => h === name && !used.has(i));
    if (index < 0) return false;
    columns[field] = { index, header: headers[index]!.trim(), zone: headerZone(headers[index]!) };
    used.add(index);
    return true;
  };
  const fields = Object.entries(FIELDS[kind]) as [Field, FieldAliases][];
  // Stripe's `Amount Due` beside `Amount Paid` and no other amount is what was billed.
  if (kind === "invoices" && normalized.includes("amount_due") && normalized.includes("amount_paid")) {
    const otherAmount = FIELDS.invoices.amount!.names.some((name) => normalized.includes(name));
    if (!otherAmount) take("amount", "amount_due");
  }
  for (const [field, aliases] of fields) {
    if (columns[field]) continue;
    for (const name of aliases.names) if (take(field, name)) break;
  }
  for (const [field, aliases] of fields) {
    if (columns[field]) continue;
    for (const name of aliases.fallback ?? []) if (take(field, name)) break;
  }
  const missing: string[] = [];
  const required = REQUIRED[kind];
  const hint = (field: Field) => {
    const near = closest(kind, field, headers, used);
    return near ? `; closest: "${near.header}" (accepted: ${near.alias})` : "";
  };
  for (const field of required.fields) {
    if (!columns[field]) missing.push(`${describeField(kind, field)} (or ${(FIELDS[kind][field]?.names ?? []).slice(1).join(", ")})${hint(field)}`);
  }
  if (required.anyOf && !required.anyOf.some((f) => columns[f])) {
    missing.push(required.anyOf.map((f) => describeField(kind, f)).join(" or ") + hint(required.anyOf[0]!));
  }
  if (missing.length > 0) return { missing, matched: Object.keys(columns).length };
  const ignored = headers.filter((h, i) => !used.has(i) && h.trim() !== "").map((h) => h.trim());
  const warnings = ignored.length > 0 ? [`ignored columns: ${ignored.join(", ")}`] : [];
  return { columns, warnings };
}
