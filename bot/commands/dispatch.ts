import { Actor, actorLabel } from "../../domain/model/actor";
import { AmbiguousMatch, AppError, Candidate } from "../../domain/model/app-error";
import { ensureAllowed } from "../../domain/policies/permissions";
import { Clock } from "../../domain/ports/clock.port";
import { DigestRunStore } from "../../domain/ports/digest-runs.port";
import { LedgerReader } from "../../domain/ports/ledger-reader.port";
import { Idempotent, UnitOfWork } from "../../domain/ports/workspace.port";
import { PriorityPolicy, RankedAccount, Ranking } from "../../domain/policies/priority";
import { addNote } from "../../domain/usecases/add-note";
import { claimAccount } from "../../domain/usecases/claim-account";
import { CommandContext } from "../../domain/usecases/command-context";
import { escalateAccount } from "../../domain/usecases/escalate-account";
import { getAccountCard } from "../../domain/usecases/get-account-card";
import { ArStats, getArStats } from "../../domain/usecases/get-ar-stats";
import { getHome } from "../../domain/usecases/get-home";
import { openDispute } from "../../domain/usecases/open-dispute";
import { recordPromise } from "../../domain/usecases/record-promise";
import { releaseAccount } from "../../domain/usecases/release-account";
import { resolveDispute } from "../../domain/usecases/resolve-dispute";
import { describeRoleChange, setUserRole, UserTarget } from "../../domain/usecases/set-user-role";
import { subscribeChannel, unsubscribeChannel } from "../../domain/usecases/subscribe-channel";
import { subscribeEscalations, unsubscribeEscalations } from "../../domain/usecases/subscribe-escalations";
import { snoozeAccount } from "../../domain/usecases/snooze-account";
import { acknowledgeEscalation } from "../../domain/usecases/acknowledge-escalation";
import { reassignAccount } from "../../domain/usecases/reassign-account";
import { deliverEscalation, deliveryRecord } from "../jobs/deliver-escalation";
import { recordEscalationDelivery } from "../../domain/usecases/record-escalation-delivery";
import { ChatChannel, ChatSurface, PLAIN_SYNTAX } from "../platform/chat-platform";
import { AccountCardView, buildAccountCardView } from "../views/account-card-view";
import { buildDigestView, DigestView } from "../views/digest-view";
import { DigestSource, digestOf } from "../digest-cache";
import { buildHomeView, HomeView } from "../views/home-view";
import * as say from "../views/reply";
import { Command, FormKind, GrammarError, parseCommand, resolveDate } from "./grammar";

export { helpText } from "../views/reply";

export interface BotServices {
  uow: UnitOfWork;
  clock: Clock;
  ledger: LedgerReader;
  /** Digests computed once per write (bot/digest-cache.ts); without it each request computes its own. */
  digests?: DigestSource;
  priority: PriorityPolicy;
  runs: DigestRunStore;
  digestTop: number;
  /** AR_DIGEST_TIME: a subscription's time when `subscribe` names none. */
  digestTime: string;
}

/**
 * Where a command came from: a platform (null for the shell and the command line), and the
 * channel it was typed in when a digest can go there (null in a direct message).
 */
export interface CommandOrigin {
  idempotencyKey?: string | null;
  platform?: ChatSurface | null;
  channel?: ChatChannel | null;
}

/** What the bot answers, chat-neutral; each platform renders it. */
export type Reply =
  | { kind: "help"; text: string }
  | { kind: "digest"; view: DigestView }
  | { kind: "stats"; stats: ArStats }
  | { kind: "account"; view: AccountCardView }
  | { kind: "home"; view: HomeView }
  | { kind: "form"; form: FormKind; query?: string }
  /** A change: `text` for the caller, `announcement` for the channel when the team should see it. */
  | { kind: "done"; text: string; announcement?: string; accountId: string; /** Recorded, but no platform could deliver it (an escalation typed in the shell). */ undelivered?: true }
  | { kind: "duplicate" }
  | { kind: "error"; code: string; message: string; candidates?: Candidate[] };

