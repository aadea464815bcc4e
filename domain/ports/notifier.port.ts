import { DigestTarget } from "../model/delivery";

/** Someone to reach on a chat platform: the adapter finds their platform id. */
export interface UserRef {
  userId: number;
  email?: string | null;
}

/**
 * Outbound chat in domain words (ARCHITECTURE.md section 1). Slack renders Block Kit, Teams
 * Adaptive Cards; callers never see either. The view types are the chat-neutral models of
 * bot/views, passed through.
 */
export interface Notifier<DigestView, EscalationView> {
  readonly platform: string;
  /**
   * False when the platform cannot look a post up after a crash (Teams): `findDigest` then
   * always answers null, and a run interrupted mid-post is reported, never posted again.
   */
  readonly canSearchHistory?: boolean;
  /** Posts a channel's digest tagged with its run id; returns the message reference. */
  sendDigest(target: DigestTarget, view: DigestView, runId: string): Promise<string>;
  /** After a crash: the message carrying this run id in the channel, if any. */
  findDigest(target: DigestTarget, runId: string): Promise<string | null>;
  /** A direct message to an owner; false when they cannot be reached on this platform. */
  pingOwner(owner: UserRef, view: EscalationView): Promise<boolean>;
  /**
   * Asks a channel for someone to claim an unowned account, or to follow up when none of
   * its owners could be reached (the view names them).
   */
  askChannelToClaim(target: Pick<DigestTarget, "platform" | "channelId">, view: EscalationView): Promise<void>;
  /** A change the team should see (a claim, a promise…), in plain words, in the channel it was made in. */
  announce(target: Pick<DigestTarget, "platform" | "channelId">, text: string): Promise<void>;
  /** Tells whoever subscribed a channel, privately, that today's digest could not be posted there and why. */
  digestFailed(subscriber: UserRef, target: DigestTarget, reason: string): Promise<void>;
}

/** A platform error that retrying will not fix (not_in_channel, channel_not_found…). */
export class PermanentDeliveryError extends Error {}
