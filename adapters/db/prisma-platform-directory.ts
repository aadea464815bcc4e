import { PlatformDirectory } from "../../domain/ports/platform-directory.port";
import { PrismaClient } from "./generated/client";

/**
 * Platform user ids by email, for mentions: linked chat identities first, then the cached
 * result of a lookup (Slack users.lookupByEmail), including "not found" for a day.
 */
export class PrismaPlatformDirectory implements PlatformDirectory {
  constructor(private readonly prisma: PrismaClient) {}

  /** email → platform user id (null: looked up recently and not found); missing: unknown. */
  async known(platform: string, emails: string[], freshSince: Date): Promise<Map<string, string | null>> {
    const result = new Map<string, string | null>();
    if (emails.length === 0) return result;
    const identities = await this.prisma.chatIdentity.findMany({
      where: { platform, user: { email: { in: emails } } },
      select: { platformUserId: true, user: { select: { email: true } } },
    });
    for (const identity of identities) result.set(identity.user.email!, identity.platformUserId);
    const cached = await this.prisma.platformUserLookup.findMany({ where: { platform, email: { in: emails.filter((e) => !result.has(e)) } } });
    for (const row of cached) {
      if (row.platformUserId !== null || row.checkedAt >= freshSince) result.set(row.email, row.platformUserId);
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
