import type { types, webApi } from "@slack/bolt";

type KnownBlock = types.KnownBlock;
import { businessDateAt } from "../../domain/model/business-date";
import { DigestTarget } from "../../domain/model/delivery";
import { FUNCTIONS } from "../../domain/model/team";
import { Clock } from "../../domain/ports/clock.port";
import { DigestRunStore } from "../../domain/ports/digest-runs.port";
import { PermanentDeliveryError, UserRef } from "../../domain/ports/notifier.port";
import { ChatNotifier } from "../../bot/platform/chat-platform";
import { DigestView } from "../../bot/views/digest-view";
import { EscalationView } from "../../bot/views/escalation-view";
import { PlatformDirectory } from "../../domain/ports/platform-directory.port";
import { renderDigestMessage } from "./render/digest-blocks";
import { renderEscalationMessage } from "./render/escalation-blocks";
import { escapeMrkdwn } from "./render/limits";
import { DIGEST_EVENT_TYPE } from "./slack-ids";
import { digestRunOf } from "./payloads";
import { slackFailure } from "./slack-errors";
import { SlackPeople } from "./slack-people";

const HISTORY_PAGES = 5;

/** A Slack error retrying cannot fix becomes the domain's PermanentDeliveryError (the run fails, the subscriber is told). */
function permanentOrAsIs(error: unknown): unknown {
  const failure = slackFailure(error);
  return failure?.permanent ? new PermanentDeliveryError(failure.code) : error;
}

/** The Slack Notifier: digests, escalation DMs, and the team announcements of chat commands. */
export class SlackDelivery implements ChatNotifier {
  readonly platform = "slack";

  constructor(
    private readonly client: webApi.WebClient,
    private readonly people: SlackPeople,
    private readonly deps: { runs: DigestRunStore; clock: Clock; directory: PlatformDirectory; defaultTimeZone: string },
  ) {}

  /** Owners named in a digest, for the channel's function (all functions for `all`). */
  private ownersOf(view: DigestView, scope: DigestTarget["scope"]): string[] {
    const functions = scope === "all" ? FUNCTIONS : [scope];
    return view.entries.flatMap((e) => functions.map((fn) => e.owners[fn]).filter((o): o is string => Boolean(o)));
  }

  async renderDigest(view: DigestView, scope: DigestTarget["scope"]) {
    const owners = await this.people.ownerLabels(this.ownersOf(view, scope));
    return renderDigestMessage(view, { owners, scope, interactive: true });
  }

