import { WriteConflict } from "../../domain/model/app-error";
import { Subscription } from "../../domain/model/subscription";
import { TeamFunction, Role } from "../../domain/model/team";
import { IMPORT_USER_ID } from "../../domain/model/ledger";
import {
  AccountSummary,
  ClaimRecord,
  DisputeRecord,
  EscalationRecord,
  Idempotent,
  IdentityInput,
  InvoiceSummary,
  MatchLevel,
  PromiseRecord,
  TimelineDraft,
  UnitOfWork,
  UserDirectory,
  UserRecord,
  UserWithIdentity,
  Workspace,
} from "../../domain/ports/workspace.port";
import { fromDbDate, fromDbDateOrNull, toDbDate } from "./dates";
import type { Prisma, PrismaClient } from "./generated/client";
import { cardOfMatchStatement, selectAccountCard, selectAccountFacts, selectActiveClaims, selectCardOfMatch } from "./sql-account-facts";
import { likeLiteral } from "./like-literal";
import { Sql, dbTimestamp } from "./sql-rows";
import { isUniqueViolation, violatedConstraint } from "./unique-violation";

/**
 * Prisma's JSON null, from the generated client, which loads with the client's first use
 * (open-database.ts) rather than with this module.
 */
function dbNull(): typeof Prisma.DbNull {
  return (require("./generated/client") as typeof import("./generated/client")).Prisma.DbNull;
}

/** The partial unique indexes of the migrations that settle simultaneous changes. */
const CONCURRENCY_RULES = new Set(["OwnershipClaim_one_active_per_function", "Dispute_one_open_per_invoice"]);

type Db = PrismaClient | Prisma.TransactionClient;

const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
const accountSelect = { id: true, externalId: true, name: true, segment: true, tier: true, region: true } as const;
const userSelect = { id: true, handle: true, email: true, displayName: true, role: true } as const;

function toUser(u: { id: number; handle: string; email: string | null; displayName: string | null; role: string }): UserRecord {
  return { id: u.id, handle: u.handle, email: u.email, displayName: u.displayName, role: u.role as Role };
}

function json(value: Record<string, unknown> | null): Prisma.InputJsonValue | undefined {
  return (value ?? undefined) as Prisma.InputJsonValue | undefined;
}

class PrismaUserDirectory implements UserDirectory {
  constructor(
    private readonly db: Db,
    private readonly sql: Sql,
  ) {}

  /** Raw: every chat request asks it first. */
  async findByIdentity(platform: string, platformUserId: string): Promise<UserWithIdentity | null> {
    const [found] = await this.sql.$queryRawUnsafe<(UserRecord & { isGuest: boolean; isExternal: boolean })[]>(
      `SELECT u."id", u."handle", u."email", u."displayName", u."role"::text AS "role", c."isGuest", c."isExternal"
         FROM "ChatIdentity" c JOIN "User" u ON u."id" = c."userId" WHERE c."platform" = $1 AND c."platformUserId" = $2`,
      platform,
      platformUserId,
    );
    return found ? { ...toUser(found), isGuest: found.isGuest, isExternal: found.isExternal } : null;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const user = await this.db.user.findUnique({ where: { email: email.toLowerCase() }, select: userSelect });
    return user ? toUser(user) : null;
  }

  async findByHandle(handle: string): Promise<UserRecord | null> {
    const user = await this.db.user.findUnique({ where: { handle }, select: userSelect });
    return user ? toUser(user) : null;
  }

  async findById(id: number): Promise<UserRecord | null> {
    const user = await this.db.user.findUnique({ where: { id }, select: userSelect });
    return user ? toUser(user) : null;
  }

