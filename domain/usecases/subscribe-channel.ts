import { AppError } from "../model/app-error";
import { Subscription } from "../model/subscription";
import { ensureAllowed } from "../policies/permissions";
import { Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";

export interface SubscribeInput {
  platform: string;
  channelId: string;
  tenantId: string | null;
  scope: Subscription["scope"];
  localTime: string;
  timeZone: string;
  conversationRef: Record<string, unknown> | null;
  /** Slack Connect / shared with other organizations: digests would leak to them. */
  sharedWithOtherOrganizations: boolean;
}

/** subscribe: one subscription per channel; finance or admin; never a shared channel. */
export async function subscribeChannel(ctx: CommandContext, input: SubscribeInput): Promise<Idempotent<{ subscription: Omit<Subscription, "id">; replaced: Subscription | null }>> {
  ensureAllowed(ctx.actor, "subscribe");
  if (input.sharedWithOtherOrganizations) {
    throw new AppError("FORBIDDEN", "This channel is shared with another organization: digests stay inside the company. Subscribe an internal channel.");
  }
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const replaced = await ws.subscriptionOf(input.platform, input.channelId);
    const subscription: Omit<Subscription, "id"> = {
      platform: input.platform,
      channelId: input.channelId,
      tenantId: input.tenantId,
      scope: input.scope,
      localTime: input.localTime,
      timeZone: input.timeZone,
      createdById: ctx.actor.userId,
      conversationRef: input.conversationRef,
    };
    await ws.saveSubscription(subscription);
    await recordChange(ws, ctx, null, "subscribed", {
      subject: `${input.platform}:${input.channelId}`,
      before: replaced ? { scope: replaced.scope, time: replaced.localTime, timeZone: replaced.timeZone } : null,
      after: { scope: input.scope, time: input.localTime, timeZone: input.timeZone },
    });
    return { subscription, replaced };
  });
}

export async function unsubscribeChannel(ctx: CommandContext, input: { platform: string; channelId: string }): Promise<Idempotent<{ removed: Subscription }>> {
  ensureAllowed(ctx.actor, "subscribe");
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const removed = await ws.subscriptionOf(input.platform, input.channelId);
    if (!removed) throw new AppError("NOT_FOUND", "This channel has no digest subscription.");
    await ws.deleteSubscription(input.platform, input.channelId);
    await recordChange(ws, ctx, null, "unsubscribed", { subject: `${input.platform}:${input.channelId}`, before: { scope: removed.scope, time: removed.localTime, timeZone: removed.timeZone } });
    return { removed };
  });
}
