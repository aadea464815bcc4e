import { Actor, actorLabel } from "../../domain/model/actor";
import { AmbiguousMatch, AppError, Candidate } from "../../domain/model/app-error";
import { formatHumanDate } from "../../domain/model/business-date";
import { formatMoney } from "../../domain/model/money";
import { ensureAllowed } from "../../domain/policies/permissions";
import { Clock } from "../../domain/ports/clock.port";
import { LedgerReader } from "../../domain/ports/ledger-reader.port";
import { Idempotent, UnitOfWork } from "../../domain/ports/workspace.port";
import { PriorityPolicy } from "../../domain/policies/priority";
import { addNote } from "../../domain/usecases/add-note";
import { claimAccount } from "../../domain/usecases/claim-account";
import { CommandContext } from "../../domain/usecases/command-context";
import { escalateAccount, EscalationOutcome } from "../../domain/usecases/escalate-account";
import { getAccountCard } from "../../domain/usecases/get-account-card";
import { ArStats, getArStats } from "../../domain/usecases/get-ar-stats";
import { getHome } from "../../domain/usecases/get-home";
import { openDispute } from "../../domain/usecases/open-dispute";
import { prepareDigest } from "../../domain/usecases/prepare-digest";
import { recordPromise } from "../../domain/usecases/record-promise";
import { releaseAccount } from "../../domain/usecases/release-account";
import { resolveDispute } from "../../domain/usecases/resolve-dispute";
import { describeRoleChange, setUserRole, UserTarget } from "../../domain/usecases/set-user-role";
import { AccountCardView, buildAccountCardView } from "../views/account-card-view";
import { buildDigestView, DigestView } from "../views/digest-view";
import { buildHomeView, HomeView } from "../views/home-view";
import { Command, FormKind, GrammarError, parseCommand, resolveDate, USAGE } from "./grammar";

export interface BotServices {
  uow: UnitOfWork;
  clock: Clock;
  ledger: LedgerReader;
  priority: PriorityPolicy;
  digestTop: number;
}

/** Where a command came from: a channel (Slack/Teams) or nowhere (the shell). */
export interface CommandOrigin {
  idempotencyKey?: string | null;
  channel?: { platform: string; channelId: string } | null;
}

/** What the bot answers, chat-neutral; each adapter renders it. */
export type Reply =
  | { kind: "help"; text: string }
  | { kind: "digest"; view: DigestView }
  | { kind: "stats"; stats: ArStats }
  | { kind: "account"; view: AccountCardView }
  | { kind: "home"; view: HomeView }
  | { kind: "form"; form: FormKind; query?: string }
  /** A change: `text` for the caller, `announcement` for the team when it should see it. */
  | { kind: "done"; text: string; announcement?: string; accountId: string; escalation?: EscalationOutcome }
  | { kind: "duplicate" }
  | { kind: "error"; code: string; message: string; candidates?: Candidate[] }
  | { kind: "subscription"; command: Extract<Command, { kind: "subscribe" | "unsubscribe" }> };