  async linkIdentity(identity: IdentityInput, create: { handle: string; role: Role }, at: Date): Promise<UserWithIdentity> {
    const flags = { isGuest: identity.isGuest, isExternal: identity.isExternal, tenantId: identity.tenantId, lastSeenAt: at };
    const existing = await this.db.chatIdentity.findUnique({
      where: { platform_platformUserId: { platform: identity.platform, platformUserId: identity.platformUserId } },
    });
    if (existing) {
      let userId = existing.userId;
      const current = await this.db.user.findUniqueOrThrow({ where: { id: userId }, select: userSelect });
      if (identity.email && !current.email) {
        // First seen without an email (the platform's lookup failed): now that it is known,
        // the identity joins the user of that email, or its user takes the email.
        const owner = await this.db.user.findUnique({ where: { email: identity.email }, select: { id: true } });
        if (owner) userId = owner.id;
        else await this.db.user.update({ where: { id: userId }, data: { email: identity.email } });
      }
      const updated = await this.db.chatIdentity.update({ where: { id: existing.id }, data: { ...flags, userId }, include: { user: { select: userSelect } } });
      if (identity.displayName && !updated.user.displayName) await this.db.user.update({ where: { id: updated.userId }, data: { displayName: identity.displayName } });
      return { ...toUser(updated.user), isGuest: updated.isGuest, isExternal: updated.isExternal };
    }
    const user =
      (identity.email ? await this.db.user.findUnique({ where: { email: identity.email }, select: userSelect }) : null) ??
      (await this.db.user.findUnique({ where: { handle: create.handle }, select: userSelect })) ??
      (await this.db.user.create({ data: { handle: create.handle, email: identity.email, displayName: identity.displayName, role: create.role }, select: userSelect }));
    const linked = await this.db.chatIdentity.create({
      data: { platform: identity.platform, platformUserId: identity.platformUserId, userId: user.id, ...flags },
    });
    return { ...toUser(user), isGuest: linked.isGuest, isExternal: linked.isExternal };
  }

  async setRole(userId: number, role: Role): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { role } });
  }

  async createUser(user: { handle: string; email: string | null; displayName: string | null; role: Role }): Promise<UserRecord> {
    return toUser(await this.db.user.create({ data: user, select: userSelect }));
  }

  async listUsers() {
    const users = await this.db.user.findMany({ select: { ...userSelect, identities: { select: { platform: true, platformUserId: true } } }, orderBy: { id: "asc" } });
    return users.map((u) => ({ ...toUser(u), identities: u.identities }));
  }

  async leads(): Promise<Partial<Record<TeamFunction, UserRecord>>> {
    const rows = await this.db.functionLead.findMany({ include: { user: { select: userSelect } } });
    return Object.fromEntries(rows.map((r) => [r.function, toUser(r.user)]));
  }

  async setLead(fn: TeamFunction, userId: number): Promise<void> {
    await this.db.functionLead.upsert({ where: { function: fn }, create: { function: fn, userId }, update: { userId } });
  }
}

/**
 * The four levels of section 5, ignoring case as ILIKE does (lower() on both sides), so the
 * expression indexes on lower(externalId) and lower(name) serve the first three. `$1` is the
 * query as typed for the exact levels, escaped for the patterns (see likeLiteral): what a
 * person typed matches as written.
 */
const LEVEL_FILTERS: Record<MatchLevel, { where: string; pattern: boolean }> = {
  id: { where: `lower("externalId") = lower($1)`, pattern: false },
  name: { where: `lower("name") = lower($1)`, pattern: false },
  prefix: { where: `lower("name") LIKE lower($1) || '%'`, pattern: true },
  substring: { where: `lower("name") LIKE '%' || lower($1) || '%'`, pattern: true },
};

/** An `AccountSummary`'s columns. */
const ACCOUNT_COLUMNS = `"id", "externalId", "name", "segment", "tier", "region"`;

/** A card asked for by customer id: the first level's matches and, when one, its card. */
const CARD_OF_EXTERNAL_ID = cardOfMatchStatement(ACCOUNT_COLUMNS, LEVEL_FILTERS.id.where);

export class PrismaWorkspace implements Workspace {
  readonly users: UserDirectory;

  /** `sql`: where the raw reads run (the transaction's client in one, else the direct reads). */
  constructor(
    private readonly db: Db,
    private readonly sql: Sql = db,
  ) {
    this.users = new PrismaUserDirectory(db, sql);
  }

  findAccounts(query: string, level: MatchLevel, limit: number): Promise<AccountSummary[]> {
    return this.sql.$queryRawUnsafe<AccountSummary[]>(
      `SELECT ${ACCOUNT_COLUMNS} FROM "Account" WHERE ${LEVEL_FILTERS[level].where} ORDER BY "name", "id" LIMIT $2::int`,
      LEVEL_FILTERS[level].pattern ? likeLiteral(query) : query,
      limit,
    );
  }

  accountById(id: number): Promise<AccountSummary | null> {
    return this.db.account.findUnique({ where: { id }, select: accountSelect });
  }

