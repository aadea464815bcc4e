import type { types, webApi } from "@slack/bolt";
import type { z } from "zod";
import { Actor, defaultFunction } from "../../domain/model/actor";
import { BotServices, CommandOrigin, converse, errorReply, Reply } from "../../bot/commands/dispatch";
import { Command, FormKind } from "../../bot/commands/grammar";
import { claimFromDigest, digestPage, formPrefill, personalHome, postedDigest } from "../../bot/commands/interactions";
import { ChatSurface } from "../../bot/platform/chat-platform";
import { formsNeedAButton } from "../../bot/views/reply";
import { PAGE_SIZE, PageMetadata, renderDigestPage } from "./render/digest-blocks";
import { clip, escapeMrkdwn } from "./render/limits";
import { FormMetadata, renderFormModal, renderReassignModal } from "./render/modal-views";
import { renderAccountCard, renderHome, renderStats } from "./render/reply-blocks";
import { SlackDelivery } from "./slack-delivery";
import { describeSlackFailure, slackFailure } from "./slack-errors";
import { SlackPeople } from "./slack-people";
import { isSharedOutside } from "./payloads";

type KnownBlock = types.KnownBlock;
type Respond = (message: { response_type: "ephemeral"; text: string; blocks?: KnownBlock[]; replace_original?: boolean }) => Promise<unknown>;

/** Where an interaction happened and how to answer the person privately. */
export interface SlackOrigin {
  userId: string;
  teamId: string | null;
  channelId: string | null;
  triggerId: string | null;
  idempotencyKey: string;
  respond?: Respond;
  /** Slack says the channel is shared with another organization (Slack Connect). */
  extShared?: boolean;
  /** A direct message to arbot: answered in that conversation, in the open. */
  inDirectMessage?: boolean;
}

export interface SlackBotDeps {
  services: BotServices;
  people: SlackPeople;
  delivery: SlackDelivery;
  log: (line: string) => void;
}

/** Channels (C…) and private channels (G…) take digests and announcements; direct messages (D…) do not. */
const isConversationChannel = (channelId: string | null): channelId is string => Boolean(channelId && /^[CG]/.test(channelId));

const OUR_FAULT = "Something went wrong on arbot's side; it is logged. Try again in a minute.";

/**
 * The Slack controller: who is asking, the command their payload means, and the reply in
 * Block Kit. What a command does is bot/'s (dispatch and interactions).
 */
