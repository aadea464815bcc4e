import type { types, webApi } from "@slack/bolt";
import { Actor, actorLabel, defaultFunction } from "../../domain/model/actor";
import { EscalationOutcome } from "../../domain/usecases/escalate-account";
import { deliverEscalation, describeEscalationDelivery } from "../../bot/jobs/deliver-escalation";
import { addDays } from "../../domain/model/business-date";
import { Subscription } from "../../domain/model/subscription";
import { TeamFunction } from "../../domain/model/team";
import { ensureAllowed } from "../../domain/policies/permissions";
import { findAccount } from "../../domain/usecases/find-account";
import { getHome } from "../../domain/usecases/get-home";
import { prepareDigest } from "../../domain/usecases/prepare-digest";
import { subscribeChannel, unsubscribeChannel } from "../../domain/usecases/subscribe-channel";
import { BotServices, commandContext, errorReply, handleCommand, handleText, refusal, Reply } from "../../bot/commands/dispatch";
import { Command, FormKind } from "../../bot/commands/grammar";
import { buildDigestView } from "../../bot/views/digest-view";
import { buildHomeView } from "../../bot/views/home-view";
import { DigestRunStore } from "../../domain/ports/digest-runs.port";
import { PAGE_SIZE, PageMetadata, renderDigestPage } from "./render/digest-blocks";
import { clip, escapeMrkdwn } from "./render/limits";
import { FormMetadata, renderFormModal } from "./render/modal-views";
import { renderAccountCard, renderHome, renderStats } from "./render/reply-blocks";
import { SlackDelivery } from "./slack-delivery";
import { describeSlackFailure, slackErrorCode } from "./slack-errors";
import { SlackPeople } from "./slack-people";

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
}

export interface SlackBotDeps {
  services: BotServices;
  runs: DigestRunStore;
  people: SlackPeople;
  delivery: SlackDelivery;
  digestTime: string;
  timeZone: string;
  log: (line: string) => void;
}

const isConversationChannel = (channelId: string | null): channelId is string => Boolean(channelId && /^[CG]/.test(channelId));

/**
 * The Slack side of every interaction: build the command, call the bot, render the reply.
 * Private answers are ephemeral; changes the team should see also go to the channel.
 */
