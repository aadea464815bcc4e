import { ConversationReference, TaskModuleTaskInfo, TurnContext } from "botbuilder";
import { z } from "zod";
import { Actor } from "../../domain/model/actor";
import { isTeamFunction } from "../../domain/model/team";
import { ChatConversationStore, StoredConversation } from "../../domain/ports/chat-conversations.port";
import { BotServices, CommandOrigin, converse, errorReply, Reply } from "../../bot/commands/dispatch";
import { checkForm } from "../../bot/commands/form-check";
import { Command, FormKind } from "../../bot/commands/grammar";
import { claimFromDigest, digestPage, formPrefill } from "../../bot/commands/interactions";
import { ChatChannel, ChatSurface } from "../../bot/platform/chat-platform";
import { CARD_CONTENT_TYPE, CardMessage, DIALOG_TITLES, DigestContext, PAGE_SIZE, renderDialogCard, renderReplyCard, AdaptiveCard, card, textBlock, plain } from "./render/cards";
import { activityOf, TeamsDelivery } from "./teams-delivery";
import { describeTeamsFailure, teamsFailure } from "./teams-errors";
import { VERBS } from "./teams-ids";
import { TeamsPeople, teamsUserId, tenantOf } from "./teams-people";

const OUR_FAULT = "Something went wrong on arbot's side; it is logged. Try again in a minute.";

/** What Action.Execute buttons carry (render/cards.ts writes it). */
const ZActionData = z
  .object({
    verb: z.string(),
    account: z.string().optional(),
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    scope: z.enum(["finance", "sales", "cs", "all"]).optional(),
    offset: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(50).optional(),
    paging: z.boolean().optional(),
    part: z.coerce.number().int().min(1).optional(),
    escalation: z.coerce.number().int().positive().optional(),
    function: z.string().optional(),
    email: z.string().optional(),
  })
  .passthrough();
type ActionData = z.infer<typeof ZActionData>;

/** What dialog buttons and dialog submissions carry: the verb, the account, and the fields typed. */
const ZDialogData = z.object({ verb: z.string(), account: z.string().optional(), query: z.string().optional() }).passthrough();

const DIALOG_FORMS = new Set<string>(["note", "promise", "dispute", "snooze", "reassign"]);

export interface TeamsBotDeps {
  services: BotServices;
  people: TeamsPeople;
  delivery: TeamsDelivery;
  conversations: ChatConversationStore;
  log: (line: string) => void;
}

/** The conversation's kind as Teams says it (a personal chat when it says nothing). */
function kindOf(activity: TurnContext["activity"]): StoredConversation["kind"] {
  const type = activity.conversation?.conversationType;
  return type === "channel" ? "channel" : type === "groupChat" ? "groupChat" : "personal";
}

/** The channel a message was typed in (without the thread's `;messageid=`), or the group chat. */
function conversationIdOf(activity: TurnContext["activity"]): string {
  const data = activity.channelData as { channel?: { id?: string } } | undefined;
  if (kindOf(activity) === "channel") return data?.channel?.id ?? activity.conversation.id.split(";")[0]!;
  return activity.conversation.id;
}

function teamOf(activity: TurnContext["activity"]): string | null {
  const data = activity.channelData as { team?: { id?: string } } | undefined;
  return data?.team?.id ?? null;
}

/**
 * The Teams controller: who is asking, the command an activity means, and the answer as
 * Adaptive Cards (replies, invoke responses, dialogs). What a command does is bot/'s.
 */
export class TeamsBot {
  /** Conversation id → what this process last saved for it (see `remember`). */
  private readonly savedConversations = new Map<string, string>();

  constructor(
    private readonly surface: ChatSurface,
    private readonly deps: TeamsBotDeps,
  ) {}

  get services(): BotServices {
    return this.deps.services;
  }

  private log(line: string): void {
    this.deps.log(line);
  }

  /** A per-conversation activity id: the idempotency key of section 9 (activity ids repeat across conversations). */
  private keyOf(context: TurnContext): string {
    return `teams:${context.activity.conversation.id}:${context.activity.id}`;
  }

  /** The reference arbot posts with later: the conversation itself, never a reply to this activity. */
  private referenceOf(context: TurnContext): Record<string, unknown> {
    const a = context.activity;
    const kind = kindOf(a);
    const reference: Partial<ConversationReference> = {
      channelId: a.channelId,
      serviceUrl: a.serviceUrl,
      bot: a.recipient,
      conversation: {
        id: conversationIdOf(a),
        isGroup: kind !== "personal",
        conversationType: kind,
        tenantId: tenantOf(a) ?? undefined,
        name: "",
      } as ConversationReference["conversation"],
    };
    return JSON.parse(JSON.stringify(reference)) as Record<string, unknown>;
  }