export class SlackBot {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly surface: ChatSurface,
    private readonly deps: SlackBotDeps,
  ) {}

  get log() {
    return this.deps.log;
  }

  get services(): BotServices {
    return this.deps.services;
  }

  /**
   * A payload as its schema reads it; null (and a log line naming what Slack sent wrong)
   * when it does not fit, so a listener drops it after the acknowledgement.
   */
  parse<T extends z.ZodTypeAny>(schema: T, payload: unknown, what: string): z.infer<T> | null {
    const parsed = schema.safeParse(payload);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    this.log(`slack ${what}: payload ignored: ${issue.path.join(".") || "(root)"} ${issue.message}`);
    return null;
  }

  actor(origin: Pick<SlackOrigin, "userId" | "teamId">): Promise<Actor> {
    return this.deps.people.actorFor(origin.userId, origin.teamId);
  }

  /** The one place a failure in Slack becomes a log line with context and a sentence for the person. */
  async safely(what: string, origin: SlackOrigin, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      await this.tell(origin, this.sentenceFor(what, origin, error)).catch((e) => this.log(`slack could not tell ${origin.userId} about a failure: ${(e as Error).message}`));
    }
  }

  private sentenceFor(what: string, origin: SlackOrigin, error: unknown): string {
    try {
      const reply = errorReply(error);
      return reply.kind === "error" ? reply.message : "Something went wrong.";
    } catch {
      this.log(`slack ${what} failed (user ${origin.userId}, channel ${origin.channelId ?? "-"}): ${(error as Error).stack ?? error}`);
      return slackFailure(error)?.sentence ?? OUR_FAULT;
    }
  }

  /** A private answer in plain words (escaped: a name or a note cannot mention anyone). */
  tell(origin: SlackOrigin, text: string, blocks?: KnownBlock[]): Promise<void> {
    return this.say(origin, escapeMrkdwn(text), blocks);
  }

  /** A private answer already in mrkdwn: ephemeral in the channel, else through response_url, else a DM. */
  private async say(origin: SlackOrigin, mrkdwn: string, blocks?: KnownBlock[]): Promise<void> {
    const body = { text: clip(mrkdwn, 3900), ...(blocks ? { blocks } : {}) };
    if (origin.inDirectMessage && origin.channelId) {
      await this.client.chat.postMessage({ channel: origin.channelId, ...body });
      return;
    }
    if (origin.channelId) {
      try {
        await this.client.chat.postEphemeral({ channel: origin.channelId, user: origin.userId, ...body });
        return;
      } catch (error) {
        this.log(`chat.postEphemeral in ${origin.channelId} failed: ${describeSlackFailure(error)}`);
        if (origin.respond) {
          await origin.respond({ response_type: "ephemeral", ...body });
          return;
        }
      }
    } else if (origin.respond) {
      await origin.respond({ response_type: "ephemeral", ...body });
      return;
    }
    await this.deps.delivery.directMessage(origin.userId, body.text);
  }

  /** The command's origin in bot/'s words: this platform, and the channel when a digest can go there. */
  private commandOrigin(origin: SlackOrigin): CommandOrigin {
    const channelId = origin.channelId;
    return {
      idempotencyKey: origin.idempotencyKey,
      platform: this.surface,
      channel: isConversationChannel(channelId)
        ? { channelId, tenantId: origin.teamId, sharedWithOtherOrganizations: () => this.isSharedExternally(channelId, origin.extShared === true) }
        : null,
    };
  }

  /** Slack Connect: the event said so, or conversations.info does (pending invitations too). */
  private async isSharedExternally(channelId: string, eventSaysShared: boolean): Promise<boolean> {
    if (eventSaysShared) return true;
    return isSharedOutside(await this.client.conversations.info({ channel: channelId }));
  }

  /** /ar or @arbot text. */
  async runText(origin: SlackOrigin, text: string): Promise<void> {
    await this.run(origin, text);
  }

  /** A form or a button that stands for a command. */
  async runCommand(origin: SlackOrigin, command: Command): Promise<void> {
    await this.run(origin, command);
  }

  private async run(origin: SlackOrigin, input: string | Command): Promise<void> {
    const actor = await this.actor(origin);
    await converse(this.services, actor, input, this.commandOrigin(origin), (reply) => this.render(origin, reply));
  }

  private async render(origin: SlackOrigin, reply: Reply): Promise<void> {
    switch (reply.kind) {
      case "duplicate":
        return;
      case "help":
        return this.say(origin, "```" + escapeMrkdwn(reply.text) + "```");
      case "error":
        return this.tell(origin, reply.message);
      case "digest": {
        const message = await this.deps.delivery.renderDigest(reply.view, "all");
        return this.tell(origin, message.text, message.blocks);
      }
      case "stats": {
        const message = renderStats(reply.stats);
        return this.tell(origin, message.text, message.blocks);
      }
      case "account": {
        const owners = await this.deps.people.ownerLabels(reply.view.owners.map((o) => o.owner));
        const card = renderAccountCard(reply.view, owners);
        return this.tell(origin, card.text, card.blocks);
      }
      case "home":
        return this.tell(origin, "Your collections", renderHome(reply.view).blocks as KnownBlock[]);
      case "form":
        return this.openForm(origin, reply.form, reply.query);
      case "done":
        return this.tell(origin, reply.text);
    }
  }

  /** note / promise / dispute without arguments, or from a button: a modal. */
  async openForm(origin: SlackOrigin, form: FormKind, query?: string): Promise<void> {
    if (!origin.triggerId) return this.tell(origin, formsNeedAButton(this.surface.invocation, form));
    const prefill = await formPrefill(this.services, form, query);
    const metadata: FormMetadata = {
      ...(origin.channelId ? { channelId: origin.channelId } : {}),
      ...(prefill.account ? { account: prefill.account.externalId, accountName: prefill.account.name } : {}),
      ...(prefill.query ? { query: prefill.query } : {}),
    };
    await this.client.views.open({ trigger_id: origin.triggerId, view: renderFormModal(form, metadata, prefill.tomorrow) });
  }

  /** The Reassign button of an escalation message: a form for the function and the new owner. */
  async openReassign(origin: SlackOrigin, value: string): Promise<void> {
    if (!origin.triggerId) return;
    let account: string | undefined;
    try {
      account = (JSON.parse(value) as { account?: unknown }).account as string | undefined;
    } catch {
      account = undefined;
    }
    if (typeof account !== "string") return;
    const actor = await this.actor(origin);
    const prefill = await formPrefill(this.services, "note", account);
    if (!prefill.account) return this.tell(origin, `The account ${account} no longer exists.`);
    const metadata: FormMetadata = { account: prefill.account.externalId, accountName: prefill.account.name, ...(origin.channelId ? { channelId: origin.channelId } : {}) };
    await this.client.views.open({ trigger_id: origin.triggerId, view: renderReassignModal(metadata, defaultFunction(actor.role) ?? "finance") });
  }

  /** The Claim button of a digest: the claim, then the message updated in place so the channel sees it. */
  async claimFromDigest(origin: SlackOrigin, accountId: string, message: { ts: string; channelId: string } | null): Promise<void> {
    const actor = await this.actor(origin);
    const { reply } = await claimFromDigest(this.services, actor, accountId, this.commandOrigin(origin), (r) => this.render(origin, r));
    if (reply.kind !== "done" || !message) return;
    // The claim is saved: a digest that cannot be refreshed is told as such, not as a failed claim.
    await this.refreshDigestMessage(message).catch(async (error: unknown) => {
      this.log(`slack chat.update of the digest ${message.channelId}/${message.ts} failed: ${describeSlackFailure(error)}`);
      await this.tell(origin, `The digest message could not show your claim: ${describeSlackFailure(error)}`);
    });
  }

  private async refreshDigestMessage(message: { ts: string; channelId: string }): Promise<void> {
    const digest = await postedDigest(this.services, this.surface.name, message.channelId, message.ts);
    if (!digest) return;
    const rendered = await this.deps.delivery.renderDigest(digest.view, digest.scope);
    await this.client.chat.update({ channel: message.channelId, ts: message.ts, text: rendered.text, blocks: rendered.blocks });
  }

  async escalateFromDigest(origin: SlackOrigin, accountId: string): Promise<void> {
    await this.runCommand(origin, { kind: "escalate", query: accountId });
  }

  /** "Show all N": a modal paging through every qualifying account, 20 at a time. */
  async digestPage(origin: SlackOrigin, metadata: PageMetadata, viewToUpdate: { id: string; hash: string } | null): Promise<void> {
    const view = await digestPage(this.services, await this.actor(origin), { asOf: metadata.asOf, offset: metadata.offset, limit: PAGE_SIZE });
    const owners = await this.deps.people.ownerLabels(view.entries.flatMap((e) => Object.values(e.owners).filter((o): o is string => Boolean(o))));
    const modal = renderDigestPage(view, { owners, scope: metadata.scope, interactive: false, metadata });
    if (viewToUpdate) await this.client.views.update({ view_id: viewToUpdate.id, hash: viewToUpdate.hash, view: modal });
    else if (origin.triggerId) await this.client.views.open({ trigger_id: origin.triggerId, view: modal });
  }

  async publishHome(origin: SlackOrigin): Promise<void> {
    const home = await personalHome(this.services, await this.actor(origin));
    await this.client.views.publish({ user_id: origin.userId, view: renderHome(home) });
  }
}
