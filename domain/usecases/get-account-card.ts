import { actorLabel } from "../model/actor";
import { BusinessDate } from "../model/business-date";
import { compareCurrencies } from "../model/currency";
import { TeamFunction } from "../model/team";
import { daysPastDue } from "../policies/aging";
import { creditRemainingAt, isDisputedAt, isIssuedBy, openBalanceAt } from "../policies/open-balance";
import { ensureAllowed } from "../policies/permissions";
import { accountPayments, evaluatePromises } from "../policies/promises";
import { AccountCardFacts, AccountSummary, DisputeRecord, TimelineEntry, Workspace } from "../ports/workspace.port";
import { CommandContext } from "./command-context";
import { findAccount, MAX_CANDIDATES } from "./find-account";

export const CARD_TIMELINE_ENTRIES = 10;
/** `account <q> history`: the whole timeline, this many entries a page. */
export const HISTORY_PAGE_ENTRIES = 50;

export interface CardPromise {
  currency: string;
  amountMinor: bigint;
  promisedOn: BusinessDate;
  coveredMinor: bigint;
}

export interface AccountCard {
  account: AccountSummary;
  asOf: BusinessDate;
  /** Section 7: `overdue` counts disputed invoices too; `disputed` is their open balance, any bucket. */
  /** `open` is net of `credit`, the credit notes not yet applied (section 7), as in AR. */
  balances: { currency: string; open: bigint; overdue: bigint; disputed: bigint; maxDaysPastDue: number; credit?: bigint }[];
  owners: { function: TeamFunction; owner: string; since: Date }[];
  /** Invoices with an open balance today, oldest due date first. */
  openInvoices: { number: string; currency: string; dueDate: BusinessDate; daysPastDue: number; openMinor: bigint; disputed: boolean }[];
  openPromises: CardPromise[];
  /** The most recent broken promise, shown when none is open. */
  lastBrokenPromise: (CardPromise & { brokenOn: BusinessDate }) | null;
  disputes: DisputeRecord[];
  /** The card's latest entries, or one page of the history. */
  timeline: TimelineEntry[];
  timelinePage: { offset: number; total: number; history: boolean };
  /** Every invoice's currency by number, so the timeline can write its amounts as money. */
  invoiceCurrencies: Map<string, string>;
}

export type CardRequest = ({ query: string } | { accountId: number }) & { history?: { page: number } };

/**
 * The account a card is for and its facts. A customer id, as digest buttons and most typed
 * requests give, is looked up with the card in one statement; a name goes through the
 * levels of section 5 first.
 */
async function accountAndFacts(ws: Workspace, input: CardRequest, timeline: { limit: number; offset: number }): Promise<{ account: AccountSummary; facts: AccountCardFacts }> {
  if ("accountId" in input) return { account: (await ws.accountById(input.accountId))!, facts: await ws.accountCard(input.accountId, timeline) };
  const q = input.query.trim();
  const byId = q ? await ws.cardOfExternalId(q, MAX_CANDIDATES, timeline) : null;
  if (byId?.card) return { account: byId.matches[0]!, facts: byId.card };
  const account = await findAccount(ws, q, byId?.matches);
  return { account, facts: await ws.accountCard(account.id, timeline) };
}

/**
 * account <q>: balances, open invoices, owners, the open (or last broken) promise, disputes and
 * the last 10 timeline entries; with `history`, one page of the whole timeline instead.
 */
export async function getAccountCard(ctx: CommandContext, input: CardRequest): Promise<AccountCard> {
  ensureAllowed(ctx.actor, "read");
  return ctx.uow.read(async (ws) => {
    const today = ctx.clock.today();
    const history = input.history ? Math.max(1, Math.floor(input.history.page)) : null;
    const limit = history ? HISTORY_PAGE_ENTRIES : CARD_TIMELINE_ENTRIES;
    const offset = history ? (history - 1) * HISTORY_PAGE_ENTRIES : 0;
    const { account, facts } = await accountAndFacts(ws, input, { limit, offset });
    const balances = new Map<string, AccountCard["balances"][number]>();
    const openInvoices: AccountCard["openInvoices"] = [];
    for (const invoice of facts.invoices) {
      if (!isIssuedBy(invoice, today)) continue;
      const open = openBalanceAt(invoice, today);
      if (open === 0n) continue;
      const entry = balances.get(invoice.currency) ?? { currency: invoice.currency, open: 0n, overdue: 0n, disputed: 0n, maxDaysPastDue: 0, credit: 0n };
      entry.open += open;
      const dpd = daysPastDue(invoice.dueDate, today);
      if (dpd > 0) {
        entry.overdue += open;
        entry.maxDaysPastDue = Math.max(entry.maxDaysPastDue, dpd);
      }
      const disputed = isDisputedAt(invoice, today);
      if (disputed) entry.disputed += open;
      balances.set(invoice.currency, entry);
      openInvoices.push({ number: invoice.number, currency: invoice.currency, dueDate: invoice.dueDate, daysPastDue: Math.max(0, dpd), openMinor: open, disputed });
    }
    for (const credit of facts.credits) {
      const remaining = creditRemainingAt(credit, today);
      if (remaining === 0n) continue;
      const entry = balances.get(credit.currency) ?? { currency: credit.currency, open: 0n, overdue: 0n, disputed: 0n, maxDaysPastDue: 0, credit: 0n };
      entry.open -= remaining;
      entry.credit = (entry.credit ?? 0n) + remaining;
      balances.set(credit.currency, entry);
    }
    openInvoices.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number.localeCompare(b.number)));
    const outcomes = evaluatePromises(facts.promises, accountPayments(facts.invoices), today, ctx.promiseGraceDays);
    const asCard = (o: (typeof outcomes)[number]): CardPromise => ({ currency: o.promise.currency, amountMinor: o.promise.amountMinor, promisedOn: o.promise.promisedOn, coveredMinor: o.coveredMinor });
    const broken = outcomes.filter((o) => o.status === "broken" && o.outcomeOn !== null).sort((a, b) => (a.outcomeOn! < b.outcomeOn! ? 1 : a.outcomeOn! > b.outcomeOn! ? -1 : 0))[0];
    return {
      account,
      asOf: today,
      balances: [...balances.values()].sort((a, b) => compareCurrencies(a.currency, b.currency)),
      openInvoices,
      owners: facts.claims.map((c) => ({ function: c.function, owner: actorLabel(c.user), since: c.claimedAt })),
      openPromises: outcomes.filter((o) => o.status === "open").map(asCard),
      lastBrokenPromise: broken ? { ...asCard(broken), brokenOn: broken.outcomeOn! } : null,
      disputes: facts.disputes,
      timeline: facts.timeline,
      timelinePage: { offset, total: facts.timelineTotal, history: history !== null },
      invoiceCurrencies: new Map(facts.invoices.map((i) => [i.number, i.currency])),
    };
  });
}
