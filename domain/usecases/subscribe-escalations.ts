import { AppError } from "../model/app-error";
import { ensureAllowed } from "../policies/permissions";
import { Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";

export interface EscalationChannelInput {
  platform: string;
  channelId: string;
  tenantId: string | null;
  conversationRef: Record<string, unknown> | null;
  sharedWithOtherOrganizations: boolean;
}

/**
 * subscribe escalations: the channel hears escalations from level 2 on and is asked to claim
 * unowned accounts. Kept beside its digest subscription; finance or admin; never a shared channel.
 */
export async function subscribeEscalations(ctx: CommandContext, input: EscalationChannelInput): Promise<Idempotent<{ already: boolean }>> {
  ensureAllowed(ctx.actor, "subscribe");
  if (input.sharedWithOtherOrganizations) {
    throw new AppError("FORBIDDEN", "This channel is shared with another organization: escalations stay inside the company. Subscribe an internal channel.");
  }
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const already = await ws.isEscalationChannel(input.platform, input.channelId);
    if (!already) {
      await ws.saveEscalationChannel({ ...input, createdById: ctx.actor.userId });
      await recordChange(ws, ctx, null, "subscribed", { subject: `${input.platform}:${input.channelId}`, after: { escalations: true } });
    }
    return { already };
  });
}

export async function unsubscribeEscalations(ctx: CommandContext, input: { platform: string; channelId: string }): Promise<Idempotent<Record<string, never>>> {
  ensureAllowed(ctx.actor, "subscribe");
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    if (!(await ws.isEscalationChannel(input.platform, input.channelId))) throw new AppError("NOT_FOUND", "This channel is not subscribed to escalations.");
    await ws.deleteEscalationChannel(input.platform, input.channelId);
    await recordChange(ws, ctx, null, "unsubscribed", { subject: `${input.platform}:${input.channelId}`, before: { escalations: true } });
    return {};
  });
}
