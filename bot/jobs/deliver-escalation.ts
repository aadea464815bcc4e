import { actorLabel } from "../../domain/model/actor";
import { DigestTarget } from "../../domain/model/delivery";
import { Notifier } from "../../domain/ports/notifier.port";
import { EscalationOutcome } from "../../domain/usecases/escalate-account";
import { DigestView } from "../views/digest-view";
import { buildEscalationView, EscalationView } from "../views/escalation-view";

export type ChatNotifier = Notifier<DigestView, EscalationView>;

export interface EscalationDelivery {
  /** Owners who got a direct message. */
  reached: string[];
  /** Owners the platform does not know. */
  notReachable: string[];
  /** Channels asked to claim the account. */
  channels: number;
  failedChannels: string[];
}

/**
 * A manual escalation (section 4/5): one direct message to each owner; when nobody can be
 * reached, the given channels are asked for someone to claim the account. One channel
 * that fails does not keep the others from hearing it.
 */
export async function deliverEscalation(
  notifier: ChatNotifier,
  escalation: EscalationOutcome,
  raisedBy: string,
  channels: Pick<DigestTarget, "platform" | "channelId">[],
  describeFailure: (error: unknown) => string,
): Promise<EscalationDelivery> {
  const view = buildEscalationView(escalation, raisedBy);
  const reached: string[] = [];
  const notReachable: string[] = [];
  for (const owner of escalation.owners) {
    if (await notifier.pingOwner({ userId: owner.id, email: owner.email }, view)) reached.push(actorLabel(owner));
    else notReachable.push(actorLabel(owner));
  }
  if (reached.length > 0) return { reached, notReachable, channels: 0, failedChannels: [] };
  const failedChannels: string[] = [];
  for (const channel of channels) {
    try {
      await notifier.askChannelToClaim(channel, view);
    } catch (error) {
      if (channels.length === 1) throw error;
      failedChannels.push(`${channel.channelId} (${describeFailure(error)})`);
    }
  }
  return { reached, notReachable, channels: channels.length - failedChannels.length, failedChannels };
}
