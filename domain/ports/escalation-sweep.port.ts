import { BusinessDate } from "../model/business-date";
import { EscalationLevel, EscalationTrigger, RecipientKind, SweepFacts } from "../policies/escalation-policy";

/** A person an escalation may reach: their label and the platforms where arbot knows them. */
export interface Reachable {
  userId: number;
  /** Email, or handle when no email is known. */
  label: string;
  email: string | null;
  /** Platforms with a linked identity. */
  platforms: string[];
}

/** A channel that hears escalations: one with `subscribe escalations`, or a finance/all digest channel. */
export interface EscalationChannelRef {
  platform: string;
  channelId: string;
  /** `escalations` (subscribed for them) or `digest` (the fallback: a finance or all digest channel). */
  source: "escalations" | "digest";
}

/** What an automatic escalation message states, stored with its row so a retry says the same. */
export interface EscalationDetail {
  trigger: EscalationTrigger;
  level: EscalationLevel;
  idleDays: number;
  /** Undisputed overdue per currency, as decimal strings in major units. */
  overdue: Record<string, string>;
  invoice: string | null;
  /** Who hears this level (labels; the channel as words), for the words. */
  told: string[];
  /** The account's owners (labels). */
  owners: string[];
  promise?: { currency: string; amount: string; promisedOn: BusinessDate; brokenOn: BusinessDate };
  dispute?: { invoice: string; reason: string; openedOn: BusinessDate; openDays: number };
}

export type RecipientStatus = "pending" | "sending" | "sent" | "retry" | "failed" | "unreachable" | "nobody" | "interrupted";

export interface RecipientDraft {
  kind: RecipientKind;
  userId: number | null;
  /** Email/handle of a person, channel id of a channel, empty when there is no channel. */
  who: string;
  /** Empty when nobody knows the person on a platform (or there is no channel). */
  platform: string;
  status: "pending" | "unreachable" | "nobody";
}

export interface StoredRecipient extends Omit<RecipientDraft, "status"> {
  id: number;
  status: RecipientStatus;
  error: string | null;
}

export interface OpenEscalation {
  id: number;
  accountId: number;
  externalId: string;
  name: string;
  kind: string;
  episode: string | null;
  level: number;
  state: string;
  detail: EscalationDetail | null;
  createdAt: Date;
  recipients: StoredRecipient[];
}

export interface EscalationClaim {
  key: string;
  accountId: number;
  episode: string;
  detail: EscalationDetail;
  sentOn: BusinessDate;
  at: Date;
  recipients: RecipientDraft[];
}

/**
 * What the sweep reads and writes. Exactly once (section 10): `claim` inserts the row of
 * (account, episode, level) or dispute under a unique key before anything is sent (null when
 * another sweep has it), and `startSending` moves one recipient from pending/retry to sending
 * for exactly one caller.
 */
export interface EscalationSweepStore {
  /** The disputes, snoozes and automatic escalations recorded so far of these accounts (the sweep reads the portfolio a group of accounts at a time). */
  sweepFacts(accountIds: readonly number[]): Promise<Pick<SweepFacts, "disputes" | "snoozes" | "history">>;
  /** The lead of each function and the administrators: who hears levels 2 and 3. */
  escalationLadder(): Promise<Pick<SweepFacts, "leads" | "admins">>;
  people(userIds: number[]): Promise<Map<number, Reachable>>;
  /** Channels subscribed for escalations; without any on a platform, its finance/all digest channels. */
  escalationChannels(platforms?: string[]): Promise<EscalationChannelRef[]>;
  claim(claim: EscalationClaim): Promise<number | null>;
  /** Escalations with a recipient still to tell (pending, or retry after a 429/5xx). */
  undelivered(): Promise<OpenEscalation[]>;
  /**
   * Recipients left `sending` longer than `olderThanMs` (the sweep sending them stopped: a
   * crash, a kill) become `interrupted`: whether their message left is unknown, so it is
   * never sent again (nobody hears an escalation twice). Returns their escalations' ids.
   */
  interruptStale(olderThanMs: number): Promise<number[]>;
  escalation(id: number): Promise<OpenEscalation | null>;
  addRecipients(escalationId: number, recipients: RecipientDraft[]): Promise<void>;
  startSending(recipientId: number): Promise<boolean>;
  finishRecipient(recipientId: number, status: "sent" | "retry" | "failed" | "unreachable", error: string | null): Promise<void>;
  /** Settles the row's state from its recipients and writes what went out on the timeline (once, when nothing is left to try). */
  settle(escalationId: number, at: Date): Promise<void>;
  /**
   * Closes the open automatic escalations whose episode is not among the account's
   * `current` ones, and the open manual escalations of `settled` accounts (paid up, nothing
   * in dispute: nothing left to chase).
   */
  closeEnded(current: Map<number, Set<string>>, settled: Set<number>, at: Date): Promise<number>;
}
