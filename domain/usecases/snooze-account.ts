import { AppError } from "../model/app-error";
import { BusinessDate, formatHumanDate } from "../model/business-date";
import { REASON_MAX_LENGTH } from "../model/free-text";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";
import { findAccount } from "./find-account";

/**
 * snooze <q> <date> <reason> (and the Snooze button): no automatic escalation of the
 * account through that date. A person acting on the account, it is also activity: the
 * episode ends and its escalations close. Reason required, on the timeline.
 */
export async function snoozeAccount(ctx: CommandContext, input: { query?: string; accountId?: number; until: BusinessDate; reason: string }): Promise<Idempotent<{ account: AccountSummary; until: BusinessDate; reason: string }>> {
  ensureAllowed(ctx.actor, "snooze");
  const reason = input.reason.trim();
  if (!reason) throw new AppError("INVALID_INPUT", "Give a reason: why wait until then?");
  if (reason.length > REASON_MAX_LENGTH) throw new AppError("INVALID_INPUT", `A reason holds ${REASON_MAX_LENGTH} characters at most; this one has ${reason.length}.`);
  const today = ctx.clock.today();
  if (input.until <= today) throw new AppError("INVALID_INPUT", `A snooze runs until a later day than today (${formatHumanDate(today)}): give a date such as tomorrow or fri.`);
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const account = input.accountId !== undefined ? await ws.accountById(input.accountId) : await findAccount(ws, input.query ?? "");
    if (!account) throw new AppError("NOT_FOUND", "That account no longer exists.");
    await ws.createSnooze({ accountId: account.id, userId: ctx.actor.userId, on: today, until: input.until, reason, at: ctx.clock.now() });
    await recordChange(ws, ctx, account.id, "snoozed", { after: { until: input.until, reason } });
    return { account, until: input.until, reason };
  });
}