  findInvoices(number: string, limit: number): Promise<InvoiceSummary[]> {
    return this.db.invoice.findMany({
      where: { number: { equals: likeLiteral(number), mode: "insensitive" } },
      select: { id: true, number: true, accountId: true, currency: true },
      take: limit,
    });
  }

  accountFacts(accountId: number) {
    return selectAccountFacts(this.sql, accountId);
  }

  accountCard(accountId: number, timeline: { limit: number; offset: number }) {
    return selectAccountCard(this.sql, accountId, timeline);
  }

  cardOfExternalId(externalId: string, limit: number, timeline: { limit: number; offset: number }) {
    return selectCardOfMatch<AccountSummary>(this.sql, CARD_OF_EXTERNAL_ID, externalId, limit, timeline);
  }

  async lockAccount(accountId: number): Promise<void> {
    await this.db.$queryRaw`SELECT 1 FROM "Account" WHERE "id" = ${accountId} FOR UPDATE`;
  }

  activeClaims(accountId: number): Promise<ClaimRecord[]> {
    return selectActiveClaims(this.sql, accountId);
  }

  async claimsOfUser(userId: number) {
    const rows = await this.db.ownershipClaim.findMany({
      where: { userId, releasedAt: null },
      include: { user: { select: userSelect }, account: { select: accountSelect } },
      orderBy: [{ function: "asc" }, { claimedAt: "asc" }],
    });
    return rows.map((c) => ({ id: c.id, accountId: c.accountId, function: c.function as TeamFunction, user: toUser(c.user), claimedAt: c.claimedAt, source: c.source, account: c.account }));
  }

  async createClaim(claim: { accountId: number; function: TeamFunction; userId: number; at: Date }): Promise<void> {
    await this.db.ownershipClaim.create({ data: { accountId: claim.accountId, function: claim.function, userId: claim.userId, source: "chat", claimedAt: claim.at } });
  }

  async releaseClaim(claimId: number, at: Date): Promise<void> {
    await this.db.ownershipClaim.update({ where: { id: claimId }, data: { releasedAt: at } });
  }

  async addNote(note: { accountId: number; authorId: number; text: string; platform: string; at: Date }): Promise<void> {
    await this.db.note.create({ data: { accountId: note.accountId, authorId: note.authorId, text: note.text, platform: note.platform, createdAt: note.at } });
  }

  async createPromise(p: { accountId: number; userId: number; currency: string; amountMinor: bigint; createdOn: string; promisedOn: string; at: Date }): Promise<number> {
    const created = await this.db.paymentPromise.create({
      data: { accountId: p.accountId, userId: p.userId, currency: p.currency, amountMinor: p.amountMinor, createdOn: toDbDate(p.createdOn), promisedOn: toDbDate(p.promisedOn), createdAt: p.at },
    });
    return created.id;
  }

  async cancelPromise(id: number, at: Date, on: string): Promise<void> {
    await this.db.paymentPromise.update({ where: { id }, data: { cancelledAt: at, cancelledOn: toDbDate(on) } });
  }

  async promisesOfUser(userId: number) {
    const rows = await this.db.paymentPromise.findMany({ where: { userId, cancelledAt: null }, include: { account: { select: accountSelect } }, orderBy: { promisedOn: "asc" } });
    return rows.map((p) => ({ ...toPromise(p), account: p.account }));
  }

  async openDisputeOf(invoiceId: number): Promise<DisputeRecord | null> {
    const [found] = await this.disputes({ invoiceId, resolvedAt: null });
    return found ?? null;
  }

  private async disputes(where: Prisma.DisputeWhereInput): Promise<DisputeRecord[]> {
    const rows = await this.db.dispute.findMany({ where, include: { invoice: { select: { number: true } } }, orderBy: { openedAt: "asc" } });
    const openers = await this.db.user.findMany({ where: { id: { in: rows.map((r) => r.openedById) } }, select: userSelect });
    const label = new Map(openers.map((u) => [u.id, u.email ?? u.handle]));
    return rows.map((d) => ({
      id: d.id,
      invoiceId: d.invoiceId,
      invoiceNumber: d.invoice.number,
      accountId: d.accountId,
      reason: d.reason,
      openedBy: d.openedById === IMPORT_USER_ID ? "the ERP export" : label.get(d.openedById) ?? "someone",
      openedAt: d.openedAt,
      openedOn: fromDbDate(d.openedOn),
    }));
  }

