import { IMPORT_USER_ID } from "../../domain/model/ledger";
import { TeamFunction } from "../../domain/model/team";
import { SweepFacts } from "../../domain/policies/escalation-policy";
import {
  EscalationChannelRef,
  EscalationClaim,
  EscalationDetail,
  EscalationSweepStore,
  OpenEscalation,
  Reachable,
  RecipientDraft,
  StoredRecipient,
} from "../../domain/ports/escalation-sweep.port";
import { toDbDate } from "./dates";
import { Prisma, PrismaClient } from "./generated/client";
import { Sql, dateText, jsonRows } from "./sql-rows";
import { isUniqueViolation } from "./unique-violation";

const OPEN_STATUSES = ["pending", "retry"];

type Row = Prisma.EscalationGetPayload<{ include: { recipients: true; account: { select: { externalId: true; name: true } } } }>;

function toOpen(row: Row): OpenEscalation {
  return {
    id: row.id,
    accountId: row.accountId,
    externalId: row.account.externalId,
    name: row.account.name,
    kind: row.kind,
    episode: row.episode,
    level: row.level,
    state: row.state,
    detail: (row.detail as unknown as EscalationDetail | null) ?? null,
    createdAt: row.createdAt,
    recipients: row.recipients
      .sort((a, b) => a.id - b.id)
      .map(
        (r): StoredRecipient => ({
          id: r.id,
          kind: r.kind as StoredRecipient["kind"],
          userId: r.userId,
          who: r.who,
          platform: r.platform,
          status: r.status as StoredRecipient["status"],
          error: r.error,
        }),
      ),
  };
}

const include = { recipients: true, account: { select: { externalId: true, name: true } } } as const;

/** The sweep's rows: one per (account, episode, level) or dispute, and one per recipient. */
export class PrismaEscalationSweepStore implements EscalationSweepStore {
  constructor(
    private readonly prisma: PrismaClient,
    /** Where the raw reads run (OpenDatabase.reads). */
    private readonly reads: Sql = prisma,
  ) {}

  async sweepFacts(accountIds: readonly number[]): Promise<Pick<SweepFacts, "disputes" | "snoozes" | "history">> {
    // Raw and as one JSON text per table: the sweep asks this of every group of accounts.
    const ids = [...accountIds];
    const [disputes, snoozes, history] = await Promise.all([
      jsonRows<{ id: number; accountId: number; invoiceNumber: string; reason: string; openedById: number; openedOn: string; resolvedOn: string | null }>(
        this.reads,
        `SELECT d."id", d."accountId", i."number" AS "invoiceNumber", d."reason", d."openedById",
                ${dateText('d."openedOn"')} AS "openedOn", ${dateText('d."resolvedOn"')} AS "resolvedOn"
           FROM "Dispute" d JOIN "Invoice" i ON i."id" = d."invoiceId" WHERE d."accountId" = ANY($1::int[]) ORDER BY d."id"`,
        ids,
      ),
      jsonRows<{ accountId: number; on: string; until: string; reason: string }>(
        this.reads,
        `SELECT "accountId", ${dateText('"on"')} AS "on", ${dateText('"until"')} AS "until", "reason" FROM "Snooze" WHERE "accountId" = ANY($1::int[]) ORDER BY "id"`,
        ids,
      ),
      jsonRows<{ accountId: number; episode: string; level: number; sentOn: string }>(
        this.reads,
        // The day a level was claimed; rows from before sentOn was kept count from their creation (a UTC day, as Prisma's Date read it).
        `SELECT "accountId", "episode", "level", COALESCE(${dateText('"sentOn"')}, ${dateText('"createdAt"')}) AS "sentOn"
           FROM "Escalation" WHERE "episode" IS NOT NULL AND "accountId" = ANY($1::int[]) ORDER BY "id"`,
        ids,
      ),
    ]);
    return {
      disputes: disputes.map((d) => ({ ...d, openedById: d.openedById === IMPORT_USER_ID ? null : d.openedById })),
      snoozes,
      history,
    };
  }

  async escalationLadder(): Promise<Pick<SweepFacts, "leads" | "admins">> {
    const [leads, admins] = await Promise.all([
      this.prisma.functionLead.findMany(),
      this.prisma.user.findMany({ where: { role: "admin" }, select: { id: true }, orderBy: { id: "asc" } }),
    ]);
    return { leads: Object.fromEntries(leads.map((l) => [l.function as TeamFunction, l.userId])), admins: admins.map((a) => a.id) };
  }

  async people(userIds: number[]): Promise<Map<number, Reachable>> {
    const users = await this.prisma.user.findMany({ where: { id: { in: [...new Set(userIds)] } }, include: { identities: { select: { platform: true } } } });
    return new Map(
      users.map((u) => [u.id, { userId: u.id, label: u.email ?? u.handle, email: u.email, platforms: [...new Set(u.identities.map((i) => i.platform))].sort() }]),
    );
  }

  async escalationChannels(platforms?: string[]): Promise<EscalationChannelRef[]> {
    const where = platforms ? { platform: { in: platforms } } : {};
    const [subscribed, digests] = await Promise.all([
      this.prisma.escalationChannel.findMany({ where, orderBy: { id: "asc" } }),
      this.prisma.channelSubscription.findMany({ where: { ...where, function: { in: ["finance", "all"] } }, orderBy: { id: "asc" } }),
    ]);
    const withOwn = new Set(subscribed.map((c) => c.platform));
    return [
      ...subscribed.map((c): EscalationChannelRef => ({ platform: c.platform, channelId: c.channelId, source: "escalations" })),
      ...digests.filter((d) => !withOwn.has(d.platform)).map((d): EscalationChannelRef => ({ platform: d.platform, channelId: d.channelId, source: "digest" })),
    ];
  }

