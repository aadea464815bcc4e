import { BusinessDate, addBusinessDays, addDays, daysBetween } from "../model/business-date";
import { Currency } from "../model/currency";
import { Ledger, LedgerClaim } from "../model/ledger";
import { RankingFacts } from "../model/ledger-aggregates";
import { TeamFunction } from "../model/team";
import { daysPastDue } from "./aging";
import { isDisputedAt, isIssuedBy, openBalanceAt } from "./open-balance";
import { accountPayments, evaluatePromises } from "./promises";

export const REASONS = ["over_90", "broken_promise", "promise_due", "open_dispute", "no_owner", "stalled", "strategic_tier"] as const;
export type Reason = (typeof REASONS)[number];

/**
 * The score is the sum of its parts, and the parts are what the digest explains:
 * - amount: up to 40 points, 40 × the account's percentile of undisputed overdue amount
 *   among overdue accounts of the same currency (its best currency), rounded;
 * - age: one point per 4 days past due of its oldest undisputed overdue invoice, up to 30;
 * - one fixed weight per reason below.
 */
export const AMOUNT_WEIGHT = 40;
export const AGE_DAYS_PER_POINT = 4;
export const AGE_MAX_POINTS = 30;
export const REASON_POINTS: Record<Reason, number> = {
  broken_promise: 15,
  over_90: 10,
  strategic_tier: 10,
  promise_due: 8,
  stalled: 7,
  no_owner: 5,
  open_dispute: 3,
};
const BROKEN_PROMISE_LOOKBACK_DAYS = 30;
/** The reasons as the digest lists them: most points first, ties in the order of REASONS. */
const REASONS_BY_POINTS: readonly Reason[] = [...REASONS].sort((a, b) => REASON_POINTS[b] - REASON_POINTS[a]);
const NONE: never[] = [];
const NO_AMOUNT = { points: 0, percentile: 0 };
const REASON_COMBINATIONS = 1 << REASONS.length;
const REASON_BIT = Object.fromEntries(REASONS.map((r, i) => [r, 1 << i])) as Record<Reason, number>;
const PROMISE_DUE_BUSINESS_DAYS = 2;

export interface PriorityPolicy {
  stallDays: number;
  promiseGraceDays: number;
}

export type Owners = Record<TeamFunction, string | null>;

export interface RankedAccount {
  rank: number;
  accountId: number;
  externalId: string;
  name: string;
  score: number;
  /** Shared between accounts with the same parts (frozen): read, never change. */
  scoreParts: Readonly<Partial<Record<"amount" | "age" | Reason, number>>>;
  /** Undisputed overdue per currency. */
  overdue: Map<Currency, bigint>;
  maxDaysPastDue: number;
  /** Shared between accounts with the same reasons (frozen). */
  reasons: readonly Reason[];
  /** Shared between accounts with the same owners (frozen). */
  owners: Readonly<Owners>;
  /** The facts behind the reasons, for the words. */
  details: ReasonDetails;
  /** Percentile (0–100] behind the amount part, for the words. */
  amountPercentile: number;
  amountCurrency: Currency;
  /** The account's open escalation at D: its highest level and the day that level was sent. */
  escalation: { level: number; since: BusinessDate } | null;
}

export interface ReasonDetails {
  brokenPromise?: { currency: Currency; amountMinor: bigint; promisedOn: BusinessDate };
  duePromise?: { currency: Currency; amountMinor: bigint; promisedOn: BusinessDate };
  /** Days without human activity since the account needed some. */
  quietDays: number;
  disputedInvoices: number;
}

export interface Ranking {
  asOf: BusinessDate;
  accounts: RankedAccount[];
  totals: Map<Currency, { overdue: bigint; accounts: number }>;
}

