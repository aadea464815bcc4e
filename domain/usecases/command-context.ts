import { Actor, actorLabel } from "../model/actor";
import { WriteConflict } from "../model/app-error";
import { Clock } from "../ports/clock.port";
import { Idempotent, UnitOfWork, Workspace } from "../ports/workspace.port";

/** What every collaboration use case receives from the entry point that called it. */
export interface CommandContext {
  actor: Actor;
  clock: Clock;
  uow: UnitOfWork;
  /** Slack trigger_id, event_id, view hash, Teams activity id: a repeat changes nothing. */
  idempotencyKey: string | null;
  promiseGraceDays: number;
}

/** The timeline row every change writes: who, platform, when, what, old → new. */
export function recordChange(
  ws: Workspace,
  ctx: CommandContext,
  /** null: an organization-wide change (roles, leads, subscriptions). */
  accountId: number | null,
  kind: string,
  change: { subject?: string | null; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null },
): Promise<void> {
  return ws.record({
    accountId,
    actorUserId: ctx.actor.userId,
    actor: actorLabel(ctx.actor),
    platform: ctx.actor.platform,
    human: true,
    kind,
    subject: change.subject ?? null,
    before: change.before ?? null,
    after: change.after ?? null,
    at: ctx.clock.now(),
  });
}

/**
 * Runs a change in one transaction under the command's idempotency key. When a concurrent
 * change won a uniqueness rule (two people claiming at once), the work runs once more and
 * now sees the winner, so the caller gets the usual answer ("already owned by …").
 */
export async function runChange<T>(ctx: CommandContext, work: (ws: Workspace) => Promise<T>): Promise<Idempotent<T>> {
  try {
    return await ctx.uow.run(ctx.idempotencyKey, work);
  } catch (error) {
    if (!(error instanceof WriteConflict)) throw error;
    return ctx.uow.run(ctx.idempotencyKey, work);
  }
}
