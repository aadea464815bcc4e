import type { webApi } from "@slack/bolt";
import { actorLabel } from "../../domain/model/actor";
import { businessDateAt } from "../../domain/model/business-date";
import { Subscription } from "../../domain/model/subscription";
import { FUNCTIONS } from "../../domain/model/team";
import { Clock } from "../../domain/ports/clock.port";
import { DigestRunStore } from "../../domain/ports/digest-runs.port";
import { EscalationOutcome } from "../../domain/usecases/escalate-account";
import { DigestDelivery, PermanentDeliveryError } from "../../bot/jobs/digest-job";
import { DigestView } from "../../bot/views/digest-view";
import { PrismaPlatformDirectory } from "../db/prisma-platform-directory";
import { renderDigestMessage } from "./render/digest-blocks";
import { escapeMrkdwn } from "./render/limits";
import { DIGEST_EVENT_TYPE } from "./slack-ids";
import { isPermanentChannelError, slackErrorCode } from "./slack-errors";
import { SlackPeople } from "./slack-people";

const HISTORY_PAGES = 5;

/** Everything arbot posts on its own in Slack: digests, escalation DMs, team announcements. */
export class SlackDelivery implements DigestDelivery {
  readonly platform = "slack";

  constructor(
    private readonly client: webApi.WebClient,
    private readonly people: SlackPeople,
    private readonly deps: { runs: DigestRunStore; clock: Clock; directory: PrismaPlatformDirectory; defaultTimeZone: string },
  ) {}

  /** Owners named in a digest, for the subscription's function (all functions for `all`). */
  private ownersOf(view: DigestView, scope: Subscription["scope"]): string[] {
    const functions = scope === "all" ? FUNCTIONS : [scope];
    return view.entries.flatMap((e) => functions.map((fn) => e.owners[fn]).filter((o): o is string => Boolean(o)));
  }

  async renderDigest(view: DigestView, scope: Subscription["scope"]) {
    const owners = await this.people.ownerLabels(this.ownersOf(view, scope));
    return renderDigestMessage(view, { owners, scope, interactive: true });
  }

  async postDigest(subscription: Subscription, view: DigestView, runId: string): Promise<string> {
    const message = await this.renderDigest(view, subscription.scope);
    try {
      const response = await this.client.chat.postMessage({
        channel: subscription.channelId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { run_id: runId, as_of: view.asOf } },
      });
      return String(response.ts);
    } catch (error) {
      if (isPermanentChannelError(error)) throw new PermanentDeliveryError(slackErrorCode(error)!);
      throw error;
    }
  }

  async findPostedRun(subscription: Subscription, runId: string): Promise<string | null> {
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const response = await this.client.conversations.history({ channel: subscription.channelId, include_all_metadata: true, limit: 100, ...(cursor ? { cursor } : {}) });
      for (const message of response.messages ?? []) {
        const metadata = (message as { metadata?: { event_type?: string; event_payload?: { run_id?: string } } }).metadata;
        if (metadata?.event_type === DIGEST_EVENT_TYPE && metadata.event_payload?.run_id === runId) return String(message.ts);
      }
      cursor = response.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  async tellSubscriber(subscription: Subscription, message: string): Promise<void> {
    const slackId = await this.deps.directory.idOfUser("slack", subscription.createdById);
    if (!slackId) return;
    await this.directMessage(slackId, message);
  }

  async directMessage(slackUserId: string, text: string): Promise<void> {
    const opened = await this.client.conversations.open({ users: slackUserId });
    await this.client.chat.postMessage({ channel: opened.channel!.id!, text });
  }

  /** The thread of today's digest in a channel, when there is one. */
  async digestThread(channelId: string): Promise<string | null> {
    const subscription = await this.deps.runs.subscriptionOf("slack", channelId);
    const localDate = businessDateAt(this.deps.clock.now(), subscription?.timeZone ?? this.deps.defaultTimeZone);
    const run = await this.deps.runs.run({ platform: "slack", channelId, localDate, part: 0 });
    return run?.state === "posted" ? run.messageRef : null;
  }

  /** A change the team should see, in the thread of that day's digest when there is one. */
  async announce(channelId: string, text: string): Promise<void> {
    const thread = await this.digestThread(channelId);
    await this.client.chat.postMessage({ channel: channelId, text, ...(thread ? { thread_ts: thread } : {}) });
  }

  /**
   * A manual escalation: one direct message to each owner, or, when nobody owns the
   * account, a message in the channel asking someone to claim it.
   */
  async deliverEscalation(
    escalation: EscalationOutcome,
    raisedBy: string,
    channelIds: string[],
  ): Promise<{ reached: string[]; notOnSlack: string[]; channels: number; failedChannels: string[] }> {
    const account = escalation.account;
    const why = escalation.reason ? `: “${escapeMrkdwn(escalation.reason)}”` : "";
    if (escalation.owners.length > 0) {
      const ids = await this.people.slackIds(escalation.owners.flatMap((o) => (o.email ? [o.email] : [])));
      const reached: string[] = [];
      const notOnSlack: string[] = [];
      for (const owner of escalation.owners) {
        const slackId = (owner.email ? ids.get(owner.email) : null) ?? (await this.deps.directory.idOfUser("slack", owner.id));
        if (!slackId) {
          notOnSlack.push(actorLabel(owner));
          continue;
        }
        await this.directMessage(slackId, `${escapeMrkdwn(raisedBy)} escalated *${escapeMrkdwn(account.name)}* (${escapeMrkdwn(account.externalId)}), which you own${why}. Type \`/ar account ${account.externalId}\` to see where it stands.`);
        reached.push(actorLabel(owner));
      }
      if (reached.length > 0) return { reached, notOnSlack, channels: 0, failedChannels: [] };
    }
    const text = `*${escapeMrkdwn(account.name)}* (${escapeMrkdwn(account.externalId)}) was escalated by ${escapeMrkdwn(raisedBy)}${why}, and nobody owns it. Can someone claim it? \`/ar claim ${account.externalId}\``;
    const failedChannels: string[] = [];
    for (const channel of channelIds) {
      try {
        await this.client.chat.postMessage({ channel, text });
      } catch (error) {
        // One channel arbot was removed from must not keep the others from hearing it.
        if (channelIds.length === 1) throw error;
        failedChannels.push(`${channel} (${slackErrorCode(error) ?? "error"})`);
      }
    }
    return { reached: [], notOnSlack: escalation.owners.map(actorLabel), channels: channelIds.length - failedChannels.length, failedChannels };
  }
}