  async createDispute(d: { invoiceId: number; accountId: number; reason: string; openedById: number; at: Date; on: string }): Promise<void> {
    await this.db.dispute.create({ data: { invoiceId: d.invoiceId, accountId: d.accountId, reason: d.reason, openedById: d.openedById, openedAt: d.at, openedOn: toDbDate(d.on) } });
  }

  async resolveDispute(id: number, resolvedById: number, at: Date, on: string): Promise<void> {
    await this.db.dispute.update({ where: { id }, data: { resolvedById, resolvedAt: at, resolvedOn: toDbDate(on) } });
  }

  async createEscalation(e: { accountId: number; kind: string; level: number; reason: string | null; raisedById: number | null; targets: EscalationRecord["targets"]; at: Date }): Promise<number> {
    const created = await this.db.escalation.create({
      data: { accountId: e.accountId, kind: e.kind, level: e.level, reason: e.reason, raisedById: e.raisedById, targets: e.targets as unknown as Prisma.InputJsonValue, createdAt: e.at },
    });
    return created.id;
  }

  async openEscalationsFor(userId: number) {
    const rows = await this.db.escalation.findMany({
      where: { resolvedAt: null, targets: { path: ["userIds"], array_contains: [userId] } },
      include: { account: { select: accountSelect } },
      orderBy: { createdAt: "desc" },
    });
    return rows.map((e) => ({ id: e.id, accountId: e.accountId, kind: e.kind, level: e.level, reason: e.reason, targets: e.targets as unknown as EscalationRecord["targets"], createdAt: e.createdAt, account: e.account }));
  }

  async escalationById(id: number) {
    const e = await this.db.escalation.findUnique({ where: { id }, include: { account: { select: accountSelect } } });
    if (!e) return null;
    return { id: e.id, accountId: e.accountId, kind: e.kind, level: e.level, reason: e.reason, targets: e.targets as unknown as EscalationRecord["targets"], createdAt: e.createdAt, account: e.account, resolvedAt: e.resolvedAt };
  }

  async setEscalationChannelAsked(id: number, asked: boolean): Promise<void> {
    const row = await this.db.escalation.findUnique({ where: { id }, select: { targets: true } });
    if (!row) return;
    const targets = row.targets as unknown as EscalationRecord["targets"];
    await this.db.escalation.update({ where: { id }, data: { targets: { ...targets, channel: asked } as unknown as Prisma.InputJsonValue } });
  }

  async createSnooze(s: { accountId: number; userId: number; on: string; until: string; reason: string; at: Date }): Promise<void> {
    await this.db.snooze.create({ data: { accountId: s.accountId, userId: s.userId, on: toDbDate(s.on), until: toDbDate(s.until), reason: s.reason, createdAt: s.at } });
  }

  async isEscalationChannel(platform: string, channelId: string): Promise<boolean> {
    return (await this.db.escalationChannel.count({ where: { platform, channelId } })) > 0;
  }

  async saveEscalationChannel(c: { platform: string; channelId: string; tenantId: string | null; conversationRef: Record<string, unknown> | null; createdById: number }): Promise<void> {
    const data = { tenantId: c.tenantId, createdById: c.createdById, conversationRef: (c.conversationRef ?? dbNull()) as Prisma.InputJsonValue };
    await this.db.escalationChannel.upsert({ where: { platform_channelId: { platform: c.platform, channelId: c.channelId } }, create: { platform: c.platform, channelId: c.channelId, ...data }, update: data });
  }

  async deleteEscalationChannel(platform: string, channelId: string): Promise<void> {
    await this.db.escalationChannel.deleteMany({ where: { platform, channelId } });
  }

  async subscriptionOf(platform: string, channelId: string): Promise<Subscription | null> {
    const row = await this.db.channelSubscription.findUnique({ where: { platform_channelId: { platform, channelId } } });
    return row ? toSubscription(row) : null;
  }

  async saveSubscription(s: Omit<Subscription, "id">): Promise<void> {
    const data = {
      tenantId: s.tenantId,
      function: s.scope,
      localTime: s.localTime,
      timeZone: s.timeZone,
      createdById: s.createdById,
      conversationRef: (s.conversationRef ?? dbNull()) as Prisma.InputJsonValue,
    };
    await this.db.channelSubscription.upsert({
      where: { platform_channelId: { platform: s.platform, channelId: s.channelId } },
      create: { platform: s.platform, channelId: s.channelId, ...data },
      update: data,
    });
  }

