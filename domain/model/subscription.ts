import { TeamFunction } from "./team";

/** One channel's digest subscription (section 9): `subscribe` replaces it. */
export interface Subscription {
  id: number;
  platform: string;
  channelId: string;
  tenantId: string | null;
  /** Whose owners are mentioned and what Claim claims; `all` mentions every owner. */
  scope: TeamFunction | "all";
  /** Local HH:MM. */
  localTime: string;
  timeZone: string;
  createdById: number;
  conversationRef: Record<string, unknown> | null;
}

export interface DigestRun {
  id: number;
  runId: string;
  platform: string;
  channelId: string;
  localDate: string;
  part: number;
  /**
   * `sending`: a platform without history lookup (Teams) is posting it; after a crash it
   * becomes `interrupted` and is never posted again (it may already be in the channel).
   */
  state: "leased" | "sending" | "posted" | "failed" | "interrupted";
  leaseUntil: Date | null;
  attempts: number;
  messageRef: string | null;
  error: string | null;
}
