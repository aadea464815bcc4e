import { BusinessDate, formatHumanDate } from "../../domain/model/business-date";
import { compareCurrencies } from "../../domain/model/currency";
import { formatMinor, formatMoney } from "../../domain/model/money";
import { Bucket, BUCKETS } from "../../domain/policies/aging";
import { Owners, RankedAccount, Reason } from "../../domain/policies/priority";
import { Digest } from "../../domain/usecases/prepare-digest";
import { amountInWords, reasonInWords } from "./reason-words";

export interface DigestEntryView {
  rank: number;
  accountId: string;
  name: string;
  score: number;
  scoreParts: RankedAccount["scoreParts"];
  /** "USD 1,200.00" per currency, undisputed overdue only. */
  overdue: { currency: string; amount: string; display: string }[];
  maxDaysPastDue: number;
  reasons: { code: Reason; text: string }[];
  amountText: string;
  owners: Owners;
  /** "escalated: level 2 since 23 Nov 2026", or null when no escalation is open. */
  escalation?: string | null;
}

export interface DigestCurrencyView {
  currency: string;
  /** Undisputed overdue of the ranked accounts: what the digest asks people to chase. */
  overdue: string;
  accounts: number;
  /** AR and its aging: the buckets add up to it, disputed invoices included (section 7). */
  ar: string;
  aging: { bucket: Bucket; amount: string }[];
  /** Open balance of disputed invoices, any bucket; null when none. */
  disputed: string | null;
}

/** The chat-neutral digest: header per currency and one page of ranked accounts. */
export interface DigestView {
  asOf: BusinessDate;
  currencies: DigestCurrencyView[];
  entries: DigestEntryView[];
  offset: number;
  limit: number;
  total: number;
}

export function toEntryView(account: RankedAccount): DigestEntryView {
  return {
    rank: account.rank,
    accountId: account.externalId,
    name: account.name,
    score: account.score,
    scoreParts: account.scoreParts,
    overdue: [...account.overdue.entries()]
      .sort(([a], [b]) => compareCurrencies(a, b))
      .map(([currency, minor]) => ({ currency, amount: formatMinor(minor, currency), display: formatMoney(minor, currency) })),
    maxDaysPastDue: account.maxDaysPastDue,
    reasons: account.reasons.map((code) => ({ code, text: reasonInWords(code, account) })),
    amountText: amountInWords(account),
    owners: account.owners,
    escalation: account.escalation ? `escalated: level ${account.escalation.level} of 3 since ${formatHumanDate(account.escalation.since)}` : null,
  };
}

export function buildDigestView(digest: Digest, page: { offset?: number; limit?: number } = {}): DigestView {
  const offset = Math.max(0, page.offset ?? 0);
  const limit = Math.max(1, page.limit ?? digest.ranking.accounts.length);
  const totals = digest.ranking.totals;
  const currencies = [...new Set([...digest.aging.map((m) => m.currency), ...totals.keys()])].sort();
  return {
    asOf: digest.ranking.asOf,
    currencies: currencies.map((currency) => {
      const aging = digest.aging.find((m) => m.currency === currency);
      const total = totals.get(currency);
      return {
        currency,
        overdue: formatMoney(total?.overdue ?? 0n, currency),
        accounts: total?.accounts ?? 0,
        ar: formatMoney(aging?.ar ?? 0n, currency),
        aging: BUCKETS.map((bucket) => ({ bucket, amount: formatMoney(aging?.buckets[bucket] ?? 0n, currency) })),
        disputed: aging && aging.disputed !== 0n ? formatMoney(aging.disputed, currency) : null,
      };
    }),
    entries: digest.ranking.accounts.slice(offset, offset + limit).map(toEntryView),
    offset,
    limit,
    total: digest.ranking.accounts.length,
  };
}