  async deleteSubscription(platform: string, channelId: string): Promise<void> {
    await this.db.channelSubscription.deleteMany({ where: { platform, channelId } });
  }

  async record(entry: TimelineDraft): Promise<void> {
    await this.db.activity.create({ data: { ...entry, before: json(entry.before), after: json(entry.after) } });
    // A person acting on the account ends the episode: its escalations close (section 10).
    if (entry.human && entry.accountId !== null) {
      await this.db.escalation.updateMany({ where: { accountId: entry.accountId, resolvedAt: null, createdAt: { lt: entry.at } }, data: { resolvedAt: entry.at } });
    }
  }

}

export function toSubscription(row: {
  id: number;
  platform: string;
  channelId: string;
  tenantId: string | null;
  function: string;
  localTime: string;
  timeZone: string;
  createdById: number;
  conversationRef: unknown;
}): Subscription {
  return {
    id: row.id,
    platform: row.platform,
    channelId: row.channelId,
    tenantId: row.tenantId,
    scope: row.function as Subscription["scope"],
    localTime: row.localTime,
    timeZone: row.timeZone,
    createdById: row.createdById,
    conversationRef: (row.conversationRef as Record<string, unknown> | null) ?? null,
  };
}

function toPromise(p: { id: number; accountId: number; userId: number; currency: string; amountMinor: bigint; createdOn: Date; promisedOn: Date; cancelledOn: Date | null }): PromiseRecord {
  return {
    id: p.id,
    accountId: p.accountId,
    userId: p.userId,
    currency: p.currency,
    amountMinor: p.amountMinor,
    createdOn: fromDbDate(p.createdOn),
    promisedOn: fromDbDate(p.promisedOn),
    cancelledOn: fromDbDateOrNull(p.cancelledOn),
  };
}

class DuplicateKey extends Error {}

/**
 * Stores the key, or replaces an expired one, in one raw statement; false when it is there and
 * unexpired. A concurrent writer of the same key waits on the primary key until the first
 * commits, then sees it: one of them is the first.
 */
async function storeKey(db: Sql, key: string, now: Date): Promise<boolean> {
  const stored = await db.$queryRawUnsafe<unknown[]>(
    `INSERT INTO "IdempotencyKey" ("key", "createdAt", "expiresAt") VALUES ($1, $2::timestamp, $3::timestamp)
     ON CONFLICT ("key") DO UPDATE SET "createdAt" = EXCLUDED."createdAt", "expiresAt" = EXCLUDED."expiresAt", "outcome" = NULL
     WHERE "IdempotencyKey"."expiresAt" <= EXCLUDED."createdAt"
     RETURNING 1`,
    key,
    dbTimestamp(now),
    dbTimestamp(new Date(now.getTime() + IDEMPOTENCY_TTL_MS)),
  );
  return stored.length === 1;
}

/** Transactions with the idempotency key stored inside them (ARCHITECTURE.md section 9). */
export class PrismaUnitOfWork implements UnitOfWork {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => Date,
    /** Raw reads outside transactions (OpenDatabase.reads). */
    private readonly reads: Sql = prisma,
  ) {}

  read<T>(work: (ws: Workspace) => Promise<T>): Promise<T> {
    return work(new PrismaWorkspace(this.prisma, this.reads));
  }

  async run<T>(idempotencyKey: string | null, work: (ws: Workspace) => Promise<T>): Promise<Idempotent<T>> {
    try {
      const value = await this.prisma.$transaction(
        async (tx) => {
          if (idempotencyKey !== null && !(await storeKey(tx, idempotencyKey, this.now()))) throw new DuplicateKey();
          return work(new PrismaWorkspace(tx));
        },
        { maxWait: 10_000, timeout: 30_000 },
      );
      return { duplicate: false, value };
    } catch (error) {
      // The key was stored before (a concurrent replica's insert is waited for, then seen):
      // that request did the work.
      if (error instanceof DuplicateKey) return { duplicate: true };
      // A partial unique index (one active owner, one open dispute) refused a concurrent
      // write. Any other violation is a bug to log, not a race to retry.
      if (isUniqueViolation(error) && CONCURRENCY_RULES.has(violatedConstraint(error) ?? "")) throw new WriteConflict();
      throw error;
    }
  }

  async firstSeen(idempotencyKey: string): Promise<boolean> {
    return storeKey(this.reads, idempotencyKey, this.now());
  }
}