export function helpText(): string {
  return [
    "arbot commands (account: an id or part of a name; quote names with spaces):",
    ...Object.values(USAGE).map((usage) => `  ${usage}`),
    "note, promise and dispute without arguments open a form where the platform has forms.",
    "Dates: YYYY-MM-DD, today, tomorrow, mon…sun (the next one).",
  ].join("\n");
}

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
      return { kind: "help", text: helpText() };
    case "digest": {
      ensureAllowed(actor, "read");
      const digest = await prepareDigest(services, services.clock.today(), services.priority);
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
      const ranking = command.history ? null : (await prepareDigest(services, services.clock.today(), services.priority)).ranking;
      const ranked = ranking ? { account: ranking.accounts.find((a) => a.accountId === card.account.id) ?? null, of: ranking.accounts.length } : null;
      return { kind: "account", view: buildAccountCardView(card, services.clock.timeZone, ranked) };
    }
    case "form":
      return { kind: "form", form: command.form, ...(command.query ? { query: command.query } : {}) };
    case "claim":
      return done(await claimAccount(ctx, command), (r) => ({
        accountId: r.account.externalId,
        text: r.alreadyYours
          ? `You already own ${r.account.name} for ${r.function}.`
          : r.previousOwner
            ? `You took over ${r.account.name} (${r.function}) from ${r.previousOwner}.`
            : `You now own ${r.account.name} for ${r.function}.`,
        ...(r.alreadyYours
          ? {}
          : { announcement: r.previousOwner ? `${who} took over ${r.account.name} (${r.function}) from ${r.previousOwner}.` : `${who} claimed ${r.account.name} for ${r.function}.` }),
      }));
    case "release":
      return done(await releaseAccount(ctx, command), (r) => ({ accountId: r.account.externalId, text: `You released ${r.account.name} (${r.function}); it has no ${r.function} owner now.` }));
    case "note":
      return done(await addNote(ctx, command), (r) => ({ accountId: r.account.externalId, text: `Note added to ${r.account.name}.` }));
    case "promise": {
      const promisedOn = resolveDate(command.date, services.clock.today());
      return done(await recordPromise(ctx, { query: command.query, amount: command.amount, currency: command.currency, promisedOn }), (r) => {
        const what = `${formatMoney(r.amountMinor, r.currency)} by ${formatHumanDate(r.promisedOn)}`;
        const replaced = r.cancelled ? ` It replaces the open promise of ${formatMoney(r.cancelled.amountMinor, r.currency)} by ${formatHumanDate(r.cancelled.promisedOn)}.` : "";
        return { accountId: r.account.externalId, text: `Promise recorded: ${r.account.name} will pay ${what}.${replaced}`, announcement: `${who} recorded a promise: ${r.account.name} will pay ${what}.` };
      });
    }
    case "dispute":
      return done(await openDispute(ctx, command), (r) => ({
        accountId: r.account.externalId,
        text: `${r.invoice.number} is disputed; it leaves the ranking until resolved.`,
        announcement: `${who} opened a dispute on ${r.invoice.number} (${r.account.name}): “${r.reason}”.`,
      }));
    case "resolve":
      return done(await resolveDispute(ctx, command), (r) => ({ accountId: r.account.externalId, text: `The dispute on ${r.invoice.number} (${r.account.name}) is resolved.` }));
    case "escalate":
      // The text says what was recorded; a platform delivers it and says what went out.
      return done(await escalateAccount(ctx, command), (r) => {
        const to = r.owners.length > 0 ? `for ${r.owners.map(actorLabel).join(", ")}` : "it has no owner yet";
        return {
          accountId: r.account.externalId,
          escalation: r,
          text: `Escalation of ${r.account.name} recorded: ${to}.`,
          announcement: `${who} escalated ${r.account.name}${r.reason ? `: “${r.reason}”` : ""}.`,
        };
      });
    case "role":
      return done(await setUserRole(ctx, { target: roleTarget(command.target, actor), role: command.role }), (r) => ({ accountId: "", text: describeRoleChange(r, command.role) }));
    case "subscribe":
    case "unsubscribe":
      if (!origin.channel) {
        return { kind: "error", code: "usage", message: "Subscriptions belong to a Slack or Teams channel: run /ar subscribe there. The shell shows the digest with: digest" };
      }
      return { kind: "subscription", command };
  }
}

/** Text in, reply out, with every refusal turned into an error reply (one mapping place). */
export function handleText(services: BotServices, actor: Actor, text: string, origin: CommandOrigin = {}): Promise<Reply> {
  return answer(services, actor, origin, () => parseCommand(text));
}

/** A command already parsed (a form, a button): the same keys and refusals as typed text. */
export function handleCommand(services: BotServices, actor: Actor, command: Command, origin: CommandOrigin = {}): Promise<Reply> {
  return answer(services, actor, origin, () => command);
}

/** Stores a request's key on its own; true when the request was seen before. */
async function seenBefore(services: BotServices, key: string): Promise<boolean> {
  return (await services.uow.run(key, async () => undefined)).duplicate;
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