export class SlackBot {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly deps: SlackBotDeps,
  ) {}

  get log() {
    return this.deps.log;
  }

  actor(origin: Pick<SlackOrigin, "userId" | "teamId">): Promise<Actor> {
    return this.deps.people.actorFor(origin.userId, origin.teamId);
  }

  /** One place that turns a failure into a log line with context and a sentence for the person. */
  async safely(what: string, origin: SlackOrigin, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      let message: string;
      try {
        const reply = errorReply(error);
        message = reply.kind === "error" ? reply.message : "Something went wrong.";
      } catch {
        this.log(`slack ${what} failed (user ${origin.userId}, channel ${origin.channelId ?? "-"}): ${(error as Error).stack ?? error}`);
        message = slackErrorCode(error) ? describeSlackFailure(error) : "Something went wrong on arbot's side; it is logged. Try again in a minute.";
      }
      await this.tell(origin, message).catch((e) => this.log(`slack could not tell ${origin.userId} about a failure: ${(e as Error).message}`));
    }
  }

  /** A private answer in plain words (escaped: a name or a note cannot mention anyone). */
  tell(origin: SlackOrigin, text: string, blocks?: KnownBlock[]): Promise<void> {
    return this.say(origin, escapeMrkdwn(text), blocks);
  }

  /** A private answer already in mrkdwn: ephemeral in the channel, else through response_url, else a DM. */
  private async say(origin: SlackOrigin, mrkdwn: string, blocks?: KnownBlock[]): Promise<void> {
    const body = { text: clip(mrkdwn, 3900), ...(blocks ? { blocks } : {}) };
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

  async runText(origin: SlackOrigin, text: string): Promise<void> {
    const actor = await this.actor(origin);
    const reply = await handleText(this.deps.services, actor, text, {
      idempotencyKey: origin.idempotencyKey,
      channel: origin.channelId ? { platform: "slack", channelId: origin.channelId } : null,
    });
    await this.render(origin, actor, reply);
  }

  async runCommand(origin: SlackOrigin, command: Command): Promise<void> {
    const actor = await this.actor(origin);
    await this.render(origin, actor, await this.handle(origin, actor, command));
  }

  private handle(origin: SlackOrigin, actor: Actor, command: Command): Promise<Reply> {
    return handleCommand(this.deps.services, actor, command, {
      idempotencyKey: origin.idempotencyKey,
      channel: origin.channelId ? { platform: "slack", channelId: origin.channelId } : null,
    });
  }

  private async render(origin: SlackOrigin, actor: Actor, reply: Reply): Promise<void> {
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
      case "subscription":
        // Its use case runs here, after the command layer: its refusals are answered once too.
        return this.subscription(origin, actor, reply.command).catch(async (error: unknown) => this.render(origin, actor, await refusal(this.deps.services, origin.idempotencyKey, error)));
      case "done":
        if (reply.escalation) return this.escalated(origin, actor, reply.escalation, reply.announcement);
        await this.tell(origin, reply.text);
        if (reply.announcement && isConversationChannel(origin.channelId)) await this.deps.delivery.announce(origin.channelId, reply.announcement);
    }
  }

  /**
   * After an escalation is recorded: direct messages to the owners, else the channel is
   * asked; the person hears what actually went out, and the channel hears of it once.
   */
  private async escalated(origin: SlackOrigin, actor: Actor, escalation: EscalationOutcome, announcement?: string): Promise<void> {
    const channels = isConversationChannel(origin.channelId) ? [{ platform: "slack", channelId: origin.channelId }] : [];
    const sent = await deliverEscalation(this.deps.delivery, escalation, actorLabel(actor), channels, (error) => slackErrorCode(error) ?? "error");
    await this.tell(origin, describeEscalationDelivery(escalation.account.name, sent, "Slack"));
    if (sent.reached.length > 0 && isConversationChannel(origin.channelId)) {
      await this.deps.delivery.announce(origin.channelId, announcement ?? `${actorLabel(actor)} escalated ${escalation.account.name}.`);
    }
  }

  /** note / promise / dispute without arguments, or from a button: a modal. */
  async openForm(origin: SlackOrigin, form: FormKind, query?: string): Promise<void> {
    if (!origin.triggerId) {
      return this.tell(origin, `Forms open from /ar ${form} or the buttons; here, type ${form} with its arguments (/ar help shows them).`);
    }
    const metadata: FormMetadata = { ...(origin.channelId ? { channelId: origin.channelId } : {}) };
    if (query && form !== "dispute") {
      const account = await this.deps.services.uow.read((ws) => findAccount(ws, query)).catch(() => null);
      if (account) Object.assign(metadata, { account: account.externalId, accountName: account.name });
      else metadata.query = query;
    } else if (query) {
      metadata.query = query;
    }
    const tomorrow = addDays(this.deps.services.clock.today(), 1);
    await this.client.views.open({ trigger_id: origin.triggerId, view: renderFormModal(form, metadata, tomorrow) });
  }

  private async subscription(origin: SlackOrigin, actor: Actor, command: Extract<Command, { kind: "subscribe" | "unsubscribe" }>): Promise<void> {
    const channelId = origin.channelId;
    if (!isConversationChannel(channelId)) return this.tell(origin, "Run /ar subscribe in the channel that should get the digest.");
    const ctx = commandContext(this.deps.services, actor, origin.idempotencyKey);
    if (command.kind === "unsubscribe") {
      const result = await unsubscribeChannel(ctx, { platform: "slack", channelId });
      if (result.duplicate) return;
      await this.tell(origin, "This channel will no longer get the AR digest.");
      return this.deps.delivery.announce(channelId, `${actor.email ?? actor.handle} unsubscribed this channel from the daily AR digest.`);
    }
    const info = await this.client.conversations.info({ channel: channelId });
    const channel = (info.channel ?? {}) as { is_ext_shared?: boolean; is_pending_ext_shared?: boolean };
    const shared = origin.extShared === true || channel.is_ext_shared === true || channel.is_pending_ext_shared === true;
    const localTime = command.time ?? this.deps.digestTime;
    const timeZone = command.timeZone ?? this.deps.timeZone;
    const result = await subscribeChannel(ctx, {
      platform: "slack",
      channelId,
      tenantId: origin.teamId,
      scope: command.scope,
      localTime,
      timeZone,
      conversationRef: null,
      sharedWithOtherOrganizations: shared,
    });
    if (result.duplicate) return;
    const whose = command.scope === "all" ? "every owner" : `${command.scope} owners`;
    await this.tell(origin, `This channel gets the AR digest on business days at ${localTime} (${timeZone}), mentioning ${whose}.${result.value.replaced ? " It replaces the previous subscription." : ""}`);
    await this.deps.delivery.announce(channelId, `${actor.email ?? actor.handle} subscribed this channel to the daily AR digest at ${localTime} (${timeZone}).`);
  }

  /** The Claim button of a digest: claims for the channel's function, then updates the message in place. */
  async claimFromDigest(origin: SlackOrigin, accountId: string, message: { ts: string; channelId: string } | null): Promise<void> {
    const actor = await this.actor(origin);
    const subscription = origin.channelId ? await this.deps.runs.subscriptionOf("slack", origin.channelId) : null;
    const fn: TeamFunction | null = subscription && subscription.scope !== "all" ? subscription.scope : defaultFunction(actor.role);
    const reply = await this.handle(origin, actor, { kind: "claim", query: accountId, ...(fn ? { function: fn } : {}), takeover: false });
    // The channel sees the claim in the digest itself, so the claim is not announced again.
    if (reply.kind !== "done") return this.render(origin, actor, reply);
    await this.tell(origin, reply.text);
    // The claim is saved: a digest that cannot be refreshed is told as such, not as a failed claim.
    if (message) {
      await this.refreshDigestMessage(message, subscription).catch(async (error: unknown) => {
        this.log(`slack chat.update of the digest ${message.channelId}/${message.ts} failed: ${describeSlackFailure(error)}`);
        await this.tell(origin, `The digest message could not show your claim: ${describeSlackFailure(error)}`);
      });
    }
  }

  /**
   * Re-renders a posted channel digest with its current owners (chat.update), so the channel
   * sees the claim; the digest keeps the day it was posted for.
   */
  private async refreshDigestMessage(message: { ts: string; channelId: string }, subscription: Subscription | null): Promise<void> {
    const services = this.deps.services;
    const run = await this.deps.runs.runOfMessage("slack", message.channelId, message.ts);
    if (!run) return;
    const digest = await prepareDigest(services, run.localDate, services.priority);
    const rendered = await this.deps.delivery.renderDigest(buildDigestView(digest, { limit: services.digestTop }), subscription?.scope ?? "all");
    await this.client.chat.update({ channel: message.channelId, ts: message.ts, text: rendered.text, blocks: rendered.blocks });
  }

  async escalateFromDigest(origin: SlackOrigin, accountId: string): Promise<void> {
    const actor = await this.actor(origin);
    await this.render(origin, actor, await this.handle(origin, actor, { kind: "escalate", query: accountId }));
  }

  /** "Show all N": a modal paging through every qualifying account, 20 at a time. */
  async digestPage(origin: SlackOrigin, metadata: PageMetadata, viewToUpdate: { id: string; hash: string } | null): Promise<void> {
    const services = this.deps.services;
    ensureAllowed(await this.actor(origin), "read");
    const digest = await prepareDigest(services, metadata.asOf, services.priority);
    const view = buildDigestView(digest, { offset: metadata.offset, limit: PAGE_SIZE });
    const owners = await this.deps.people.ownerLabels(view.entries.flatMap((e) => Object.values(e.owners).filter((o): o is string => Boolean(o))));
    const modal = renderDigestPage(view, { owners, scope: metadata.scope, interactive: false, metadata });
    if (viewToUpdate) await this.client.views.update({ view_id: viewToUpdate.id, hash: viewToUpdate.hash, view: modal });
    else if (origin.triggerId) await this.client.views.open({ trigger_id: origin.triggerId, view: modal });
  }

  async publishHome(origin: SlackOrigin): Promise<void> {
    const actor = await this.actor(origin);
    const services = this.deps.services;
    const home = await getHome(commandContext(services, actor));
    await this.client.views.publish({ user_id: origin.userId, view: renderHome(buildHomeView(home, services.clock.timeZone)) });
  }
}