function done<T>(result: Idempotent<T>, describe: (value: T) => Omit<Extract<Reply, { kind: "done" }>, "kind">): Reply {
  return result.duplicate ? { kind: "duplicate" } : { kind: "done", ...describe(result.value) };
}

function roleTarget(target: Extract<Command, { kind: "role" }>["target"], actor: Actor): UserTarget {
  if ("mention" in target) return { platform: actor.platform, platformUserId: target.mention };
  return target;
}

export function commandContext(services: BotServices, actor: Actor, idempotencyKey: string | null = null): CommandContext {
  return { actor, clock: services.clock, uow: services.uow, idempotencyKey, promiseGraceDays: services.priority.promiseGraceDays };
}

/** Each cached ranking's accounts by id, built at its first card: a card looks one up, of up to 50 000. */
const rankIndex = new WeakMap<Ranking, Map<number, RankedAccount>>();

function rankedAccount(ranking: Ranking, accountId: number): RankedAccount | null {
  let index = rankIndex.get(ranking);
  if (!index) {
    index = new Map(ranking.accounts.map((a) => [a.accountId, a]));
    rankIndex.set(ranking, index);
  }
  return index.get(accountId) ?? null;
}

/** Commands that change nothing: their key is stored on its own so a repeat posts nothing. */
const READ_ONLY = new Set<Command["kind"]>(["help", "digest", "stats", "mine", "account", "form"]);

/**
 * Runs one parsed command for an actor: one use case → a neutral reply. Changes store the
 * idempotency key with their own transaction; `handleText`/`handleCommand` add the key
 * handling of reads and refusals.
 */
async function executeCommand(services: BotServices, actor: Actor, command: Command, origin: CommandOrigin): Promise<Reply> {
  const ctx = commandContext(services, actor, origin.idempotencyKey ?? null);
  const who = actorLabel(actor);
  switch (command.kind) {
    case "help":
      return { kind: "help", text: say.helpText() };
    case "digest": {
      ensureAllowed(actor, "read");
      const digest = await digestOf(services, services.clock.today());
      return { kind: "digest", view: buildDigestView(digest, { limit: command.all ? undefined : services.digestTop }) };
    }
    case "stats":
      ensureAllowed(actor, "read");
      return { kind: "stats", stats: await getArStats(services, services.clock.today(), services.priority.promiseGraceDays) };
    case "mine":
      return { kind: "home", view: buildHomeView(await getHome(ctx), services.clock.timeZone) };
    case "account": {
      const card = await getAccountCard(ctx, { query: command.query, ...(command.history ? { history: { page: command.history } } : {}) });
      // The card explains the account's place in today's digest: its score and the parts of it.
      const ranking = command.history ? null : (await digestOf(services, services.clock.today())).ranking;
      const ranked = ranking ? { account: rankedAccount(ranking, card.account.id), of: ranking.accounts.length } : null;
      return { kind: "account", view: buildAccountCardView(card, services.clock.timeZone, ranked) };
    }
    case "form":
      return { kind: "form", form: command.form, ...(command.query ? { query: command.query } : {}) };
    case "claim":
      return done(await claimAccount(ctx, command), (r) => ({ accountId: r.account.externalId, ...say.claimed(r, who) }));
    case "release":
      return done(await releaseAccount(ctx, command), (r) => ({ accountId: r.account.externalId, ...say.released(r.account.name, r.function) }));
    case "note":
      return done(await addNote(ctx, command), (r) => ({ accountId: r.account.externalId, ...say.noted(r.account.name) }));
    case "promise": {
      const promisedOn = resolveDate(command.date, services.clock.today());
      return done(await recordPromise(ctx, { query: command.query, amount: command.amount, currency: command.currency, promisedOn }), (r) => ({
        accountId: r.account.externalId,
        ...say.promised(r.account.name, who, r),
      }));
    }
    case "dispute":
      return done(await openDispute(ctx, command), (r) => ({ accountId: r.account.externalId, ...say.disputed(r.invoice.number, r.account.name, r.reason, who) }));
    case "resolve":
      return done(await resolveDispute(ctx, command), (r) => ({ accountId: r.account.externalId, ...say.resolved(r.invoice.number, r.account.name) }));
    case "escalate":
      return escalate(ctx, command, origin, who);
    case "role":
      return done(await setUserRole(ctx, { target: roleTarget(command.target, actor), role: command.role }), (r) => ({ accountId: "", text: describeRoleChange(r, command.role) }));
    case "subscribe":
    case "unsubscribe":
      return subscription(services, ctx, command, origin);
    case "subscribe_escalations":
    case "unsubscribe_escalations":
      return escalationChannel(ctx, command, origin);
    case "acknowledge":
      return done(await acknowledgeEscalation(ctx, command), (r) => ({ accountId: r.account.externalId, ...say.acknowledged(r.account.name, who, r.alreadyClosed) }));
    case "reassign":
      return done(await reassignAccount(ctx, command), (r) => ({ accountId: r.account.externalId, ...say.reassigned(r.account.name, r.function, r.owner, r.previousOwner, who) }));
    case "snooze": {
      const until = resolveDate(command.date, services.clock.today());
      return done(await snoozeAccount(ctx, { query: command.query, until, reason: command.reason }), (r) => ({
        accountId: r.account.externalId,
        ...say.snoozed(r.account.name, r.until, r.reason, who),
      }));
    }
  }
}

