import type { Application } from "express";
import { DigestTarget } from "../../domain/model/delivery";
import { PermanentDeliveryError, UserRef } from "../../domain/ports/notifier.port";
import { ChatNotifier, ChatPlatform, PlatformFailure } from "../../bot/platform/chat-platform";
import { DigestView } from "../../bot/views/digest-view";
import { EscalationView } from "../../bot/views/escalation-view";

/** Everything a platform was asked to send, in order. */
export type Sent =
  | { kind: "digest"; channelId: string; runId: string; accounts: number; asOf: string }
  | { kind: "ping"; userId: number; accountId: string; reason: string | null }
  | { kind: "ask"; channelId: string; accountId: string; unreachedOwners: string[] }
  | { kind: "announce"; channelId: string; text: string }
  | { kind: "digestFailed"; userId: number; channelId: string; reason: string };

/** A fake platform error, read the way a real platform reads its own. */
export class FakePlatformError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * A chat platform that records what bot/ asks of it: the contract a real platform (Slack,
 * Teams) fulfils, with none of their markup. Users it "knows" get direct messages; the rest
 * are unreachable, as on a real workspace.
 */
export class RecordingPlatform implements ChatPlatform, ChatNotifier {
  readonly name = "fake";
  readonly label = "Fakechat";
  readonly invocation = "/fake";
  readonly endpoint = "nowhere";
  readonly platform = "fake";
  readonly sent: Sent[] = [];
  /** arbot user ids the platform can message. */
  readonly reachable = new Set<number>();
  /** Channels the platform refuses to post in, with the error code. */
  readonly refusing = new Map<string, string>();
  /** Each post takes this long (ms) before it is accepted: a slow platform. */
  postDelayMs = 0;
  mounted = false;

  get notifier(): ChatNotifier {
    return this;
  }

  decodeMention(word: string): string | null {
    return /^@\{(\w+)\}$/.exec(word)?.[1] ?? null;
  }

  decodeEmail(): string | null {
    return null;
  }

  failure(error: unknown): PlatformFailure | null {
    return error instanceof FakePlatformError ? { code: error.code, permanent: true, sentence: `Fakechat refused (${error.code}).` } : null;
  }

  async mount(_web: Application): Promise<void> {
    this.mounted = true;
  }

  async stop(): Promise<void> {
    this.mounted = false;
  }

  private refuse(channelId: string): void {
    const code = this.refusing.get(channelId);
    if (code) throw new FakePlatformError(code);
  }

  async sendDigest(target: DigestTarget, view: DigestView, runId: string): Promise<string> {
    // The Notifier contract: a refusal retrying cannot fix is a PermanentDeliveryError.
    const refused = this.refusing.get(target.channelId);
    if (refused) throw new PermanentDeliveryError(refused);
    if (this.postDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.postDelayMs));
    this.sent.push({ kind: "digest", channelId: target.channelId, runId, accounts: view.total, asOf: view.asOf });
    return `msg-${this.sent.length}`;
  }

  async findDigest(_target: DigestTarget, runId: string): Promise<string | null> {
    const index = this.sent.findIndex((s) => s.kind === "digest" && s.runId === runId);
    return index < 0 ? null : `msg-${index + 1}`;
  }

  async pingOwner(owner: UserRef, view: EscalationView): Promise<boolean> {
    if (!this.reachable.has(owner.userId)) return false;
    this.sent.push({ kind: "ping", userId: owner.userId, accountId: view.accountId, reason: view.reason });
    return true;
  }

  async askChannelToClaim(target: Pick<DigestTarget, "channelId">, view: EscalationView): Promise<void> {
    this.refuse(target.channelId);
    this.sent.push({ kind: "ask", channelId: target.channelId, accountId: view.accountId, unreachedOwners: view.unreachedOwners ?? [] });
  }

  async announce(target: Pick<DigestTarget, "channelId">, text: string): Promise<void> {
    this.refuse(target.channelId);
    this.sent.push({ kind: "announce", channelId: target.channelId, text });
  }

  async digestFailed(subscriber: UserRef, target: DigestTarget, reason: string): Promise<void> {
    this.sent.push({ kind: "digestFailed", userId: subscriber.userId, channelId: target.channelId, reason });
  }

  of<K extends Sent["kind"]>(kind: K): Extract<Sent, { kind: K }>[] {
    return this.sent.filter((s): s is Extract<Sent, { kind: K }> => s.kind === kind);
  }
}
