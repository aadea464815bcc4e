import { AppError } from "../model/app-error";
import { BusinessDate, formatHumanDate, isBusinessDate } from "../model/business-date";
import { isCurrency } from "../model/currency";
import { DecimalText } from "../model/imports";
import { LedgerInvoice } from "../model/ledger";
import { formatMinor, formatMoney, parseDecimal } from "../model/money";
import { isIssuedBy, openBalanceAt } from "../policies/open-balance";
import { ensureAllowed } from "../policies/permissions";
import { accountPayments, evaluatePromises } from "../policies/promises";
import { AccountSummary, Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";
import { findAccount } from "./find-account";

export interface PromiseOutcome {
  account: AccountSummary;
  currency: string;
  amountMinor: bigint;
  promisedOn: BusinessDate;
  /** The open promise this one replaced. */
  cancelled: { amountMinor: bigint; promisedOn: BusinessDate } | null;
}

function openByCurrency(invoices: LedgerInvoice[], today: BusinessDate): Map<string, bigint> {
  const open = new Map<string, bigint>();
  for (const invoice of invoices) {
    if (!isIssuedBy(invoice, today)) continue;
    const balance = openBalanceAt(invoice, today);
    if (balance > 0n) open.set(invoice.currency, (open.get(invoice.currency) ?? 0n) + balance);
  }
  return open;
}

/**
 * promise <q> <amount> [CUR] <date> (section 7): 0 < amount ≤ the open balance in that
 * currency, date ≥ today; the currency is inferred when the account owes in one only;
 * a new promise cancels the open one in the same currency.
 */
/** The same day next year (28 February for 29 February). */
function oneYearAfter(date: BusinessDate): BusinessDate {
  const next = `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
  return isBusinessDate(next) ? next : `${next.slice(0, 8)}28`;
}

export async function recordPromise(
  ctx: CommandContext,
  input: { query: string; amount: DecimalText; currency?: string; promisedOn: BusinessDate },
): Promise<Idempotent<PromiseOutcome>> {
  ensureAllowed(ctx.actor, "promise");
  const today = ctx.clock.today();
  if (input.promisedOn < today) throw new AppError("INVALID_INPUT", `The promised date ${input.promisedOn} is in the past; a promise is for today or later.`);
  const yearAhead = oneYearAfter(today);
  if (input.promisedOn > yearAhead) {
    // Almost always a typo (2031 for 2026); a collection promise further out is not a promise to chase.
    throw new AppError("INVALID_INPUT", `The promised date ${formatHumanDate(input.promisedOn)} is more than a year away (after ${formatHumanDate(yearAhead)}); check the year, or record a note instead.`);
  }
  const given = input.currency?.toUpperCase();
  if (given && !isCurrency(given)) throw new AppError("INVALID_INPUT", `“${input.currency}” is not an ISO currency code such as USD or EUR.`);
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const account = await findAccount(ws, input.query);
    // "Open" depends on payments and dates, which no index expresses: one promise at a time.
    await ws.lockAccount(account.id);
    const facts = await ws.accountFacts(account.id);
    const open = openByCurrency(facts.invoices, today);
    let currency = given;
    if (!currency) {
      if (open.size === 0) throw new AppError("INVALID_INPUT", `${account.name} has no open balance to promise against.`);
      if (open.size > 1) {
        const list = [...open.keys()].sort();
        throw new AppError("INVALID_INPUT", `${account.name} owes in ${list.join(" and ")}: say which, e.g. promise ${account.externalId} ${input.amount} ${list[0]} ${input.promisedOn}`);
      }
      currency = [...open.keys()][0]!;
    }
    const amount = parseDecimal(input.amount, currency, ".");
    if (!amount.ok) throw new AppError("INVALID_INPUT", `The amount ${input.amount}: ${amount.reason}.`);
    if (amount.minor <= 0n) throw new AppError("INVALID_INPUT", "A promise is for an amount greater than 0.");
    const balance = open.get(currency) ?? 0n;
    if (amount.minor > balance) {
      throw new AppError(
        "INVALID_INPUT",
        balance === 0n
          ? `${account.name} has no open ${currency} balance.`
          : `${formatMoney(amount.minor, currency)} is more than ${account.name}'s open ${currency} balance of ${formatMoney(balance, currency)}.`,
      );
    }

    const now = ctx.clock.now();
    const outcomes = evaluatePromises(facts.promises, accountPayments(facts.invoices), today, ctx.promiseGraceDays);
    const previous = outcomes.find((o) => o.status === "open" && o.promise.currency === currency);
    if (previous) {
      await ws.cancelPromise(previous.promise.id, now, today);
      await recordChange(ws, ctx, account.id, "promise_cancelled", {
        before: { amount: formatMinor(previous.promise.amountMinor, currency), date: previous.promise.promisedOn },
        after: { why: "replaced by a new promise" },
      });
    }
    await ws.createPromise({ accountId: account.id, userId: ctx.actor.userId, currency, amountMinor: amount.minor, createdOn: today, promisedOn: input.promisedOn, at: now });
    await recordChange(ws, ctx, account.id, "promise_recorded", {
      after: { amount: formatMinor(amount.minor, currency), currency, date: input.promisedOn },
    });
    return {
      account,
      currency,
      amountMinor: amount.minor,
      promisedOn: input.promisedOn,
      cancelled: previous ? { amountMinor: previous.promise.amountMinor, promisedOn: previous.promise.promisedOn } : null,
    };
  });
}
