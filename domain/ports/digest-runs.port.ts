import { BusinessDate } from "../model/business-date";
import { DigestRun } from "../model/subscription";
import { SubscriptionList } from "./subscriptions.port";

/** Subscriptions and the run rows that make each channel's digest post once per day. */
export interface DigestRunStore extends SubscriptionList {
  /**
   * Claims the run of (channel, local date, part) for this process with a lease: creates it,
   * or takes over one whose lease expired while still leased. Null when another process holds
   * it or it is already posted or failed.
   */
  lease(key: { platform: string; channelId: string; localDate: BusinessDate; part: number }, now: Date, leaseMs: number): Promise<{ run: DigestRun; takenOver: boolean } | null>;
  /**
   * The writes below succeed only for the lease holder (`lease` is the leaseUntil it got):
   * false when another process took the run over meanwhile.
   */
  stillHeld(runId: string, lease: Date, now: Date): Promise<boolean>;
  /**
   * Extends the holder's lease to `now + leaseMs` while a slow post is under way; the new
   * lease, or null when another process took the run over (or it is no longer leased).
   */
  renew(runId: string, lease: Date, now: Date, leaseMs: number): Promise<Date | null>;
  /**
   * For a platform that cannot find a post after a crash (Teams): the run is being posted.
   * A `sending` run is never leased again; once its lease has run out it is interrupted.
   */
  markSending(runId: string, lease: Date, now: Date): Promise<boolean>;
  /** A `sending` run whose lease ran out (its process died mid-post): marked `interrupted`, true for the caller that marked it. */
  markInterrupted(runId: string, now: Date): Promise<boolean>;
  markPosted(runId: string, lease: Date, messageRef: string, now: Date): Promise<boolean>;
  markFailed(runId: string, lease: Date, error: string, now: Date): Promise<boolean>;
  /** Lets the lease go so a later tick retries (429, 5xx). */
  release(runId: string, lease: Date, error: string, now: Date): Promise<boolean>;
  /** The run whose post is this message, if any. */
  runOfMessage(platform: string, channelId: string, messageRef: string): Promise<DigestRun | null>;
  run(key: { platform: string; channelId: string; localDate: BusinessDate; part: number }): Promise<DigestRun | null>;
}
