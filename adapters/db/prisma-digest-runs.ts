import { randomUUID } from "node:crypto";
import { DigestRun } from "../../domain/model/subscription";
import { DigestRunStore } from "../../domain/ports/digest-runs.port";
import { fromDbDate, toDbDate } from "./dates";
import { PrismaClient } from "./generated/client";
import { toSubscription } from "./prisma-workspace";
import { isUniqueViolation } from "./unique-violation";

type RunKey = { platform: string; channelId: string; localDate: string; part: number };

function toRun(row: {
  id: number;
  runId: string;
  platform: string;
  channelId: string;
  localDate: Date;
  part: number;
  state: string;
  leaseUntil: Date | null;
  attempts: number;
  messageRef: string | null;
  error: string | null;
}): DigestRun {
  return { ...row, localDate: fromDbDate(row.localDate), state: row.state as DigestRun["state"] };
}

/** Run rows shared by every replica: the unique (channel, local date, part) makes a post happen once. */
export class PrismaDigestRunStore implements DigestRunStore {
  constructor(private readonly prisma: PrismaClient) {}

  async subscriptions(platform?: string) {
    const rows = await this.prisma.channelSubscription.findMany({ where: platform ? { platform } : {}, orderBy: { id: "asc" } });
    return rows.map(toSubscription);
  }

  async subscriptionOf(platform: string, channelId: string) {
    const row = await this.prisma.channelSubscription.findUnique({ where: { platform_channelId: { platform, channelId } } });
    return row ? toSubscription(row) : null;
  }

  private where(key: RunKey) {
    return { platform_channelId_localDate_part: { platform: key.platform, channelId: key.channelId, localDate: toDbDate(key.localDate), part: key.part } };
  }

  async run(key: RunKey): Promise<DigestRun | null> {
    const row = await this.prisma.digestRun.findUnique({ where: this.where(key) });
    return row ? toRun(row) : null;
  }

  async runOfMessage(platform: string, channelId: string, messageRef: string): Promise<DigestRun | null> {
    const row = await this.prisma.digestRun.findFirst({ where: { platform, channelId, messageRef } });
    return row ? toRun(row) : null;
  }

  async lease(key: RunKey, now: Date, leaseMs: number) {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    try {
      const created = await this.prisma.digestRun.create({
        data: { runId: randomUUID(), platform: key.platform, channelId: key.channelId, localDate: toDbDate(key.localDate), part: key.part, state: "leased", leaseUntil, attempts: 1 },
      });
      return { run: toRun(created), takenOver: false };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    // The row exists: take it over only if its holder's lease ran out (a crash or a retry).
    const existing = await this.prisma.digestRun.findUnique({ where: this.where(key) });
    if (!existing || existing.state !== "leased" || (existing.leaseUntil && existing.leaseUntil > now)) return null;
    const taken = await this.prisma.digestRun.updateMany({
      where: { id: existing.id, state: "leased", leaseUntil: existing.leaseUntil },
      data: { leaseUntil, attempts: { increment: 1 } },
    });
    if (taken.count !== 1) return null;
    return { run: toRun({ ...existing, leaseUntil, attempts: existing.attempts + 1 }), takenOver: true };
  }

  async stillHeld(runId: string, lease: Date, now: Date): Promise<boolean> {
    const row = await this.prisma.digestRun.findUnique({ where: { runId }, select: { state: true, leaseUntil: true } });
    return (row?.state === "leased" || row?.state === "sending") && row.leaseUntil?.getTime() === lease.getTime() && lease > now;
  }

  async renew(runId: string, lease: Date, now: Date, leaseMs: number): Promise<Date | null> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    return (await this.holderWrites(runId, lease, { leaseUntil, updatedAt: now })) ? leaseUntil : null;
  }

  private async holderWrites(runId: string, lease: Date, data: Parameters<PrismaClient["digestRun"]["updateMany"]>[0]["data"]): Promise<boolean> {
    const updated = await this.prisma.digestRun.updateMany({ where: { runId, state: { in: ["leased", "sending"] }, leaseUntil: lease }, data });
    return updated.count === 1;
  }

  markSending(runId: string, lease: Date, now: Date): Promise<boolean> {
    return this.holderWrites(runId, lease, { state: "sending", updatedAt: now });
  }

  async markInterrupted(runId: string, now: Date): Promise<boolean> {
    const updated = await this.prisma.digestRun.updateMany({
      where: { runId, state: "sending", leaseUntil: { lte: now } },
      data: { state: "interrupted", error: "interrupted while posting; not posted again (the platform offers no history to check)", leaseUntil: null, updatedAt: now },
    });
    return updated.count === 1;
  }

  markPosted(runId: string, lease: Date, messageRef: string, now: Date): Promise<boolean> {
    return this.holderWrites(runId, lease, { state: "posted", messageRef, leaseUntil: null, error: null, updatedAt: now });
  }

  markFailed(runId: string, lease: Date, error: string, now: Date): Promise<boolean> {
    return this.holderWrites(runId, lease, { state: "failed", error, leaseUntil: null, updatedAt: now });
  }

  release(runId: string, lease: Date, error: string, now: Date): Promise<boolean> {
    // A post the platform refused (429, 5xx) did not happen: the run is free to lease again.
    return this.holderWrites(runId, lease, { state: "leased", leaseUntil: now, error, updatedAt: now });
  }
}
