import { BusinessDate } from "../model/business-date";
import { ImportReport, ImportSource, PaymentKey, PaymentRow, emptyReport } from "../model/imports";
import { LedgerPayment } from "../model/ledger";
import { formatMinor, parseDecimal } from "../model/money";
import { openBalanceAt, paymentKeepsBalanceNonNegative } from "../policies/open-balance";
import { Clock } from "../ports/clock.port";
import { ImportChanges, ImportStore, StoredInvoice, StoredPayment, emptyChanges } from "../ports/import-store.port";
import { FirstLines, RowRefused, inBatches, unique } from "./import-batches";
import { ImportOptions } from "./import-invoices";

interface Deps {
  store: ImportStore;
  clock: Clock;
}

/**
 * A payment's identity (section 6): (invoice, reference) when the ERP gives a reference,
 * else (invoice, paid_on, amount, n-th repeat of that exact row in the file).
 */
export function paymentIdentity(invoiceId: number, payment: { reference: string | null; paidOn: BusinessDate; amountMinor: bigint }, repeat: number): string {
  return payment.reference !== null
    ? `${invoiceId}|ref|${payment.reference}`
    : `${invoiceId}|row|${payment.paidOn}|${payment.amountMinor}|${repeat}`;
}

interface Candidate {
  row: PaymentRow;
  invoice: StoredInvoice;
  amountMinor: bigint;
  identity: string;
}