  /**
   * Every conversation arbot hears in is remembered with its reference (installation, any
   * channel of a team). A message whose conversation this process already saved as it is
   * writes nothing: one database write per command would buy nothing.
   */
  private async remember(context: TurnContext, options: { install: boolean }): Promise<void> {
    const a = context.activity;
    const kind = kindOf(a);
    const conversation = {
      platform: "teams",
      conversationId: conversationIdOf(a),
      tenantId: tenantOf(a),
      teamId: teamOf(a),
      kind,
      userId: kind === "personal" ? teamsUserId(a.from) : null,
      reference: this.referenceOf(context),
    };
    const saved = JSON.stringify(conversation);
    if (!options.install && this.savedConversations.get(conversation.conversationId) === saved) return;
    await this.deps.conversations.save(conversation, this.services.clock.now());
    this.savedConversations.set(conversation.conversationId, saved);
  }

  /** conversationUpdate: the bot added (installation) or removed. */
  async conversationUpdate(context: TurnContext): Promise<void> {
    const a = context.activity;
    const botId = a.recipient?.id;
    if (a.membersAdded?.some((m) => m.id === botId)) {
      await this.remember(context, { install: true });
      this.log(`teams: installed in ${kindOf(a)} ${conversationIdOf(a)}`);
      if (kindOf(a) !== "personal") {
        await context.sendActivity(activityOf(this.say(`Hello, I am arbot. Type @arbot help to see what I can do; @arbot subscribe in a channel posts the overdue digest there every business day.`)));
      }
      return;
    }
    if (a.membersRemoved?.some((m) => m.id === botId)) {
      const team = teamOf(a);
      this.savedConversations.clear(); // removed: the next message (after a re-add) saves again
      const count = await this.deps.conversations.disable("teams", team ? { teamId: team } : { conversationId: conversationIdOf(a) }, this.services.clock.now());
      this.log(`teams: removed from ${team ? `team ${team}` : conversationIdOf(a)} (${count} conversation${count === 1 ? "" : "s"} disabled)`);
    }
  }

  private say(text: string): CardMessage {
    return { text, card: card([textBlock(plain(text))]) };
  }

  /** The command's origin in bot/'s words: Teams, and the channel or group chat when a digest can go there. */
  private commandOrigin(context: TurnContext): CommandOrigin {
    const a = context.activity;
    const channel: ChatChannel | null =
      kindOf(a) === "personal"
        ? null
        : { channelId: conversationIdOf(a), tenantId: tenantOf(a), conversationRef: this.referenceOf(context), sharedWithOtherOrganizations: async () => this.sharedOutside(context) };
    return { idempotencyKey: this.keyOf(context), platform: this.surface, channel };
  }

  /** A shared channel (Teams Connect) may hold people of other tenants: digests do not go there. */
  private sharedOutside(context: TurnContext): boolean {
    const data = context.activity.channelData as { channel?: { type?: string; membershipType?: string } } | undefined;
    return data?.channel?.membershipType === "shared" || data?.channel?.type === "shared";
  }

  /**
   * Other people's mentions as tokens the grammar reads (`role @Lee finance`): `<at:id>`,
   * with the Entra object id arbot knows people by (the member lookup gives it).
   */
  private async textOf(context: TurnContext): Promise<string> {
    let text = (context.activity.text ?? "").replace(/&nbsp;/g, " ");
    for (const entity of context.activity.entities ?? []) {
      const mention = entity as { type?: string; text?: string; mentioned?: { id?: string; aadObjectId?: string } };
      if (mention.type !== "mention" || !mention.text || !mention.mentioned?.id || mention.mentioned.id === context.activity.recipient.id) continue;
      const id = mention.mentioned.aadObjectId ?? (await this.deps.people.entraIdOf(context, mention.mentioned.id));
      text = text.split(mention.text).join(`<at:${id}>`);
    }
    return text.replace(/\s+/g, " ").trim();
  }

  /** A message: `@arbot <grammar>` (mention stripped by teams-ai) or the bare grammar in a personal chat. */
  async message(context: TurnContext): Promise<void> {
    const text = await this.textOf(context);
    await this.remember(context, { install: false });
    try {
      const actor = await this.deps.people.actorFor(context);
      await converse(this.services, actor, text || "help", this.commandOrigin(context), (reply) => this.reply(context, reply));
    } catch (error) {
      await context.sendActivity(activityOf(this.say(this.sentenceFor("message", context, error)))).catch((e) => this.log(`teams could not tell ${context.activity.from.id} about a failure: ${describeTeamsFailure(e)}`));
    }
  }

