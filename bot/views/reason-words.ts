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

const PART_WORDS: Record<keyof RankedAccount["scoreParts"], string> = {
  amount: "amount",
  age: "age",
  over_90: "over 90 days",
  broken_promise: "broken promise",
  promise_due: "promise due",
  open_dispute: "dispute",
  no_owner: "no owner",
  stalled: "stalled",
  strategic_tier: "strategic",
};

/** "score 87 = amount 40 + age 25 + over 90 days 10 + …": the parts that add up to the score. */
export function scoreInWords(score: number, parts: RankedAccount["scoreParts"]): string {
  const shown = (Object.entries(parts) as [keyof typeof PART_WORDS, number | undefined][])
    .filter(([, points]) => (points ?? 0) > 0)
    .map(([part, points]) => `${PART_WORDS[part]} ${points}`);
  return shown.length > 0 ? `score ${score} = ${shown.join(" + ")}` : `score ${score}`;
}
