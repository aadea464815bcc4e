import { actorLabel } from "../model/actor";
import { BusinessDate } from "../model/business-date";
import { TeamFunction } from "../model/team";
import { daysPastDue } from "../policies/aging";
import { creditRemainingAt, isDisputedAt, isIssuedBy, openBalanceAt } from "../policies/open-balance";
import { ensureAllowed } from "../policies/permissions";
import { accountPayments, evaluatePromises } from "../policies/promises";
import { AccountSummary, DisputeRecord, TimelineEntry } from "../ports/workspace.port";
import { CommandContext } from "./command-context";
import { findAccount } from "./find-account";

export const CARD_TIMELINE_ENTRIES = 10;

export interface AccountCard {
  account: AccountSummary;
  asOf: BusinessDate;
  /** Section 7: `overdue` counts disputed invoices too; `disputed` is their open balance, any bucket. */
  /** `open` is net of `credit`, the credit notes not yet applied (section 7), as in AR. */
  balances: { currency: string; open: bigint; overdue: bigint; disputed: bigint; maxDaysPastDue: number; credit?: bigint }[];
  owners: { function: TeamFunction; owner: string; since: Date }[];
  openPromises: { currency: string; amountMinor: bigint; promisedOn: BusinessDate; coveredMinor: bigint }[];
  disputes: DisputeRecord[];
  timeline: TimelineEntry[];
}

/** account <q>: balances, owners, open promise, disputes and the last 10 timeline entries. */
export async function getAccountCard(ctx: CommandContext, input: { query: string } | { accountId: number }): Promise<AccountCard> {
  ensureAllowed(ctx.actor, "read");
  return ctx.uow.read(async (ws) => {
    const account = "query" in input ? await findAccount(ws, input.query) : (await ws.accountById(input.accountId))!;
    const today = ctx.clock.today();
    const facts = await ws.accountFacts(account.id);
    const balances = new Map<string, AccountCard["balances"][number]>();
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
      if (isDisputedAt(invoice, today)) entry.disputed += open;
      balances.set(invoice.currency, entry);
    }
    for (const credit of facts.credits) {
      const remaining = creditRemainingAt(credit, today);
      if (remaining === 0n) continue;
      const entry = balances.get(credit.currency) ?? { currency: credit.currency, open: 0n, overdue: 0n, disputed: 0n, maxDaysPastDue: 0, credit: 0n };
      entry.open -= remaining;
      entry.credit = (entry.credit ?? 0n) + remaining;
      balances.set(credit.currency, entry);
    }
    const promises = evaluatePromises(facts.promises, accountPayments(facts.invoices), today, ctx.promiseGraceDays)
      .filter((o) => o.status === "open")
      .map((o) => ({ currency: o.promise.currency, amountMinor: o.promise.amountMinor, promisedOn: o.promise.promisedOn, coveredMinor: o.coveredMinor }));
    return {
      account,
      asOf: today,
      balances: [...balances.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
      owners: (await ws.activeClaims(account.id)).map((c) => ({ function: c.function, owner: actorLabel(c.user), since: c.claimedAt })),
      openPromises: promises,
      disputes: await ws.openDisputesOfAccount(account.id),
      timeline: await ws.timeline(account.id, CARD_TIMELINE_ENTRIES),
    };
  });
}