  private sentenceFor(what: string, context: TurnContext, error: unknown): string {
    try {
      const reply = errorReply(error);
      return reply.kind === "error" ? reply.message : "Something went wrong.";
    } catch {
      this.log(`teams ${what} failed (user ${context.activity.from.id}, conversation ${context.activity.conversation.id}): ${(error as Error).stack ?? error}`);
      return teamsFailure(error)?.sentence ?? OUR_FAULT;
    }
  }

  /** The reply to a command, as a reply to the person's message. */
  private async reply(context: TurnContext, reply: Reply): Promise<void> {
    for (const message of await this.messagesOf(context, reply)) await context.sendActivity(activityOf(message));
  }

  private async messagesOf(context: TurnContext, reply: Reply): Promise<CardMessage[]> {
    if (reply.kind === "duplicate") return [];
    if (reply.kind === "digest") {
      const scope = (await this.scopeOf(context)) ?? "all";
      const view = reply.view;
      // `digest all`: the first page of every account, with Next, rather than dozens of posts.
      if (view.entries.length > this.services.digestTop) {
        const page = { ...view, entries: view.entries.slice(0, PAGE_SIZE), limit: PAGE_SIZE };
        return this.deps.delivery.renderDigest(page, { asOf: view.asOf, scope, offset: 0, limit: PAGE_SIZE, paging: true });
      }
      return this.deps.delivery.renderDigest(view, { asOf: view.asOf, scope, offset: view.offset, limit: view.limit, paging: false });
    }
    return [renderReplyCard(reply, this.surface.invocation)];
  }

  /** The channel's subscription function, which says whose owners a digest names. */
  private async scopeOf(context: TurnContext): Promise<DigestContext["scope"] | null> {
    if (kindOf(context.activity) === "personal") return null;
    return (await this.services.runs.subscriptionOf("teams", conversationIdOf(context.activity)))?.scope ?? null;
  }