/** subscribe escalations / unsubscribe escalations: the channel it was typed in, beside its digest subscription. */
async function escalationChannel(ctx: CommandContext, command: Extract<Command, { kind: "subscribe_escalations" | "unsubscribe_escalations" }>, origin: CommandOrigin): Promise<Reply> {
  const platform = origin.platform;
  if (!platform) return { kind: "error", code: "usage", message: say.SUBSCRIBE_IN_SHELL };
  const channel = origin.channel;
  if (!channel) return { kind: "error", code: "usage", message: say.subscribeInAChannel(platform.invocation) };
  if (command.kind === "unsubscribe_escalations") {
    return done(await unsubscribeEscalations(ctx, { platform: platform.name, channelId: channel.channelId }), () => ({ accountId: "", ...say.escalationsUnsubscribed(ctx.actor) }));
  }
  const result = await subscribeEscalations(ctx, {
    platform: platform.name,
    channelId: channel.channelId,
    tenantId: channel.tenantId,
    conversationRef: channel.conversationRef ?? null,
    sharedWithOtherOrganizations: await channel.sharedWithOtherOrganizations(),
  });
  return done(result, (r) => ({ accountId: "", ...say.escalationsSubscribed(ctx.actor, r.already) }));
}

/**
 * The escalation is recorded, then delivered through the platform it was typed on: direct
 * messages to the owners, else the channel it was typed in is asked. The person hears what
 * went out; the channel hears of it once, only when owners were reached (else it was asked).
 * In the shell it is recorded only: `arbot escalate` delivers from the command line.
 */
async function escalate(ctx: CommandContext, command: Extract<Command, { kind: "escalate" }>, origin: CommandOrigin, who: string): Promise<Reply> {
  const result = await escalateAccount(ctx, command);
  if (result.duplicate) return { kind: "duplicate" };
  const escalation = result.value;
  const recorded = say.escalationRecorded(escalation, who);
  const platform = origin.platform;
  if (!platform) return { kind: "done", accountId: escalation.account.externalId, ...recorded, undelivered: true };
  const channels = origin.channel ? [{ platform: platform.name, channelId: origin.channel.channelId }] : [];
  const sent = await deliverEscalation(platform.notifier, escalation, who, channels, (error) => platform.failure(error)?.code ?? "error");
  await recordEscalationDelivery(ctx, { escalationId: escalation.escalationId, accountId: escalation.account.id, ...deliveryRecord(sent, platform.name) });
  return {
    kind: "done",
    accountId: escalation.account.externalId,
    text: say.escalationDelivered(escalation.account.name, sent, platform.label),
    ...(sent.reached.length > 0 && recorded.announcement ? { announcement: recorded.announcement } : {}),
  };
}