  async sendDigest(target: DigestTarget, view: DigestView, runId: string): Promise<string> {
    const message = await this.renderDigest(view, target.scope);
    try {
      const response = await this.client.chat.postMessage({
        channel: target.channelId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { run_id: runId, as_of: view.asOf } },
      });
      return String(response.ts);
    } catch (error) {
      throw permanentOrAsIs(error);
    }
  }

  async findDigest(target: DigestTarget, runId: string): Promise<string | null> {
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const response = await this.client.conversations
        .history({ channel: target.channelId, include_all_metadata: true, limit: 100, ...(cursor ? { cursor } : {}) })
        .catch((error: unknown) => {
          throw permanentOrAsIs(error);
        });
      for (const message of response.messages ?? []) {
        const digest = digestRunOf(message, DIGEST_EVENT_TYPE);
        if (digest?.runId === runId) return digest.ts;
      }
      cursor = response.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  /** The person's Slack id: their linked identity, else a lookup by email. */
  private async slackIdOf(user: UserRef): Promise<string | null> {
    const linked = await this.deps.directory.idOfUser("slack", user.userId);
    if (linked || !user.email) return linked;
    return (await this.people.slackIds([user.email])).get(user.email) ?? null;
  }

  async digestFailed(subscriber: UserRef, target: DigestTarget, reason: string): Promise<void> {
    const slackId = await this.slackIdOf(subscriber);
    if (!slackId) return;
    await this.directMessage(slackId, `Today's AR digest could not be posted in <#${target.channelId}>: ${escapeMrkdwn(reason)}. Invite the app to the channel or subscribe another one.`);
  }

  /** An automatic escalation (section 10) in mrkdwn: what is wrong, the facts, the ask. */
  private automaticText(view: EscalationView): string | null {
    const auto = view.automatic;
    if (!auto) return null;
    return [`*${escapeMrkdwn(auto.summary)}*`, ...auto.facts.map(escapeMrkdwn), escapeMrkdwn(auto.ask), `\`/ar account ${escapeMrkdwn(view.accountId)}\` shows where it stands.`].join("\n");
  }

  async pingOwner(owner: UserRef, view: EscalationView): Promise<boolean> {
    const slackId = await this.slackIdOf(owner);
    if (!slackId) return false;
    const automatic = this.automaticText(view);
    if (automatic) {
      await this.directMessage(slackId, automatic, renderEscalationMessage(view, automatic).blocks);
      return true;
    }
    const why = view.reason ? `: “${escapeMrkdwn(view.reason)}”` : "";
    const text = `${escapeMrkdwn(view.raisedBy)} escalated *${escapeMrkdwn(view.accountName)}* (${escapeMrkdwn(view.accountId)}), which you own${why}. Type \`/ar account ${view.accountId}\` to see where it stands.`;
    await this.directMessage(slackId, text, renderEscalationMessage(view, text).blocks);
    return true;
  }

  async askChannelToClaim(target: Pick<DigestTarget, "channelId">, view: EscalationView): Promise<void> {
    const automatic = this.automaticText(view);
    if (automatic) return this.postInDigestThread(target.channelId, automatic, renderEscalationMessage(view, automatic).blocks);
    const why = view.reason ? `: “${escapeMrkdwn(view.reason)}”` : "";
    const account = `*${escapeMrkdwn(view.accountName)}* (${escapeMrkdwn(view.accountId)})`;
    const owners = view.unreachedOwners ?? [];
    const ask =
      owners.length > 0
        ? `. Its owners (${escapeMrkdwn(owners.join(", "))}) could not be reached on Slack: can someone follow up? \`/ar account ${escapeMrkdwn(view.accountId)}\``
        : `, and nobody owns it. Can someone claim it? \`/ar claim ${escapeMrkdwn(view.accountId)}\``;
    await this.postInDigestThread(target.channelId, `${account} was escalated by ${escapeMrkdwn(view.raisedBy)}${why}${ask}`);
  }

  async directMessage(slackUserId: string, text: string, blocks?: KnownBlock[]): Promise<void> {
    const opened = await this.client.conversations.open({ users: slackUserId });
    await this.client.chat.postMessage({ channel: opened.channel!.id!, text, ...(blocks ? { blocks } : {}) });
  }

  /** The thread of today's digest in a channel, when there is one. */
  async digestThread(channelId: string): Promise<string | null> {
    const subscription = await this.deps.runs.subscriptionOf("slack", channelId);
    const localDate = businessDateAt(this.deps.clock.now(), subscription?.timeZone ?? this.deps.defaultTimeZone);
    const run = await this.deps.runs.run({ platform: "slack", channelId, localDate, part: 0 });
    return run?.state === "posted" ? run.messageRef : null;
  }

  /** A change the team should see (plain text), in the thread of that day's digest when there is one. */
  announce(target: Pick<DigestTarget, "channelId">, text: string): Promise<void> {
    return this.postInDigestThread(target.channelId, escapeMrkdwn(text));
  }

  private async postInDigestThread(channelId: string, mrkdwn: string, blocks?: KnownBlock[]): Promise<void> {
    const thread = await this.digestThread(channelId);
    await this.client.chat.postMessage({ channel: channelId, text: mrkdwn, ...(blocks ? { blocks } : {}), ...(thread ? { thread_ts: thread } : {}) });
  }
}
