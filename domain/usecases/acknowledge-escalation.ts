import { AppError } from "../model/app-error";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";

/**
 * The I'm on it button of an escalation message: a person's activity on the account, so
 * the episode ends, its escalations close and the idle clock restarts today (section 10).
 */
export async function acknowledgeEscalation(ctx: CommandContext, input: { escalationId: number }): Promise<Idempotent<{ account: AccountSummary; level: number; alreadyClosed: boolean }>> {
  ensureAllowed(ctx.actor, "snooze");
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const escalation = await ws.escalationById(input.escalationId);
    if (!escalation) throw new AppError("NOT_FOUND", "That escalation no longer exists.");
    await recordChange(ws, ctx, escalation.accountId, "escalation_acknowledged", { subject: escalation.kind, after: { level: escalation.level } });
    return { account: escalation.account, level: escalation.level, alreadyClosed: escalation.resolvedAt !== null };
  });
}
