/** A conversation a platform posts to through a stored reference (Teams). */
export interface StoredConversation {
  platform: string;
  conversationId: string;
  tenantId: string | null;
  teamId: string | null;
  kind: "channel" | "groupChat" | "personal";
  /** A personal chat's person (their platform user id). */
  userId: string | null;
  reference: Record<string, unknown>;
  disabled: boolean;
}

/**
 * Where arbot was installed or spoken to, on platforms without a "post to channel X" call:
 * each conversation's reference, kept for proactive posts (digests, escalations). Removing
 * the bot disables a conversation (or a whole team); installing it again enables it.
 */
export interface ChatConversationStore {
  /** Stores (or refreshes and enables) a conversation's reference. */
  save(conversation: Omit<StoredConversation, "disabled">, now: Date): Promise<void>;
  /** The bot was removed: the conversation, or every conversation of the team when `teamId` is given. */
  disable(platform: string, where: { conversationId: string } | { teamId: string }, now: Date): Promise<number>;
  find(platform: string, conversationId: string): Promise<StoredConversation | null>;
  /** The personal chat with a person, when arbot has one. */
  personalOf(platform: string, userId: string): Promise<StoredConversation | null>;
  /** Any enabled conversation of a tenant (or any at all): where a new 1:1 chat can be created from. */
  anyOf(platform: string, tenantId: string | null): Promise<StoredConversation | null>;
}