  /**
   * An Action.Execute: the change, then the refreshed card in the invoke response (and in
   * the channel for everyone); a refusal as a message; a replayed invoke (same activity id)
   * answers the current card and changes nothing.
   */
  async execute(context: TurnContext, raw: unknown): Promise<AdaptiveCard | string> {
    const parsed = ZActionData.safeParse(raw);
    if (!parsed.success) {
      this.log(`teams card action ignored: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
      return "This button is from an older card; type the command instead.";
    }
    const data = parsed.data;
    try {
      const actor = await this.deps.people.actorFor(context);
      switch (data.verb) {
        case VERBS.page:
          return await this.digestCard(actor, data);
        case VERBS.claim:
        case VERBS.assign:
        case VERBS.escalate:
          return await this.digestAction(context, actor, data);
        case VERBS.ack: {
          if (!data.escalation) return "This button is from an older card.";
          const reply = await this.run(context, actor, { kind: "acknowledge", escalationId: data.escalation }, { channel: null });
          if (reply.kind === "error") return reply.message;
          return card([textBlock(reply.kind === "done" ? plain(reply.text) : "You are on it; this was already recorded.")]);
        }
        default:
          return "This button is from an older card; type the command instead.";
      }
    } catch (error) {
      return this.sentenceFor(`card action ${data.verb}`, context, error);
    }
  }

  private async run(context: TurnContext, actor: Actor, command: Command, override: Partial<CommandOrigin> = {}): Promise<Reply> {
    let answered: Reply = { kind: "duplicate" };
    await converse(this.services, actor, command, { ...this.commandOrigin(context), ...override }, async (reply) => {
      answered = reply;
    });
    return answered;
  }

  /** Claim, Assign or Escalate on a digest card. */
  private async digestAction(context: TurnContext, actor: Actor, data: ActionData): Promise<AdaptiveCard | string> {
    if (!data.account) return "This button is from an older card.";
    let reply: Reply;
    if (data.verb === VERBS.claim) {
      reply = (await claimFromDigest(this.services, actor, data.account, this.commandOrigin(context), async () => {})).reply;
    } else if (data.verb === VERBS.assign) {
      const email = (data.email ?? "").trim();
      const fn = data.function ?? "";
      if (!/^[^\s@]+@[^\s@]+$/.test(email) || !isTeamFunction(fn)) return "Give the new owner's email, like lee@example.com, and the function.";
      reply = await this.run(context, actor, { kind: "reassign", query: data.account, function: fn, email }, { channel: null });
    } else {
      reply = await this.run(context, actor, { kind: "escalate", query: data.account });
    }
    if (reply.kind === "error") return reply.message;
    const refreshed = await this.digestCard(actor, data);
    // A "Show all" page is the clicker's own view: the channel's card stays the digest.
    if (reply.kind === "done" && !data.paging && context.activity.replyToId && typeof refreshed !== "string") {
      // Everyone in the conversation sees the change in place, not only the person who clicked.
      await context.updateActivity({ ...activityOf({ text: reply.text, card: refreshed }), id: context.activity.replyToId }).catch((error: unknown) => {
        this.log(`teams update of the digest card ${context.activity.replyToId} failed: ${describeTeamsFailure(error)}`);
      });
    }
    return refreshed;
  }

  /** The digest card a button belongs to, as it reads now (same page, same part). */
  private async digestCard(actor: Actor, data: ActionData): Promise<AdaptiveCard | string> {
    if (!data.asOf) return "This button is from an older card; type: digest";
    const paging = data.verb === VERBS.page ? true : (data.paging ?? false);
    const limit = data.limit ?? (paging ? PAGE_SIZE : this.services.digestTop);
    const view = await digestPage(this.services, actor, { asOf: data.asOf, offset: data.offset ?? 0, limit });
    const cards = await this.deps.delivery.renderDigest(view, { asOf: data.asOf, scope: data.scope ?? "all", offset: view.offset, limit, paging });
    return cards[Math.min(data.part ?? 1, cards.length) - 1]!.card;
  }

  /** task/fetch: the dialog of a Note, Promise, Dispute, Snooze or Reassign button. */
  async openDialog(context: TurnContext, raw: unknown): Promise<TaskModuleTaskInfo | string> {
    const parsed = ZDialogData.safeParse(raw);
    if (!parsed.success || !DIALOG_FORMS.has(parsed.data.verb)) return "This button is from an older card; type the command instead.";
    const form = parsed.data.verb as FormKind | "reassign";
    try {
      const query = form === "dispute" ? parsed.data.query : (parsed.data.account ?? parsed.data.query);
      const prefill = await formPrefill(this.services, form === "reassign" ? "note" : form, query);
      if (form === "reassign" && !prefill.account) return `The account ${query ?? ""} no longer exists.`;
      return this.dialog(form, { ...prefill });
    } catch (error) {
      return this.sentenceFor(`${form} dialog`, context, error);
    }
  }

  private dialog(form: FormKind | "reassign", state: Parameters<typeof renderDialogCard>[1]): TaskModuleTaskInfo {
    return { title: DIALOG_TITLES[form], height: "medium", width: "medium", card: { contentType: CARD_CONTENT_TYPE, content: renderDialogCard(form, state) } };
  }

  /**
   * task/submit: invalid input shows the dialog again with each error under its field (and
   * what was typed); valid input saves and answers a message; a refusal is a message too.
   */
  async submitDialog(context: TurnContext, raw: unknown): Promise<TaskModuleTaskInfo | string> {
    const parsed = ZDialogData.safeParse(raw);
    if (!parsed.success || !DIALOG_FORMS.has(parsed.data.verb)) return "This form is from an older card; type the command instead.";
    const form = parsed.data.verb as FormKind | "reassign";
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed.data)) if (typeof value === "string" && key !== "verb") values[key] = value;
    try {
      const accountRow = parsed.data.account ? await formPrefill(this.services, "note", parsed.data.account) : null;
      const account = accountRow?.account;
      const tomorrow = accountRow?.tomorrow ?? (await formPrefill(this.services, "note")).tomorrow;
      let command: Command;
      if (form === "reassign") {
        const email = (values.owner_email ?? "").trim();
        const fn = values.function ?? "";
        if (!account) return "The account no longer exists.";
        if (!/^[^\s@]+@[^\s@]+$/.test(email) || !isTeamFunction(fn)) {
          return this.dialog(form, { account, tomorrow, values, errors: { owner_email: "Give the new owner's email, like lee@example.com." } });
        }
        command = { kind: "reassign", query: account.externalId, function: fn, email };
      } else {
        const check = await checkForm(form, account ? { account: account.externalId } : {}, values, this.services.uow, this.services.clock.today());
        if ("errors" in check) return this.dialog(form, { ...(account ? { account } : {}), tomorrow, values, errors: check.errors });
        command = check.command;
      }
      const actor = await this.deps.people.actorFor(context);
      const reply = await this.run(context, actor, command);
      if (reply.kind === "error") return reply.message;
      if (reply.kind === "duplicate") return "Already saved.";
      return reply.kind === "done" ? reply.text : "Saved.";
    } catch (error) {
      return this.sentenceFor(`${form} dialog`, context, error);
    }
  }
}