export function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export function ownersAt(claims: LedgerClaim[], accountId: number, asOf: BusinessDate): Owners {
  const owners: Owners = { finance: null, sales: null, cs: null };
  // The latest claim day seen per function ("" before any).
  const latest: Record<TeamFunction, BusinessDate> = { finance: "", sales: "", cs: "" };
  for (let i = 0; i < claims.length; i++) {
    const claim = claims[i]!;
    if (claim.accountId !== accountId || claim.claimedOn > asOf) continue;
    if (claim.releasedOn !== null && claim.releasedOn <= asOf) continue;
    if (claim.claimedOn >= latest[claim.function]) {
      latest[claim.function] = claim.claimedOn;
      owners[claim.function] = claim.owner;
    }
  }
  return owners;
}

/**
 * Percentile points of each amount among its peers, in the order given: 40 × (peers at or
 * below) ÷ peers. Equal amounts share their points.
 */
function amountPoints(amounts: bigint[]): { points: number; percentile: number }[] {
  const n = amounts.length;
  const order = amounts.map((_, i) => i).sort((a, b) => (amounts[a]! < amounts[b]! ? -1 : amounts[a]! > amounts[b]! ? 1 : 0));
  const result: { points: number; percentile: number }[] = new Array(n);
  for (let start = 0; start < n; ) {
    let atOrBelow = start + 1;
    while (atOrBelow < n && amounts[order[atOrBelow]!] === amounts[order[start]!]) atOrBelow++;
    // round half up of 40 × atOrBelow ÷ n, on integers
    const share = { points: Math.floor((2 * AMOUNT_WEIGHT * atOrBelow + n) / (2 * n)), percentile: (100 * atOrBelow) / n };
    for (let k = start; k < atOrBelow; k++) result[order[k]!] = share;
    start = atOrBelow;
  }
  return result;
}

/**
 * The per-account facts of the ranking at the end of day D, from a whole ledger: the
 * reference for the database's aggregates (LedgerReader.digestFacts).
 */
export function rankingFactsOf(ledger: Ledger, asOf: BusinessDate): RankingFacts {
  const exposures = new Map<number, { overdue: Map<Currency, bigint>; maxDpd: number; oldestDue: BusinessDate }>();
  const disputedAccounts = new Map<number, number>();
  for (const invoice of ledger.invoices) {
    if (!isIssuedBy(invoice, asOf)) continue;
    if (isDisputedAt(invoice, asOf)) {
      disputedAccounts.set(invoice.accountId, (disputedAccounts.get(invoice.accountId) ?? 0) + 1);
      continue;
    }
    const dpd = daysPastDue(invoice.dueDate, asOf);
    if (dpd < 1) continue;
    const balance = openBalanceAt(invoice, asOf);
    if (balance <= 0n) continue;
    const exposure = exposures.get(invoice.accountId) ?? { overdue: new Map(), maxDpd: 0, oldestDue: invoice.dueDate };
    exposure.overdue.set(invoice.currency, (exposure.overdue.get(invoice.currency) ?? 0n) + balance);
    if (dpd > exposure.maxDpd) {
      exposure.maxDpd = dpd;
      exposure.oldestDue = invoice.dueDate;
    }
    exposures.set(invoice.accountId, exposure);
  }
  const accountsById = new Map(ledger.accounts.map((a) => [a.id, a]));
  const lastHumanActivity = new Map<number, BusinessDate>();
  const escalations = new Map<number, { level: number; since: BusinessDate }>();
  for (const accountId of exposures.keys()) {
    const lastHuman = (ledger.humanActivityDays.get(accountId) ?? []).filter((d) => d <= asOf).sort().pop();
    if (lastHuman) lastHumanActivity.set(accountId, lastHuman);
    const open = (ledger.escalations?.get(accountId) ?? []).filter((e) => e.since <= asOf && (e.until === null || e.until > asOf));
    const top = open.sort((a, b) => b.level - a.level || (a.since < b.since ? 1 : -1))[0];
    if (top) escalations.set(accountId, { level: top.level, since: top.since });
  }
  return {
    exposures: [...exposures].flatMap(([accountId, e]) => {
      const account = accountsById.get(accountId);
      if (!account) return [];
      const { externalId, name, tier } = account;
      return [{ accountId, externalId, name, tier, overdue: e.overdue, maxDaysPastDue: e.maxDpd, oldestDue: e.oldestDue, disputedInvoices: disputedAccounts.get(accountId) ?? 0 }];
    }),
    promises: ledger.promises,
    payments: accountPayments(ledger.invoices),
    claims: ledger.claims.filter((c) => exposures.has(c.accountId)),
    lastHumanActivity,
    escalations,
  };
}

