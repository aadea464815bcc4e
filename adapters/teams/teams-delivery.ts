import { CloudAdapter, ConversationReference, TurnContext } from "botbuilder";
import { businessDateAt } from "../../domain/model/business-date";
import { DigestTarget } from "../../domain/model/delivery";
import { FUNCTIONS } from "../../domain/model/team";
import { ChatConversationStore } from "../../domain/ports/chat-conversations.port";
import { Clock } from "../../domain/ports/clock.port";
import { DigestRunStore } from "../../domain/ports/digest-runs.port";
import { PermanentDeliveryError, UserRef } from "../../domain/ports/notifier.port";
import { PlatformDirectory } from "../../domain/ports/platform-directory.port";
import { ChatNotifier } from "../../bot/platform/chat-platform";
import { DigestView } from "../../bot/views/digest-view";
import { EscalationView } from "../../bot/views/escalation-view";
import { CARD_CONTENT_TYPE, CardMessage, card, DigestContext, plain, renderDigestCards, renderEscalationCard, textBlock } from "./render/cards";
import { teamsFailure } from "./teams-errors";
import { TeamsPeople } from "./teams-people";

/** The audience of Bot Connector tokens in the public cloud. */
const BOT_CONNECTOR_AUDIENCE = "https://api.botframework.com";

/** Each activity's JSON stays under this many bytes (UTF-8): the oldest documented Teams limit (about 28 KB), so every client renders it. */
export const MAX_ACTIVITY_BYTES = 28_000;

export function activityOf(message: CardMessage): Partial<TurnContext["activity"]> {
  return { type: "message", text: message.text, attachments: [{ contentType: CARD_CONTENT_TYPE, content: message.card }] };
}

/**
 * A new post in the turn's conversation (POST v3/conversations/{id}/activities), never a
 * reply to the synthetic activity botbuilder starts a proactive turn with: a top-level
 * post in a channel, a reply in a thread when the conversation id names one.
 */
async function sendToConversation(context: TurnContext, message: CardMessage): Promise<string> {
  const activity = TurnContext.applyConversationReference(activityOf(message), TurnContext.getConversationReference(context.activity));
  delete activity.replyToId;
  const [response] = await context.adapter.sendActivities(context, [activity]);
  return response?.id ?? "";
}

/** A Connector error retrying cannot fix becomes the domain's PermanentDeliveryError. */
function permanentOrAsIs(error: unknown): unknown {
  const failure = teamsFailure(error);
  return failure?.permanent ? new PermanentDeliveryError(failure.code) : error;
}

export interface TeamsDeliveryDeps {
  conversations: ChatConversationStore;
  directory: PlatformDirectory;
  runs: DigestRunStore;
  clock: Clock;
  defaultTimeZone: string;
  log: (line: string) => void;
}

/**
 * The Teams Notifier: every post goes through a stored conversation reference
 * (continueConversation), direct messages through the person's personal chat or a new 1:1
 * conversation (createConversation). Teams has no history lookup: `findDigest` finds nothing.
 */
