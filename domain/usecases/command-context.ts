import { Actor, actorLabel } from "../model/actor";
import { Clock } from "../ports/clock.port";
import { UnitOfWork, Workspace } from "../ports/workspace.port";

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