/** Imports a payments export: each new identity once, never below a zero balance. */
export async function importPayments(deps: Deps, source: ImportSource<PaymentRow, PaymentKey>, options: ImportOptions): Promise<ImportReport> {
  const report = emptyReport("payments", options.file, options.dryRun);
  report.warnings.push(...source.warnings);
  const today = deps.clock.today();
  const references = new FirstLines();
  const repeats = new Map<string, number>();
  // A dry run writes nothing, so the payments it accepted in earlier batches are kept here
  // (only those, by invoice number) for later batches to count; a real run reads them back.
  const unwritten = new Map<string, LedgerPayment[]>();

  for await (const batch of inBatches(source.rows())) {
    report.rows += batch.length;
    const rows = batch.flatMap((item) => ("row" in item ? [item.row] : []));
    // Only this batch's invoices, read afresh: memory stays one batch whatever the file's size,
    // and what earlier batches wrote is in the database by now.
    const invoices = new Map<string, StoredInvoice>();
    for (const invoice of await deps.store.invoicesByNumber(unique(rows.map((r) => r.invoiceNumber.value)))) {
      invoice.payments.push(...(unwritten.get(invoice.number) ?? []));
      invoices.set(invoice.number, invoice);
    }

    // In file order, so that a refused row's reference counts as seen from its own line on.
    const candidates: (Candidate | { row: PaymentRow; refused: RowRefused })[] = [];
    for (const item of batch) {
      if ("rejection" in item) {
        report.rejected.push(item.rejection);
        const { invoiceNumber, reference } = item.key;
        if (invoiceNumber && reference) references.see(referenceKey(invoiceNumber.value, reference.value), item.rejection.line);
        continue;
      }
      try {
        candidates.push(identify(item.row, invoices.get(item.row.invoiceNumber.value), today, references, repeats));
      } catch (error) {
        if (!(error instanceof RowRefused)) throw error;
        candidates.push({ row: item.row, refused: error });
      }
    }
    const identities = candidates.flatMap((c) => ("identity" in c ? [c.identity] : []));
    const known = new Map((await deps.store.paymentsByIdentity(identities)).map((p) => [p.identity, p]));

    const changes = emptyChanges();
    for (const candidate of candidates) {
      try {
        if ("refused" in candidate) throw candidate.refused;
        report[record(candidate, known.get(candidate.identity), today, changes)]++;
      } catch (error) {
        if (!(error instanceof RowRefused)) throw error;
        report.rejected.push({ line: candidate.row.line, column: error.column, value: error.value, reason: error.message });
      }
    }
    if (!options.dryRun) await deps.store.apply(changes, options.actor);
    else keepUnwritten(unwritten, changes, invoices);
    options.onProgress?.(report.rows);
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

function keepUnwritten(unwritten: Map<string, LedgerPayment[]>, changes: ImportChanges, invoices: Map<string, StoredInvoice>): void {
  const numbers = new Map([...invoices.values()].map((i) => [i.id, i.number]));
  for (const payment of changes.newPayments) {
    const number = numbers.get(payment.invoiceId)!;
    unwritten.set(number, [...(unwritten.get(number) ?? []), { paidOn: payment.paidOn, amountMinor: payment.amountMinor }]);
  }
}

function referenceKey(invoiceNumber: string, reference: string): string {
  return `${invoiceNumber}|${reference}`;
}

function identify(row: PaymentRow, invoice: StoredInvoice | undefined, today: BusinessDate, references: FirstLines, repeats: Map<string, number>): Candidate {
  const reference = row.reference?.value ?? null;
  // Before any other check, so that a row refused below still counts as seen.
  if (reference !== null) {
    const earlier = references.see(referenceKey(row.invoiceNumber.value, reference), row.line);
    if (earlier !== undefined) throw new RowRefused(row.reference!.column, row.reference!.text, `payment repeated: first on line ${earlier}`);
  }
  if (!invoice) throw new RowRefused(row.invoiceNumber.column, row.invoiceNumber.text, "unknown invoice; import it first");
  if (row.currency && row.currency.value !== invoice.currency) {
    throw new RowRefused(row.currency.column, row.currency.text, `the invoice is in ${invoice.currency}`);
  }
  const amount = parseDecimal(row.amount.value, invoice.currency, ".");
  if (!amount.ok) throw new RowRefused(row.amount.column, row.amount.text, amount.reason);
  if (amount.minor <= 0n) throw new RowRefused(row.amount.column, row.amount.text, "amount must be greater than 0");
  if (row.paidOn.value > today) throw new RowRefused(row.paidOn.column, row.paidOn.text, `payment date is after today (${today})`);
  let repeat = 0;
  if (reference === null) {
    const key = `${invoice.id}|${row.paidOn.value}|${amount.minor}`;
    repeat = (repeats.get(key) ?? 0) + 1;
    repeats.set(key, repeat);
  }
  const identity = paymentIdentity(invoice.id, { reference, paidOn: row.paidOn.value, amountMinor: amount.minor }, repeat);
  return { row, invoice, amountMinor: amount.minor, identity };
}

function record(candidate: Candidate, known: StoredPayment | undefined, today: BusinessDate, changes: ImportChanges): "created" | "unchanged" {
  const { row, invoice, amountMinor, identity } = candidate;
  if (known) {
    if (known.amountMinor === amountMinor && known.paidOn === row.paidOn.value) return "unchanged";
    const recorded = `${formatMinor(known.amountMinor, invoice.currency)} on ${known.paidOn}`;
    const [column, text] = known.amountMinor !== amountMinor ? [row.amount.column, row.amount.text] : [row.paidOn.column, row.paidOn.text];
    throw new RowRefused(column, text, `this payment is already recorded as ${recorded}`);
  }
  const payment = { paidOn: row.paidOn.value, amountMinor };
  if (!paymentKeepsBalanceNonNegative(invoice, payment, today)) {
    const open = openBalanceAt(invoice, row.paidOn.value > today ? row.paidOn.value : today);
    throw new RowRefused(row.amount.column, row.amount.text, `would take the invoice below zero (open ${formatMinor(open, invoice.currency)})`);
  }
  invoice.payments.push(payment);
  changes.newPayments.push({
    invoiceId: invoice.id,
    identity,
    reference: row.reference?.value ?? null,
    paidOn: row.paidOn.value,
    amountMinor,
    currency: invoice.currency,
  });
  changes.activities.push({
    account: { id: invoice.accountId },
    kind: "payment_received",
    subject: invoice.number,
    before: null,
    after: { amount: formatMinor(amountMinor, invoice.currency), currency: invoice.currency, paidOn: row.paidOn.value, reference: row.reference?.value ?? null },
  });
  return "created";
}
