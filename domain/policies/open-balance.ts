import { BusinessDate, addDays } from "../model/business-date";
import { LedgerCredit, LedgerInvoice } from "../model/ledger";

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
 * Whether the invoice's open balance stays ≥ 0 on every day from `from` on. Between
 * snapshots the balance only falls, so the days to check are the last day and the eve of
 * each later snapshot; a snapshot also absorbs the payments dated on its own day, which
 * must fit in what was open the day before.
 */
export function staysNonNegativeFrom(invoice: LedgerInvoice, from: BusinessDate, lastDay: BusinessDate): boolean {
  if (openBalanceAt(invoice, lastDay > from ? lastDay : from) < 0n) return false;
  for (const snapshot of invoice.snapshots) {
    if (snapshot.asOf < from) continue;
    const paidThatDay = invoice.payments.filter((p) => p.paidOn === snapshot.asOf).reduce((sum, p) => sum + p.amountMinor, 0n);
    if (openBalanceAt(invoice, addDays(snapshot.asOf, -1)) - paidThatDay < 0n) return false;
  }
  return true;
}

/** Whether the invoice stays ≥ 0 on every day from the payment on, with the payment added. */
export function paymentKeepsBalanceNonNegative(
  invoice: LedgerInvoice,
  payment: { paidOn: BusinessDate; amountMinor: bigint },
  lastDay: BusinessDate,
): boolean {
  return staysNonNegativeFrom({ ...invoice, payments: [...invoice.payments, payment] }, payment.paidOn, lastDay);
}

/**
 * The unapplied part of a credit note at the end of day D: the latest ERP figure dated ≤ D,
 * else its whole amount; nothing before it was issued.
 */
export function creditRemainingAt(credit: LedgerCredit, asOf: BusinessDate): bigint {
  if (credit.issueDate > asOf) return 0n;
  let remaining = credit.amountMinor;
  let since: BusinessDate | null = null;
  for (const balance of credit.balances) {
    if (balance.asOf <= asOf && (since === null || balance.asOf > since)) {
      since = balance.asOf;
      remaining = balance.remainingMinor;
    }
  }
  return remaining;
}

/** Unapplied credits at D, summed. */
export function creditsAt(credits: LedgerCredit[], asOf: BusinessDate): bigint {
  let total = 0n;
  for (const credit of credits) total += creditRemainingAt(credit, asOf);
  return total;
}
