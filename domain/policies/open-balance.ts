import { BusinessDate, addDays } from "../model/business-date";
import { LedgerInvoice } from "../model/ledger";

/**
 * Open balance of an invoice at the end of day D (ARCHITECTURE.md section 7): the latest
 * ERP snapshot dated ≤ D minus payments dated after it and ≤ D; without one, the amount
 * minus payments dated ≤ D. A snapshot already includes the payments up to its day, so a
 * payment file repeating them does not reduce the balance twice.
 */
export function openBalanceAt(invoice: LedgerInvoice, asOf: BusinessDate): bigint {
  let base = invoice.amountMinor;
  let since: BusinessDate | null = null;
  for (const snapshot of invoice.snapshots) {
    if (snapshot.asOf <= asOf && (since === null || snapshot.asOf > since)) {
      since = snapshot.asOf;
      base = snapshot.balanceMinor;
    }
  }
  let balance = base;
  for (const payment of invoice.payments) {
    if (payment.paidOn <= asOf && (since === null || payment.paidOn > since)) balance -= payment.amountMinor;
  }
  return balance;
}

export function isIssuedBy(invoice: LedgerInvoice, asOf: BusinessDate): boolean {
  return invoice.issueDate <= asOf;
}

export function isDisputedAt(invoice: LedgerInvoice, asOf: BusinessDate): boolean {
  return invoice.disputes.some((d) => d.openedOn <= asOf && (d.resolvedOn === null || d.resolvedOn > asOf));
}

/**
 * The days on which adding a payment dated `paidOn` could make the balance lowest: the end
 * of each stretch between snapshots from `paidOn` on, and `lastDay`. Between snapshots the
 * balance only falls, so checking these days is checking every day.
 */
export function balanceCheckpoints(invoice: LedgerInvoice, paidOn: BusinessDate, lastDay: BusinessDate): BusinessDate[] {
  const days = new Set<BusinessDate>([lastDay > paidOn ? lastDay : paidOn]);
  for (const snapshot of invoice.snapshots) {
    const dayBefore = addDays(snapshot.asOf, -1);
    if (dayBefore >= paidOn) days.add(dayBefore);
  }
  return [...days];
}

/** Whether the invoice stays ≥ 0 on every day from the payment on, with the payment added. */
export function paymentKeepsBalanceNonNegative(
  invoice: LedgerInvoice,
  payment: { paidOn: BusinessDate; amountMinor: bigint },
  lastDay: BusinessDate,
): boolean {
  const withPayment: LedgerInvoice = { ...invoice, payments: [...invoice.payments, payment] };
  return balanceCheckpoints(invoice, payment.paidOn, lastDay).every((day) => openBalanceAt(withPayment, day) >= 0n);
}
