import { formatHumanDate } from "../../domain/model/business-date";
import { formatMoney } from "../../domain/model/money";
import { RankedAccount, Reason } from "../../domain/policies/priority";

/** Each reason code in words a finance person reads at a glance. */
export function reasonInWords(reason: Reason, account: RankedAccount): string {
  const d = account.details;
  switch (reason) {
    case "over_90":
      return `oldest invoice ${account.maxDaysPastDue} days past due`;
    case "broken_promise":
      return d.brokenPromise
        ? `broke a promise of ${formatMoney(d.brokenPromise.amountMinor, d.brokenPromise.currency)} due ${formatHumanDate(d.brokenPromise.promisedOn)}`
        : "broke a payment promise";
    case "promise_due":
      return d.duePromise
        ? `promised ${formatMoney(d.duePromise.amountMinor, d.duePromise.currency)} by ${formatHumanDate(d.duePromise.promisedOn)}`
        : "a promised payment is due";
    case "open_dispute":
      return d.disputedInvoices === 1 ? "another invoice is disputed" : `${d.disputedInvoices} other invoices are disputed`;
    case "no_owner":
      return "no finance owner";
    case "stalled":
      return `no follow-up for ${d.quietDays} days`;
    case "strategic_tier":
      return "strategic account";
  }
}

/** The amount part in words: where the account's overdue sits among its currency's peers. */
export function amountInWords(account: RankedAccount): string {
  if (account.amountPercentile >= 100) return `largest overdue ${account.amountCurrency} amount`;
  return `overdue ${account.amountCurrency} at percentile ${Math.round(account.amountPercentile)}`;
}
