import { BusinessDate } from "../model/business-date";
import { LedgerCredit, LedgerInvoice, LedgerPromise } from "../model/ledger";
import { Subscription } from "../model/subscription";
import { SubscriptionReader } from "./subscriptions.port";
import { Role, TeamFunction } from "../model/team";

export interface AccountSummary {
  id: number;
  externalId: string;
  name: string;
  segment: string | null;
  tier: string | null;
  region: string | null;
}

export interface InvoiceSummary {
  id: number;
  number: string;
  accountId: number;
  currency: string;
}

/** How `<q>` is matched, in order (section 5). */
export type MatchLevel = "id" | "name" | "prefix" | "substring";
export const MATCH_LEVELS: MatchLevel[] = ["id", "name", "prefix", "substring"];

export interface UserRecord {
  id: number;
  handle: string;
  email: string | null;
  displayName: string | null;
  role: Role;
}

export interface ClaimRecord {
  id: number;
  accountId: number;
  function: TeamFunction;
  user: UserRecord;
  claimedAt: Date;
  source: string;
}

export interface TimelineEntry {
  at: Date;
  actor: string;
  platform: string;
  kind: string;
  subject: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface TimelineDraft {
  accountId: number | null;
  actorUserId: number | null;
  actor: string;
  platform: string;
  human: boolean;
  kind: string;
  subject: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: Date;
}

export interface DisputeRecord {
  id: number;
  invoiceId: number;
  invoiceNumber: string;
  accountId: number;
  reason: string;
  openedBy: string;
  openedAt: Date;
  openedOn: BusinessDate;
}

export interface PromiseRecord extends LedgerPromise {
  userId: number;
}

export interface EscalationRecord {
  id: number;
  accountId: number;
  kind: string;
  level: number;
  reason: string | null;
  targets: { userIds: number[]; channel: boolean };
  createdAt: Date;
}

export interface IdentityInput {
  platform: string;
  platformUserId: string;
  tenantId: string | null;
  email: string | null;
  displayName: string | null;
  isGuest: boolean;
  isExternal: boolean;
}

export interface UserWithIdentity extends UserRecord {
  isGuest: boolean;
  isExternal: boolean;
}

export interface UserDirectory {
  findByIdentity(platform: string, platformUserId: string): Promise<UserWithIdentity | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findByHandle(handle: string): Promise<UserRecord | null>;
  findById(id: number): Promise<UserRecord | null>;
  /** Creates the user when needed and links the identity; returns the linked user. */
  linkIdentity(identity: IdentityInput, create: { handle: string; role: Role }, at: Date): Promise<UserWithIdentity>;
  setRole(userId: number, role: Role): Promise<void>;
  createUser(user: { handle: string; email: string | null; displayName: string | null; role: Role }): Promise<UserRecord>;
  listUsers(): Promise<(UserRecord & { identities: { platform: string; platformUserId: string }[] })[]>;
  leads(): Promise<Partial<Record<TeamFunction, UserRecord>>>;
  setLead(fn: TeamFunction, userId: number): Promise<void>;
}

export interface AccountFacts {
  invoices: LedgerInvoice[];
  promises: PromiseRecord[];
  credits: LedgerCredit[];
}

export interface AccountCardFacts extends AccountFacts {
  claims: ClaimRecord[];
  disputes: DisputeRecord[];
  /** Newest first. */
  timeline: TimelineEntry[];
  /** All the account's timeline entries. */
  timelineTotal: number;
}

/** Accounts and invoices as people name them (section 5 matching), and their facts. */
export interface AccountLookup {
  findAccounts(query: string, level: MatchLevel, limit: number): Promise<AccountSummary[]>;
  accountById(id: number): Promise<AccountSummary | null>;
  findInvoices(number: string, limit: number): Promise<InvoiceSummary[]>;
  /** The account's invoices (with snapshots, payments, disputes), promises and credit notes. */
  accountFacts(accountId: number): Promise<AccountFacts>;
  /** What an account card shows, read at once: its facts, active claims, open disputes and one page of its timeline. */
  accountCard(accountId: number, timeline: { limit: number; offset: number }): Promise<AccountCardFacts>;
  /**
   * Section 5's first level and a card at once: the accounts whose external id is
   * `externalId` (as `findAccounts(externalId, "id", limit)`), and the card of the only one
   * when there is only one (else null).
   */
  cardOfExternalId(externalId: string, limit: number, timeline: { limit: number; offset: number }): Promise<{ matches: AccountSummary[]; card: AccountCardFacts | null }>;
  /**
   * Holds the account until the transaction ends, so changes that depend on state no
   * unique index can express (which promise is open) run one after another on every replica.
   */
  lockAccount(accountId: number): Promise<void>;
}

/** Who owns an account for which function (claim, release, mine). */
export interface ClaimStore {
  activeClaims(accountId: number): Promise<ClaimRecord[]>;
  claimsOfUser(userId: number): Promise<(ClaimRecord & { account: AccountSummary })[]>;
  createClaim(claim: { accountId: number; function: TeamFunction; userId: number; at: Date }): Promise<void>;
  releaseClaim(claimId: number, at: Date): Promise<void>;
}

/** Notes and promises-to-pay. */
export interface FollowUpStore {
  addNote(note: { accountId: number; authorId: number; text: string; platform: string; at: Date }): Promise<void>;
  createPromise(promise: { accountId: number; userId: number; currency: string; amountMinor: bigint; createdOn: BusinessDate; promisedOn: BusinessDate; at: Date }): Promise<number>;
  cancelPromise(id: number, at: Date, on: BusinessDate): Promise<void>;
  promisesOfUser(userId: number): Promise<(PromiseRecord & { account: AccountSummary })[]>;
}

export interface DisputeStore {
  openDisputeOf(invoiceId: number): Promise<DisputeRecord | null>;
  createDispute(dispute: { invoiceId: number; accountId: number; reason: string; openedById: number; at: Date; on: BusinessDate }): Promise<void>;
  resolveDispute(id: number, resolvedById: number, at: Date, on: BusinessDate): Promise<void>;
}

export interface EscalationStore {
  createEscalation(escalation: { accountId: number; kind: string; level: number; reason: string | null; raisedById: number | null; targets: EscalationRecord["targets"]; at: Date }): Promise<number>;
  openEscalationsFor(userId: number): Promise<(EscalationRecord & { account: AccountSummary })[]>;
  /** An escalation (manual or automatic), open or closed. */
  escalationById(id: number): Promise<(EscalationRecord & { account: AccountSummary; resolvedAt: Date | null }) | null>;
  /** Whether a channel was asked about a manual escalation (known once it was delivered). */
  setEscalationChannelAsked(id: number, asked: boolean): Promise<void>;
  createSnooze(snooze: { accountId: number; userId: number; on: BusinessDate; until: BusinessDate; reason: string; at: Date }): Promise<void>;
  isEscalationChannel(platform: string, channelId: string): Promise<boolean>;
  saveEscalationChannel(channel: { platform: string; channelId: string; tenantId: string | null; conversationRef: Record<string, unknown> | null; createdById: number }): Promise<void>;
  deleteEscalationChannel(platform: string, channelId: string): Promise<void>;
}

/** Digest subscriptions as the subscribe use case changes them. */
export interface SubscriptionStore extends SubscriptionReader {
  /** One subscription per channel: saving replaces the previous one. */
  saveSubscription(subscription: Omit<Subscription, "id">): Promise<void>;
  deleteSubscription(platform: string, channelId: string): Promise<void>;
}

/** The account timeline and audit trail. */
export interface ActivityLog {
  record(entry: TimelineDraft): Promise<void>;
  /** Latest first; `offset` entries skipped. */
}

/**
 * What the collaboration use cases read and write, bound to one transaction: the stores
 * above together, so one unit of work spans them.
 */
export interface Workspace extends AccountLookup, ClaimStore, FollowUpStore, DisputeStore, EscalationStore, SubscriptionStore, ActivityLog {
  users: UserDirectory;
}

export type Idempotent<T> = { duplicate: true } | { duplicate: false; value: T };

/**
 * Runs work in one transaction. With a key, the key is stored in the same transaction:
 * a repeat of the key changes nothing and reports a duplicate. A write a uniqueness rule
 * refuses because a concurrent transaction won rolls everything back and throws
 * `WriteConflict`.
 */
export interface UnitOfWork {
  run<T>(idempotencyKey: string | null, work: (ws: Workspace) => Promise<T>): Promise<Idempotent<T>>;
  /** Reads without a transaction or a key. */
  read<T>(work: (ws: Workspace) => Promise<T>): Promise<T>;
  /** Stores a request's key on its own (a read's); false when it was stored before and has not expired. */
  firstSeen(idempotencyKey: string): Promise<boolean>;
}
