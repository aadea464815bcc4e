import { Actor, defaultFunction } from "../../domain/model/actor";
import { addDays, BusinessDate } from "../../domain/model/business-date";
import { Subscription } from "../../domain/model/subscription";
import { ensureAllowed } from "../../domain/policies/permissions";
import { findAccount } from "../../domain/usecases/find-account";
import { getHome } from "../../domain/usecases/get-home";
import { digestOf } from "../digest-cache";
import { buildDigestView, DigestView } from "../views/digest-view";
import { buildHomeView, HomeView } from "../views/home-view";
import { BotServices, commandContext, converse, CommandOrigin, Reply } from "./dispatch";
import { FormKind } from "./grammar";

/**
 * What buttons, forms and home tabs ask of the bot, on any platform: the platform turns a
 * click into one of these calls and renders what comes back.
 */

/** "Show all": one page of every qualifying account of a digest, as of the day it was posted for. */
export async function digestPage(services: BotServices, actor: Actor, page: { asOf: BusinessDate; offset: number; limit: number }): Promise<DigestView> {
  ensureAllowed(actor, "read");
  const digest = await digestOf(services, page.asOf);
  return buildDigestView(digest, { offset: page.offset, limit: page.limit });
}

/** The personal home (Slack App Home, a Teams personal tab): my accounts, promises due, escalations. */
export async function personalHome(services: BotServices, actor: Actor): Promise<HomeView> {
  return buildHomeView(await getHome(commandContext(services, actor)), services.clock.timeZone);
}

/** What a form opens with: the account when the query names exactly one, the typed query otherwise. */
export interface FormPrefill {
  account?: { externalId: string; name: string };
  query?: string;
  /** The first date a promise may be made for, as the date picker's default. */
  tomorrow: BusinessDate;
}

export async function formPrefill(services: BotServices, form: FormKind, query?: string): Promise<FormPrefill> {
  const tomorrow = addDays(services.clock.today(), 1);
  // A dispute asks for an invoice: the query stays as typed.
  if (!query || form === "dispute") return { tomorrow, ...(query ? { query } : {}) };
  const account = await services.uow.read((ws) => findAccount(ws, query)).catch(() => null);
  return account ? { tomorrow, account: { externalId: account.externalId, name: account.name } } : { tomorrow, query };
}

/**
 * The Claim button of a channel digest: claims for the channel's function (the clicker's
 * own function when the channel digest is for everyone). The claim is not announced: the
 * channel sees it in the digest, which the platform refreshes with `postedDigest`.
 */
export async function claimFromDigest(
  services: BotServices,
  actor: Actor,
  accountId: string,
  origin: CommandOrigin,
  answerWith: (reply: Reply) => Promise<void>,
): Promise<{ reply: Reply; subscription: Subscription | null }> {
  const subscription = origin.platform && origin.channel ? await services.runs.subscriptionOf(origin.platform.name, origin.channel.channelId) : null;
  const fn = subscription && subscription.scope !== "all" ? subscription.scope : defaultFunction(actor.role);
  const reply = await converse(services, actor, { kind: "claim", query: accountId, ...(fn ? { function: fn } : {}), takeover: false }, { ...origin, channel: null }, answerWith);
  return { reply, subscription };
}

/**
 * A posted channel digest as it reads now (current owners), for the day it was posted for;
 * null when the message is not a digest arbot posted.
 */
export async function postedDigest(services: BotServices, platform: string, channelId: string, messageRef: string): Promise<{ view: DigestView; scope: Subscription["scope"] } | null> {
  const run = await services.runs.runOfMessage(platform, channelId, messageRef);
  if (!run) return null;
  const subscription = await services.runs.subscriptionOf(platform, channelId);
  const digest = await digestOf(services, run.localDate);
  return { view: buildDigestView(digest, { limit: services.digestTop }), scope: subscription?.scope ?? "all" };
}
