import { BusinessDate } from "../model/business-date";
import { ImportReport, ImportSource, PaymentKey, PaymentRow, RowOrRejection, emptyReport } from "../model/imports";
import { formatMinor, parseDecimal } from "../model/money";
import { openBalanceAt, paymentKeepsBalanceNonNegative } from "../policies/open-balance";
import { Clock } from "../ports/clock.port";
import { ImportChanges, ImportStore, StoredInvoice, StoredInvoicePayment, emptyChanges } from "../ports/import-store.port";
import { FirstLines, RowRefused, inBatches, pipelined } from "./import-batches";
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
  // Pipelined (`pipelined`): a batch's invoices are read while the batch before it is decided
  // or written, so what they show of this run's earlier payments depends on which writes had
  // ended. The payments of each decided batch are kept (by invoice) until every later lookup
  // started after its write ended; until then a lookup adds those it did not read, known by
  // identity. A dry run writes nothing, so it keeps them all.
  const decided: { batch: number; payments: Map<number, StoredInvoicePayment[]> }[] = [];
  let decidedBatches = 0;
  let writtenBatches = 0;

  await pipelined(inBatches(source.rows()), {
    look: async (batch: RowOrRejection<PaymentRow, PaymentKey>[]) => {
      const seen = writtenBatches;
      const numbers = new Set<string>();
      for (const item of batch) if ("row" in item) numbers.add(item.row.invoiceNumber.value);
      // Only this batch's invoices, read afresh: memory stays one batch whatever the file's size.
      return { invoices: await deps.store.invoicesByNumber([...numbers]), seen };
    },
    decide: (batch, { invoices: stored, seen }) => {
      report.rows += batch.length;
      while (decided.length > 0 && decided[0]!.batch < seen) decided.shift();
      const invoices = new Map<string, StoredInvoice>();
      // What the file's rows may already be: every payment of their invoices, stored or this run's.
      const known = new Map<string, StoredInvoicePayment>();
      for (const invoice of stored) {
        addUnread(invoice, decided);
        for (const payment of invoice.payments) known.set(payment.identity, payment);
        invoices.set(invoice.number, invoice);
      }

      // In file order, so that a refused row's reference counts as seen from its own line on.
      const changes = emptyChanges();
      for (const item of batch) {
        if ("rejection" in item) {
          report.rejected.push(item.rejection);
          const { invoiceNumber, reference } = item.key;
          if (invoiceNumber && reference) references.see(referenceKey(invoiceNumber.value, reference.value), item.rejection.line);
          continue;
        }
        try {
          const candidate = identify(item.row, invoices.get(item.row.invoiceNumber.value), today, references, repeats);
          report[record(candidate, known.get(candidate.identity), today, changes)]++;
        } catch (error) {
          if (!(error instanceof RowRefused)) throw error;
          report.rejected.push({ line: item.row.line, column: error.column, value: error.value, reason: error.message });
        }
      }
      const payments = new Map<number, StoredInvoicePayment[]>();
      for (const p of changes.newPayments) {
        const list = payments.get(p.invoiceId) ?? [];
        list.push({ identity: p.identity, paidOn: p.paidOn, amountMinor: p.amountMinor });
        payments.set(p.invoiceId, list);
      }
      decided.push({ batch: decidedBatches++, payments });
      options.onProgress?.(report.rows);
      return changes;
    },
    write: async (changes) => {
      if (options.dryRun) return;
      await deps.store.apply(changes, options.actor);
      writtenBatches++;
    },
  });
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

/** This run's payments of the invoice from batches whose write the lookup may not have seen. */
function addUnread(invoice: StoredInvoice, decided: { payments: Map<number, StoredInvoicePayment[]> }[]): void {
  let read: Set<string> | undefined;
  for (const { payments } of decided) {
    for (const payment of payments.get(invoice.id) ?? []) {
      read ??= new Set(invoice.payments.map((p) => p.identity));
      if (!read.has(payment.identity)) invoice.payments.push(payment);
    }
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

function record(candidate: Candidate, known: StoredInvoicePayment | undefined, today: BusinessDate, changes: ImportChanges): "created" | "unchanged" {
  const { row, invoice, amountMinor, identity } = candidate;
  if (known) {
    if (known.amountMinor === amountMinor && known.paidOn === row.paidOn.value) return "unchanged";
    const recorded = `${formatMinor(known.amountMinor, invoice.currency)} on ${known.paidOn}`;
    const [column, text] = known.amountMinor !== amountMinor ? [row.amount.column, row.amount.text] : [row.paidOn.column, row.paidOn.text];
    throw new RowRefused(column, text, `this payment is already recorded as ${recorded}`);
  }
  const payment = { identity, paidOn: row.paidOn.value, amountMinor };
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
