import { BusinessDate, addDays } from "../model/business-date";
import { TeamFunction } from "../model/team";
import { isIssuedBy, openBalanceAt } from "../policies/open-balance";
import { daysPastDue } from "../policies/aging";
import { ensureAllowed } from "../policies/permissions";
import { accountPayments, evaluatePromises } from "../policies/promises";
import { AccountSummary, EscalationRecord } from "../ports/workspace.port";
import { CommandContext } from "./command-context";

export interface Home {
  asOf: BusinessDate;
  accounts: { function: TeamFunction; account: AccountSummary; since: Date; overdue: { currency: string; amountMinor: bigint }[] }[];
  promisesDue: { account: AccountSummary; currency: string; amountMinor: bigint; promisedOn: BusinessDate; coveredMinor: bigint }[];
  escalations: (EscalationRecord & { account: AccountSummary })[];
}

/** mine / App Home: my accounts by function, my promises due this week, my open escalations. */
export async function getHome(ctx: CommandContext): Promise<Home> {
  ensureAllowed(ctx.actor, "read");
  const today = ctx.clock.today();
  const weekEnd = addDays(today, 7);
  return ctx.uow.read(async (ws) => {
    const claims = await ws.claimsOfUser(ctx.actor.userId);
    const accounts: Home["accounts"] = [];
    for (const claim of claims) {
      const facts = await ws.accountFacts(claim.accountId);
      const overdue = new Map<string, bigint>();
      for (const invoice of facts.invoices) {
        if (!isIssuedBy(invoice, today) || daysPastDue(invoice.dueDate, today) < 1) continue;
        const open = openBalanceAt(invoice, today);
        if (open > 0n) overdue.set(invoice.currency, (overdue.get(invoice.currency) ?? 0n) + open);
      }
      accounts.push({ function: claim.function, account: claim.account, since: claim.claimedAt, overdue: [...overdue].map(([currency, amountMinor]) => ({ currency, amountMinor })) });
    }
    const promisesDue: Home["promisesDue"] = [];
    for (const promise of await ws.promisesOfUser(ctx.actor.userId)) {
      if (promise.promisedOn < addDays(today, -ctx.promiseGraceDays) || promise.promisedOn > weekEnd) continue;
      const facts = await ws.accountFacts(promise.accountId);
      const outcome = evaluatePromises(facts.promises, accountPayments(facts.invoices), today, ctx.promiseGraceDays).find((o) => o.promise.id === promise.id);
      if (outcome?.status !== "open") continue;
      promisesDue.push({ account: promise.account, currency: promise.currency, amountMinor: promise.amountMinor, promisedOn: promise.promisedOn, coveredMinor: outcome.coveredMinor });
    }
    return { asOf: today, accounts, promisesDue, escalations: await ws.openEscalationsFor(ctx.actor.userId) };
  });
}
