import { BusinessDate, addDays } from "../model/business-date";
import { LedgerInvoice, LedgerPromise } from "../model/ledger";

export type PromiseStatus = "open" | "kept" | "broken" | "cancelled";

export interface PromiseOutcome {
  promise: LedgerPromise;
  status: PromiseStatus;
  /** Day it was kept (the payment completing it) or broken (the day after the grace). */
  outcomeOn: BusinessDate | null;
  coveredMinor: bigint;
}

export interface AccountPayment {
  accountId: number;
  currency: string;
  paidOn: BusinessDate;
  amountMinor: bigint;
}

/** Payments of every invoice, tagged with the account and currency promises are kept in. */
export function accountPayments(invoices: LedgerInvoice[]): AccountPayment[] {
  return invoices.flatMap((invoice) =>
    invoice.payments.map((p) => ({ accountId: invoice.accountId, currency: invoice.currency, paidOn: p.paidOn, amountMinor: p.amountMinor })),
  );
}

/** Last day a payment counts toward the promise: its date plus the grace days. */
export function promiseDeadline(promise: LedgerPromise, graceDays: number): BusinessDate {
  return addDays(promise.promisedOn, graceDays);
}

function groupKey(accountId: number, currency: string): string {
  return `${accountId}\u0000${currency}`;
}

/**
 * Status of every promise at the end of day D (section 7). A payment counts toward a
 * promise when it is on the account, in its currency, dated from the promise's creation day
 * to its date + grace. Payments go to promises oldest date first; each unit of a payment
 * counts once, so what one promise does not need can still cover the next.
 */
export function evaluatePromises(
  promises: LedgerPromise[],
  payments: AccountPayment[],
  asOf: BusinessDate,
  graceDays: number,
): PromiseOutcome[] {
  const paymentsByGroup = new Map<string, { paidOn: BusinessDate; left: bigint }[]>();
  for (const payment of payments) {
    if (payment.paidOn > asOf) continue;
    const key = groupKey(payment.accountId, payment.currency);
    const list = paymentsByGroup.get(key) ?? [];
    list.push({ paidOn: payment.paidOn, left: payment.amountMinor });
    paymentsByGroup.set(key, list);
  }
  for (const list of paymentsByGroup.values()) list.sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));

  const known = promises.filter((p) => p.createdOn <= asOf);
  const ordered = [...known].sort(
    (a, b) => (a.promisedOn < b.promisedOn ? -1 : a.promisedOn > b.promisedOn ? 1 : 0) || (a.createdOn < b.createdOn ? -1 : a.createdOn > b.createdOn ? 1 : 0) || a.id - b.id,
  );
  const outcomes = new Map<number, PromiseOutcome>();
  for (const promise of ordered) {
    if (promise.cancelledOn !== null && promise.cancelledOn <= asOf) {
      outcomes.set(promise.id, { promise, status: "cancelled", outcomeOn: promise.cancelledOn, coveredMinor: 0n });
      continue;
    }
    const deadline = promiseDeadline(promise, graceDays);
    let need = promise.amountMinor;
    let keptOn: BusinessDate | null = null;
    for (const payment of paymentsByGroup.get(groupKey(promise.accountId, promise.currency)) ?? []) {
      if (payment.paidOn < promise.createdOn || payment.paidOn > deadline || payment.left === 0n) continue;
      const take = payment.left < need ? payment.left : need;
      payment.left -= take;
      need -= take;
      if (need === 0n) {
        keptOn = payment.paidOn;
        break;
      }
    }
    const coveredMinor = promise.amountMinor - need;
    if (keptOn !== null) outcomes.set(promise.id, { promise, status: "kept", outcomeOn: keptOn, coveredMinor });
    else if (asOf > deadline) outcomes.set(promise.id, { promise, status: "broken", outcomeOn: addDays(deadline, 1), coveredMinor });
    else outcomes.set(promise.id, { promise, status: "open", outcomeOn: null, coveredMinor });
  }
  return known.map((p) => outcomes.get(p.id)!);
}
