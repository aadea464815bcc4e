import { PlatformDirectory } from "../../domain/ports/platform-directory.port";
import { PrismaClient } from "./generated/client";
import { Sql, dbTimestamp } from "./sql-rows";

/**
 * Platform user ids by email, for mentions: linked chat identities first, then the cached
 * result of a lookup (Slack users.lookupByEmail), including "not found" for a day.
 */
export class PrismaPlatformDirectory implements PlatformDirectory {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly reads: Sql = prisma,
  ) {}

  /** email → platform user id (null: looked up recently and not found); missing: unknown. */
  async known(platform: string, emails: string[], freshSince: Date): Promise<Map<string, string | null>> {
    const result = new Map<string, string | null>();
    if (emails.length === 0) return result;
    // Raw, one round trip: every digest and card with owners asks it.
    const rows = await this.reads.$queryRawUnsafe<{ email: string; platformUserId: string | null; linked: boolean; fresh: boolean }[]>(
      `SELECT u."email", c."platformUserId", true AS "linked", true AS "fresh"
         FROM "ChatIdentity" c JOIN "User" u ON u."id" = c."userId" WHERE c."platform" = $1 AND u."email" = ANY($2::text[])
       UNION ALL
       SELECT l."email", l."platformUserId", false, l."checkedAt" >= $3::timestamp
         FROM "PlatformUserLookup" l WHERE l."platform" = $1 AND l."email" = ANY($2::text[])`,
      platform,
      emails,
      dbTimestamp(freshSince),
    );
    for (const row of rows) if (row.linked) result.set(row.email, row.platformUserId);
    for (const row of rows) {
      if (!row.linked && !result.has(row.email) && (row.platformUserId !== null || row.fresh)) result.set(row.email, row.platformUserId);
    }
    return result;
  }

  async remember(platform: string, email: string, platformUserId: string | null, at: Date): Promise<void> {
    await this.prisma.platformUserLookup.upsert({
      where: { platform_email: { platform, email } },
      create: { platform, email, platformUserId, checkedAt: at },
      update: { platformUserId, checkedAt: at },
    });
  }

  /** The platform id of an arbot user, when they have used that platform. */
  async idOfUser(platform: string, userId: number): Promise<string | null> {
    const identity = await this.prisma.chatIdentity.findFirst({ where: { platform, userId }, select: { platformUserId: true } });
    return identity?.platformUserId ?? null;
  }
}