/** subscribe / unsubscribe: the channel the command was typed in, on its platform. */
async function subscription(services: BotServices, ctx: CommandContext, command: Extract<Command, { kind: "subscribe" | "unsubscribe" }>, origin: CommandOrigin): Promise<Reply> {
  const platform = origin.platform;
  if (!platform) return { kind: "error", code: "usage", message: say.SUBSCRIBE_IN_SHELL };
  const channel = origin.channel;
  if (!channel) return { kind: "error", code: "usage", message: say.subscribeInAChannel(platform.invocation) };
  if (command.kind === "unsubscribe") {
    return done(await unsubscribeChannel(ctx, { platform: platform.name, channelId: channel.channelId }), () => ({ accountId: "", ...say.unsubscribed(ctx.actor) }));
  }
  const localTime = command.time ?? services.digestTime;
  const timeZone = command.timeZone ?? services.clock.timeZone;
  const result = await subscribeChannel(ctx, {
    platform: platform.name,
    channelId: channel.channelId,
    tenantId: channel.tenantId,
    scope: command.scope,
    localTime,
    timeZone,
    conversationRef: channel.conversationRef ?? null,
    sharedWithOtherOrganizations: await channel.sharedWithOtherOrganizations(),
  });
  return done(result, (r) => ({ accountId: "", ...say.subscribed(ctx.actor, { scope: command.scope, localTime, timeZone, replaced: r.replaced !== null }) }));
}

/** Text in, reply out, with every refusal turned into an error reply (one mapping place). */
export function handleText(services: BotServices, actor: Actor, text: string, origin: CommandOrigin = {}): Promise<Reply> {
  return answer(services, actor, origin, () => parseCommand(text, origin.platform ?? PLAIN_SYNTAX));
}

/** A command already parsed (a form, a button): the same keys and refusals as typed text. */
export function handleCommand(services: BotServices, actor: Actor, command: Command, origin: CommandOrigin = {}): Promise<Reply> {
  return answer(services, actor, origin, () => command);
}

/**
 * A command from a platform, answered there: the reply goes to the person first (`answer`,
 * the platform's renderer), then a change the team should see is announced in the channel.
 */
export async function converse(services: BotServices, actor: Actor, input: string | Command, origin: CommandOrigin, answerWith: (reply: Reply) => Promise<void>): Promise<Reply> {
  const reply = typeof input === "string" ? await handleText(services, actor, input, origin) : await handleCommand(services, actor, input, origin);
  await answerWith(reply);
  if (reply.kind === "done" && reply.announcement && origin.platform && origin.channel) {
    await origin.platform.notifier.announce({ platform: origin.platform.name, channelId: origin.channel.channelId }, reply.announcement);
  }
  return reply;
}

/** Stores a request's key on its own; true when the request was seen before. */
export async function seenBefore(services: Pick<BotServices, "uow">, key: string): Promise<boolean> {
  return !(await services.uow.firstSeen(key));
}

async function answer(services: BotServices, actor: Actor, origin: CommandOrigin, toCommand: () => Command): Promise<Reply> {
  const key = origin.idempotencyKey ?? null;
  let keyStored = false;
  try {
    const command = toCommand();
    // Reads change nothing: their key is stored first, so a repeat posts nothing.
    if (key && READ_ONLY.has(command.kind)) {
      if (await seenBefore(services, key)) return { kind: "duplicate" };
      keyStored = true;
    }
    return await executeCommand(services, actor, command, origin);
  } catch (error) {
    return keyStored ? errorReply(error) : refusal(services, key, error);
  }
}

/**
 * A refusal as a reply, answered once per request: the key is stored, so the platform
 * retrying the same request hears nothing more. Unexpected errors are rethrown with the
 * key left free, so a retry can succeed.
 */
export async function refusal(services: BotServices, key: string | null, error: unknown): Promise<Reply> {
  const reply = errorReply(error);
  if (key && (await seenBefore(services, key))) return { kind: "duplicate" };
  return reply;
}

export function errorReply(error: unknown): Reply {
  if (error instanceof GrammarError) return { kind: "error", code: "usage", message: error.message };
  if (error instanceof AmbiguousMatch) return { kind: "error", code: "ambiguous", message: error.userMessage, candidates: error.candidates };
  if (error instanceof AppError) return { kind: "error", code: error.code.toLowerCase(), message: error.userMessage };
  throw error;
}