export class TeamsDelivery implements ChatNotifier {
  readonly platform = "teams";
  readonly canSearchHistory = false;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly people: TeamsPeople,
    private readonly deps: TeamsDeliveryDeps,
  ) {}

  /** Owners named in a digest, for the channel's function (all functions for `all`). */
  private ownersOf(view: DigestView, scope: DigestTarget["scope"]): string[] {
    const functions = scope === "all" ? FUNCTIONS : [scope];
    return view.entries.flatMap((e) => functions.map((fn) => e.owners[fn]).filter((o): o is string => Boolean(o)));
  }

  /** A digest as the cards of its activities, each under the size limit. */
  async renderDigest(view: DigestView, context: Omit<DigestContext, "part">, interactive = true): Promise<CardMessage[]> {
    const ids = await this.people.ownerIds(this.ownersOf(view, context.scope));
    return renderDigestCards(view, { ids, context, interactive }, MAX_ACTIVITY_BYTES);
  }

  /** Posts activities in a stored conversation, in order; the ids Teams gave them. */
  async post(reference: Partial<ConversationReference>, messages: CardMessage[]): Promise<string[]> {
    const ids: string[] = [];
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        for (const message of messages) ids.push(await sendToConversation(context, message));
      });
    } catch (error) {
      throw permanentOrAsIs(error);
    }
    return ids;
  }

  /** A channel's or chat's stored reference; a conversation arbot was removed from is a permanent failure. */
  private async referenceOf(conversationId: string): Promise<Partial<ConversationReference>> {
    const stored = await this.deps.conversations.find("teams", conversationId);
    if (!stored) throw new PermanentDeliveryError("conversation_unknown");
    if (stored.disabled) throw new PermanentDeliveryError("bot_removed");
    return stored.reference as Partial<ConversationReference>;
  }

  async sendDigest(target: DigestTarget, view: DigestView, _runId: string): Promise<string> {
    const messages = await this.renderDigest(view, { asOf: view.asOf, scope: target.scope, offset: 0, limit: view.limit, paging: false });
    const ids = await this.post(await this.referenceOf(target.channelId), messages);
    return ids[0]!;
  }

  /** Teams offers no way to find a past post: a run interrupted mid-post is reported instead (digest-job). */
  async findDigest(): Promise<string | null> {
    return null;
  }

  /** A direct message: the person's personal chat with arbot, or a new 1:1 conversation. */
  async directMessage(teamsUserId: string, messages: CardMessage[]): Promise<boolean> {
    const personal = await this.deps.conversations.personalOf("teams", teamsUserId);
    if (personal) {
      await this.post(personal.reference as Partial<ConversationReference>, messages);
      return true;
    }
    // Any conversation of the organization gives the service URL and the bot to start a 1:1 chat from.
    const base = await this.deps.conversations.anyOf("teams", null);
    if (!base) return false;
    const reference = base.reference as Partial<ConversationReference> & { serviceUrl: string };
    const tenantId = base.tenantId ?? undefined;
    try {
      await this.adapter.createConversationAsync(
        this.appId,
        "msteams",
        reference.serviceUrl,
        BOT_CONNECTOR_AUDIENCE,
        {
          isGroup: false,
          bot: reference.bot!,
          members: [{ id: teamsUserId, name: "" }],
          ...(tenantId ? { tenantId } : {}),
          channelData: tenantId ? { tenant: { id: tenantId } } : {},
        } as Parameters<CloudAdapter["createConversationAsync"]>[4],
        async (context) => {
          const conversationId = context.activity.conversation.id;
          const created: Partial<ConversationReference> = {
            channelId: "msteams",
            serviceUrl: reference.serviceUrl,
            bot: reference.bot,
            conversation: { id: conversationId, conversationType: "personal", isGroup: false, tenantId, name: "" } as ConversationReference["conversation"],
          };
          await this.deps.conversations.save({ platform: "teams", conversationId, tenantId: tenantId ?? null, teamId: null, kind: "personal", userId: teamsUserId, reference: created as Record<string, unknown> }, this.deps.clock.now());
          for (const message of messages) await sendToConversation(context, message);
        },
      );
    } catch (error) {
      throw permanentOrAsIs(error);
    }
    return true;
  }

  private async teamsIdOf(user: UserRef): Promise<string | null> {
    return this.deps.directory.idOfUser("teams", user.userId);
  }

  async digestFailed(subscriber: UserRef, target: DigestTarget, reason: string): Promise<void> {
    const id = await this.teamsIdOf(subscriber);
    if (!id) return;
    const text = `Today's AR digest could not be posted in a Teams channel you subscribed (${target.channelId}): ${reason}. Add the app to the team again or subscribe another channel.`;
    await this.directMessage(id, [{ text, card: card([textBlock(plain(text))]) }]);
  }

  /** An escalation's sentences: the sweep's own, or a manual escalation's. */
  private sentences(view: EscalationView, to: "owner" | "channel"): string[] {
    if (view.automatic) return [view.automatic.summary, ...view.automatic.facts, view.automatic.ask];
    const why = view.reason ? `: “${view.reason}”` : "";
    if (to === "owner") return [`${view.raisedBy} escalated ${view.accountName} (${view.accountId}), which you own${why}.`, `Type: account ${view.accountId} to see where it stands.`];
    const owners = view.unreachedOwners ?? [];
    return [
      `${view.accountName} (${view.accountId}) was escalated by ${view.raisedBy}${why}.`,
      owners.length > 0 ? `Its owners (${owners.join(", ")}) could not be reached on Teams: can someone follow up? Type: account ${view.accountId}` : `Nobody owns it. Can someone claim it? Type: claim ${view.accountId}`,
    ];
  }

  async pingOwner(owner: UserRef, view: EscalationView): Promise<boolean> {
    const id = await this.teamsIdOf(owner);
    if (!id) return false;
    return this.directMessage(id, [renderEscalationCard(view, this.sentences(view, "owner"))]);
  }

  async askChannelToClaim(target: Pick<DigestTarget, "channelId">, view: EscalationView): Promise<void> {
    await this.postInDigestThread(target.channelId, renderEscalationCard(view, this.sentences(view, "channel")), true);
  }

  /** A change the team should see, in the thread of that day's digest; without a digest the command's own reply already shows it. */
  async announce(target: Pick<DigestTarget, "channelId">, text: string): Promise<void> {
    await this.postInDigestThread(target.channelId, { text, card: card([textBlock(plain(text))]) }, false);
  }

  /** The thread of today's digest in a channel (its root activity), when there is one. */
  private async digestThread(channelId: string): Promise<string | null> {
    const subscription = await this.deps.runs.subscriptionOf("teams", channelId);
    const localDate = businessDateAt(this.deps.clock.now(), subscription?.timeZone ?? this.deps.defaultTimeZone);
    const run = await this.deps.runs.run({ platform: "teams", channelId, localDate, part: 0 });
    return run?.state === "posted" ? run.messageRef : null;
  }

  private async postInDigestThread(channelId: string, message: CardMessage, orChannel: boolean): Promise<void> {
    const thread = await this.digestThread(channelId);
    if (!thread && !orChannel) return;
    const reference = await this.referenceOf(channelId);
    const conversation = reference.conversation as ConversationReference["conversation"];
    // A reply in a channel thread: the channel's conversation id with the root message's id.
    const target = thread && conversation.conversationType === "channel" ? { ...reference, conversation: { ...conversation, id: `${channelId};messageid=${thread}` } } : reference;
    await this.post(target, [message]);
  }
}