/** Ranks every account with an undisputed overdue balance at the end of day D (section 8). */
export function rankAccounts(ledger: Ledger, asOf: BusinessDate, policy: PriorityPolicy): Ranking {
  return rankExposures(rankingFactsOf(ledger, asOf), asOf, policy);
}

/** The ranking of section 8 over per-account facts: percentiles, reasons, score, order. */
export function rankExposures(facts: RankingFacts, asOf: BusinessDate, policy: PriorityPolicy): Ranking {
  // Each exposure's amount points per currency, among the exposures overdue in that currency;
  // an exposure keeps its best currency's (highest percentile, then first currency code).
  const peersByCurrency = new Map<Currency, { amounts: bigint[]; exposures: number[] }>();
  facts.exposures.forEach((exposure, index) => {
    exposure.overdue.forEach((amount, currency) => {
      let peers = peersByCurrency.get(currency);
      if (!peers) peersByCurrency.set(currency, (peers = { amounts: [], exposures: [] }));
      peers.amounts.push(amount);
      peers.exposures.push(index);
    });
  });
  const bestAmount: ({ points: number; percentile: number } | undefined)[] = new Array(facts.exposures.length);
  const bestCurrency: Currency[] = new Array(facts.exposures.length);
  for (const [currency, peers] of peersByCurrency) {
    amountPoints(peers.amounts).forEach((score, i) => {
      const index = peers.exposures[i]!;
      const best = bestAmount[index];
      if (!best || score.percentile > best.percentile || (score.percentile === best.percentile && currency < bestCurrency[index]!)) {
        bestAmount[index] = score;
        bestCurrency[index] = currency;
      }
    });
  }
  peersByCurrency.clear();

  // Tens of thousands of accounts share a few hundred combinations of owners, reasons and
  // score parts: one frozen object each keeps a cached ranking small, and looking one up
  // allocates nothing for a combination already seen.
  const sharedOwners = new Map<string | null, Map<string | null, Map<string | null, Owners>>>();
  const ownersOf = (found: Owners): Owners => {
    let bySales = sharedOwners.get(found.finance);
    if (!bySales) sharedOwners.set(found.finance, (bySales = new Map()));
    let byCs = bySales.get(found.sales);
    if (!byCs) bySales.set(found.sales, (byCs = new Map()));
    let owners = byCs.get(found.cs);
    if (!owners) byCs.set(found.cs, (owners = Object.freeze(found)));
    return owners;
  };
  const sharedReasons = new Map<number, Reason[]>();
  const sharedParts = new Map<number, RankedAccount["scoreParts"]>();
  const strategic = new Map<string, boolean>();
  const outcomesByAccount = groupBy(evaluatePromises(facts.promises, facts.payments, asOf, policy.promiseGraceDays), (o) => o.promise.accountId);
  const paymentsByAccount = groupBy(facts.payments, (p) => p.accountId);
  const claimsByAccount = groupBy(facts.claims, (c) => c.accountId);
  const promiseDueUntil = addBusinessDays(asOf, PROMISE_DUE_BUSINESS_DAYS);
  const brokenSince = addDays(asOf, -BROKEN_PROMISE_LOOKBACK_DAYS);

  const ranked: RankedAccount[] = [];
  facts.exposures.forEach((exposure, index) => {
    const { accountId } = exposure;
    const amount = bestAmount[index] ?? NO_AMOUNT;
    let reasons = 0; // bit i: REASONS[i]
    const details: ReasonDetails = { quietDays: 0, disputedInvoices: exposure.disputedInvoices };
    if (exposure.maxDaysPastDue >= 91) reasons |= REASON_BIT.over_90;
    for (const outcome of outcomesByAccount.get(accountId) ?? NONE) {
      if (outcome.status === "open" && outcome.promise.promisedOn >= asOf && outcome.promise.promisedOn <= promiseDueUntil) {
        reasons |= REASON_BIT.promise_due;
        details.duePromise = { currency: outcome.promise.currency, amountMinor: outcome.promise.amountMinor, promisedOn: outcome.promise.promisedOn };
      }
      if (outcome.status === "broken" && outcome.outcomeOn! > brokenSince) {
        const shortfall = outcome.promise.amountMinor - outcome.coveredMinor;
        const paidSince = (paymentsByAccount.get(accountId) ?? [])
          .filter((p) => p.currency === outcome.promise.currency && p.paidOn >= outcome.outcomeOn! && p.paidOn <= asOf)
          .reduce((sum, p) => sum + p.amountMinor, 0n);
        if (paidSince < shortfall) {
          reasons |= REASON_BIT.broken_promise;
          details.brokenPromise = { currency: outcome.promise.currency, amountMinor: outcome.promise.amountMinor, promisedOn: outcome.promise.promisedOn };
        }
      }
    }
    if (exposure.disputedInvoices > 0) reasons |= REASON_BIT.open_dispute;
    const owners = ownersOf(ownersAt(claimsByAccount.get(accountId) ?? NONE, accountId, asOf));
    if (owners.finance === null) reasons |= REASON_BIT.no_owner;
    const lastHuman = facts.lastHumanActivity.get(accountId);
    const quietSince = lastHuman && lastHuman > exposure.oldestDue ? lastHuman : exposure.oldestDue;
    details.quietDays = daysBetween(quietSince, asOf);
    if (details.quietDays >= policy.stallDays) reasons |= REASON_BIT.stalled;
    if (exposure.tier) {
      let isStrategic = strategic.get(exposure.tier);
      if (isStrategic === undefined) strategic.set(exposure.tier, (isStrategic = exposure.tier.trim().toLowerCase() === "strategic"));
      if (isStrategic) reasons |= REASON_BIT.strategic_tier;
    }

    let ordered = sharedReasons.get(reasons);
    if (!ordered) sharedReasons.set(reasons, (ordered = Object.freeze(REASONS_BY_POINTS.filter((r) => reasons & REASON_BIT[r])) as Reason[]));
    const age = Math.min(AGE_MAX_POINTS, Math.floor(exposure.maxDaysPastDue / AGE_DAYS_PER_POINT));
    // One small integer per combination: amount 0…AMOUNT_WEIGHT, age 0…AGE_MAX_POINTS, a bit per reason.
    const partsKey = (amount.points * (AGE_MAX_POINTS + 1) + age) * REASON_COMBINATIONS + reasons;
    let scoreParts = sharedParts.get(partsKey);
    if (!scoreParts) {
      const parts: Partial<Record<"amount" | "age" | Reason, number>> = { amount: amount.points, age };
      for (const reason of ordered) parts[reason] = REASON_POINTS[reason];
      sharedParts.set(partsKey, (scoreParts = Object.freeze(parts)));
    }
    let score = amount.points + age;
    for (let i = 0; i < ordered.length; i++) score += REASON_POINTS[ordered[i]!];
    ranked.push({
      escalation: facts.escalations.get(accountId) ?? null,
      rank: 0,
      accountId,
      externalId: exposure.externalId,
      name: exposure.name,
      score,
      scoreParts,
      overdue: exposure.overdue,
      maxDaysPastDue: exposure.maxDaysPastDue,
      reasons: ordered,
      owners,
      details,
      amountPercentile: amount.percentile,
      amountCurrency: bestCurrency[index] ?? "",
    });
  });
  ranked.sort(
    (a, b) => b.score - a.score || b.maxDaysPastDue - a.maxDaysPastDue || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0),
  );
  ranked.forEach((entry, index) => (entry.rank = index + 1));

  const totals = new Map<Currency, { overdue: bigint; accounts: number }>();
  for (const entry of ranked) {
    entry.overdue.forEach((value, currency) => {
      let total = totals.get(currency);
      if (!total) totals.set(currency, (total = { overdue: 0n, accounts: 0 }));
      total.overdue += value;
      total.accounts += 1;
    });
  }
  return { asOf, accounts: ranked, totals };
}
