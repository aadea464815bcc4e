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
  /** Owners whose direct message failed, with why. */
  failed: string[];
  /** Channels asked to follow up (nobody could be reached). */
  channels: number;
  failedChannels: string[];
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
    } catch (error) {
      sent.failedChannels.push(`${channel.channelId} (${describeFailure(error)})`);
    }
  }
  return sent;
}

/** What the person who escalated is told, on any platform and on the command line. */
export function describeEscalationDelivery(accountName: string, sent: EscalationDelivery, platformName: string): string {
  const missed = [
    ...(sent.notReachable.length > 0 ? [`not on ${platformName}: ${sent.notReachable.join(", ")}`] : []),
    ...(sent.failed.length > 0 ? [`could not reach ${sent.failed.join(", ")}`] : []),
  ];
  const aside = (parts: string[]) => (parts.length > 0 ? ` (${parts.join("; ")})` : "");
  if (sent.reached.length > 0) return `Escalated ${accountName}: sent to ${sent.reached.join(", ")}${aside(missed)}.`;
  const unowned = sent.notReachable.length + sent.failed.length === 0;
  const why = unowned ? "" : ` none of its owners could be reached${aside(missed)};`;
  const failed = sent.failedChannels.length > 0 ? [`could not post in ${sent.failedChannels.join(", ")}`] : [];
  if (sent.channels > 0) {
    const asked = `${sent.channels} channel${sent.channels === 1 ? "" : "s"} asking someone to ${unowned ? "claim it" : "follow up"}`;
    return `Escalated ${accountName}:${why} sent to ${asked}${aside(failed)}.`;
  }
  const nobody = unowned ? "it has no owner" : `none of its owners could be reached${aside(missed)}`;
  const channels = failed.length > 0 ? `no channel could be asked${aside(failed)}` : "there was no channel to ask";
  return `Escalation of ${accountName} recorded, but nobody was told: ${nobody}, and ${channels}.`;
}
