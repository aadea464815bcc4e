import { ChatConversationStore, StoredConversation } from "../../domain/ports/chat-conversations.port";
import { Prisma, PrismaClient } from "./generated/client";

type Row = { platform: string; conversationId: string; tenantId: string | null; teamId: string | null; kind: string; userId: string | null; reference: unknown; disabled: boolean };

function toConversation(row: Row): StoredConversation {
  return { ...row, kind: row.kind as StoredConversation["kind"], reference: row.reference as Record<string, unknown> };
}

/** The stored conversation references of platforms that post through them (Teams). */
export class PrismaChatConversations implements ChatConversationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async save(c: Omit<StoredConversation, "disabled">, now: Date): Promise<void> {
    const data = { tenantId: c.tenantId, teamId: c.teamId, kind: c.kind, userId: c.userId, reference: c.reference as Prisma.InputJsonValue, disabled: false, updatedAt: now };
    await this.prisma.chatConversation.upsert({
      where: { platform_conversationId: { platform: c.platform, conversationId: c.conversationId } },
      create: { platform: c.platform, conversationId: c.conversationId, ...data, createdAt: now },
      update: data,
    });
  }

  async disable(platform: string, where: { conversationId: string } | { teamId: string }, now: Date): Promise<number> {
    const filter = "teamId" in where ? { platform, teamId: where.teamId } : { platform, conversationId: where.conversationId };
    return (await this.prisma.chatConversation.updateMany({ where: filter, data: { disabled: true, updatedAt: now } })).count;
  }

  async find(platform: string, conversationId: string): Promise<StoredConversation | null> {
    const row = await this.prisma.chatConversation.findUnique({ where: { platform_conversationId: { platform, conversationId } } });
    return row ? toConversation(row) : null;
  }

  async personalOf(platform: string, userId: string): Promise<StoredConversation | null> {
    const row = await this.prisma.chatConversation.findFirst({ where: { platform, userId, kind: "personal", disabled: false }, orderBy: { updatedAt: "desc" } });
    return row ? toConversation(row) : null;
  }

  async anyOf(platform: string, tenantId: string | null): Promise<StoredConversation | null> {
    const row =
      (tenantId ? await this.prisma.chatConversation.findFirst({ where: { platform, tenantId, disabled: false }, orderBy: { updatedAt: "desc" } }) : null) ??
      (await this.prisma.chatConversation.findFirst({ where: { platform, disabled: false }, orderBy: { updatedAt: "desc" } }));
    return row ? toConversation(row) : null;
  }
}