  async claim(c: EscalationClaim): Promise<number | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const row = await tx.escalation.create({
          data: {
            accountId: c.accountId,
            kind: c.detail.trigger,
            level: c.detail.level,
            reason: null,
            raisedById: null,
            targets: { userIds: [], channel: false },
            ruleKey: c.key,
            episode: c.episode,
            state: "sending",
            sentOn: toDbDate(c.sentOn),
            idleDays: c.detail.idleDays,
            detail: c.detail as unknown as Prisma.InputJsonValue,
            createdAt: c.at,
          },
        });
        await tx.escalationRecipient.createMany({ data: c.recipients.map((r) => ({ ...r, escalationId: row.id })), skipDuplicates: true });
        return row.id;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null; // another sweep claimed it first
      throw error;
    }
  }

  async undelivered(): Promise<OpenEscalation[]> {
    const rows = await this.prisma.escalation.findMany({
      where: { resolvedAt: null, recipients: { some: { status: { in: OPEN_STATUSES } } } },
      include,
      orderBy: { id: "asc" },
    });
    return rows.map(toOpen);
  }

  async interruptStale(olderThanMs: number): Promise<number[]> {
    // updatedAt is written by this process's real clock, so it is compared with it too.
    const where = { status: "sending", updatedAt: { lt: new Date(Date.now() - olderThanMs) } };
    const stale = await this.prisma.escalationRecipient.findMany({ where, select: { id: true, escalationId: true } });
    if (stale.length === 0) return [];
    await this.prisma.escalationRecipient.updateMany({
      where: { ...where, id: { in: stale.map((r) => r.id) } },
      data: { status: "interrupted", error: "interrupted: the sweep stopped while sending; not resent, so nobody hears it twice" },
    });
    return [...new Set(stale.map((r) => r.escalationId))];
  }

  async escalation(id: number): Promise<OpenEscalation | null> {
    const row = await this.prisma.escalation.findUnique({ where: { id }, include });
    return row ? toOpen(row) : null;
  }

  async addRecipients(escalationId: number, recipients: RecipientDraft[]): Promise<void> {
    await this.prisma.escalationRecipient.createMany({ data: recipients.map((r) => ({ ...r, escalationId })), skipDuplicates: true });
  }

  async startSending(recipientId: number): Promise<boolean> {
    const taken = await this.prisma.escalationRecipient.updateMany({ where: { id: recipientId, status: { in: OPEN_STATUSES } }, data: { status: "sending", attempts: { increment: 1 } } });
    return taken.count === 1;
  }

  async finishRecipient(recipientId: number, status: "sent" | "retry" | "failed" | "unreachable", error: string | null): Promise<void> {
    await this.prisma.escalationRecipient.update({ where: { id: recipientId }, data: { status, error } });
  }

  async settle(escalationId: number, at: Date): Promise<void> {
    const row = await this.prisma.escalation.findUnique({ where: { id: escalationId }, include });
    if (!row) return;
    const escalation = toOpen(row);
    const open = escalation.recipients.filter((r) => ["pending", "retry", "sending"].includes(r.status));
    if (open.length > 0) {
      await this.prisma.escalation.updateMany({ where: { id: escalationId, state: "sending" }, data: { state: "retry" } });
      return;
    }
    // An interrupted send may have arrived: it counts as told, said as such on the timeline.
    const sent = escalation.recipients.filter((r) => r.status === "sent" || r.status === "interrupted");
    const state = sent.length > 0 ? "sent" : "nobody";
    const userIds = [...new Set(sent.filter((r) => r.userId !== null).map((r) => r.userId!))];
    await this.prisma.$transaction(async (tx) => {
      const settled = await tx.escalation.updateMany({
        where: { id: escalationId, state: { in: ["sending", "retry"] } },
        data: { state, targets: { userIds, channel: sent.some((r) => r.kind === "channel") } },
      });
      if (settled.count !== 1) return; // settled by another sweep: its timeline entry stands
      const label = (r: StoredRecipient) => (r.kind === "channel" ? `channel ${r.who}` : r.who) + (r.platform ? ` (${r.platform})` : "");
      const notReached = escalation.recipients.filter((r) => r.status !== "sent");
      await tx.activity.create({
        data: {
          accountId: escalation.accountId,
          actorUserId: null,
          actor: "arbot",
          platform: "arbot",
          human: false,
          kind: state === "sent" ? "escalation_sent" : "escalation_unsent",
          subject: escalation.detail?.trigger ?? escalation.kind,
          after: {
            level: escalation.level,
            trigger: escalation.detail?.trigger ?? escalation.kind,
            to: [...new Set(sent.map((r) => (r.status === "interrupted" ? `${label(r)} (interrupted while sending: may not have arrived)` : label(r))))],
            ...(notReached.length > 0 ? { notReached: [...new Set(notReached.map((r) => `${label(r)}: ${r.error ?? r.status}`))] } : {}),
          },
          at,
        },
      });
    });
  }

  async closeEnded(current: Map<number, Set<string>>, settled: Set<number>, at: Date): Promise<number> {
    const open = await this.prisma.escalation.findMany({ where: { resolvedAt: null }, select: { id: true, accountId: true, episode: true } });
    const ended = open.filter((e) => (e.episode === null ? settled.has(e.accountId) : !current.get(e.accountId)?.has(e.episode))).map((e) => e.id);
    if (ended.length === 0) return 0;
    const closed = await this.prisma.escalation.updateMany({ where: { id: { in: ended }, resolvedAt: null }, data: { resolvedAt: at } });
    return closed.count;
  }
}
