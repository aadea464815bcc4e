import { ensureAllowed } from "../policies/permissions";
import { CommandContext } from "./command-context";

/**
 * After a manual escalation went out: the timeline says who was actually told (or that
 * nobody was), and the row whether a channel was asked. Not a person's activity: the
 * escalation itself was.
 */
export async function recordEscalationDelivery(ctx: CommandContext, input: { escalationId: number; accountId: number; to: string[]; notReached: string[]; channelAsked: boolean }): Promise<void> {
  ensureAllowed(ctx.actor, "escalate");
  await ctx.uow.run(null, async (ws) => {
    await ws.setEscalationChannelAsked(input.escalationId, input.channelAsked);
    await ws.record({
      accountId: input.accountId,
      actorUserId: null,
      actor: "arbot",
      platform: ctx.actor.platform,
      human: false,
      kind: input.to.length > 0 ? "escalation_sent" : "escalation_unsent",
      subject: "manual",
      before: null,
      after: { level: 1, trigger: "manual", to: input.to, ...(input.notReached.length > 0 ? { notReached: input.notReached } : {}) },
      at: ctx.clock.now(),
    });
  });
}
