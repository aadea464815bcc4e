import { actorLabel } from "../../domain/model/actor";
import { DigestTarget } from "../../domain/model/delivery";
import { EscalationOutcome } from "../../domain/usecases/escalate-account";
import { ChatNotifier } from "../platform/chat-platform";
import { buildEscalationView } from "../views/escalation-view";
import { EscalationDelivery } from "../views/reply";

export type { ChatNotifier, EscalationDelivery };

/** What went out, for the timeline: the people told and the channels asked; who was not reached. */
export function deliveryRecord(sent: EscalationDelivery, platform: string): { to: string[]; notReached: string[]; channelAsked: boolean } {
  return {
    to: [...sent.reached.map((who) => `${who} (${platform})`), ...(sent.askedChannels ?? []).map((c) => `channel ${c} (${platform})`)],
    notReached: [...sent.notReachable.map((who) => `${who}: not on ${platform}`), ...sent.failed, ...sent.failedChannels.map((c) => `channel ${c}`)],
    channelAsked: sent.channels > 0,
  };
}

/**
 * A manual escalation (sections 4/5): one direct message to each owner; when none of them
 * could be reached, the given channels are asked for someone to claim the account (or to
 * follow up, when its owners are not on the platform). One owner or channel that fails
 * does not keep the others from hearing it; every outcome is reported, never thrown.
 */
export async function deliverEscalation(
  notifier: ChatNotifier,
  escalation: EscalationOutcome,
  raisedBy: string,
  channels: Pick<DigestTarget, "platform" | "channelId">[],
  describeFailure: (error: unknown) => string,
): Promise<EscalationDelivery> {
  const view = buildEscalationView(escalation, raisedBy);
  const sent: EscalationDelivery = { reached: [], notReachable: [], failed: [], channels: 0, failedChannels: [] };
  for (const owner of escalation.owners) {
    try {
      if (await notifier.pingOwner({ userId: owner.id, email: owner.email }, view)) sent.reached.push(actorLabel(owner));
      else sent.notReachable.push(actorLabel(owner));
    } catch (error) {
      sent.failed.push(`${actorLabel(owner)} (${describeFailure(error)})`);
    }
  }
  if (sent.reached.length > 0) return sent;
  const unreached = escalation.owners.map(actorLabel);
  for (const channel of channels) {
    try {
      await notifier.askChannelToClaim(channel, { ...view, unreachedOwners: unreached });
      sent.channels++;
      (sent.askedChannels ??= []).push(channel.channelId);
    } catch (error) {
      sent.failedChannels.push(`${channel.channelId} (${describeFailure(error)})`);
    }
  }
  return sent;
}
