import { Actor, actorLabel } from "../../domain/model/actor";
import { formatHumanDate } from "../../domain/model/business-date";
import { formatMoney } from "../../domain/model/money";
import { ClaimOutcome } from "../../domain/usecases/claim-account";
import { EscalationOutcome } from "../../domain/usecases/escalate-account";
import { USAGE } from "../commands/grammar";

/**
 * Every sentence the bot answers a command with, on any platform and in the shell: the
 * platforms render these, they never word a reply themselves. `invocation` is how people
 * address arbot where they typed (`/ar` on Slack).
 */
export function helpText(): string {
  return [
    "arbot commands (account: an id or part of a name; quote names with spaces):",
    ...Object.values(USAGE).map((usage) => `  ${usage}`),
    "note, promise and dispute without arguments open a form where the platform has forms.",
    "Dates: YYYY-MM-DD, today, tomorrow, mon…sun (the next one).",
  ].join("\n");
}

export interface Said {
  /** For the person who asked. */
  text: string;
  /** For the channel, when the team should see it. */
  announcement?: string;
}

export const claimed = (r: ClaimOutcome, who: string): Said => ({
  text: r.alreadyYours
    ? `You already own ${r.account.name} for ${r.function}.`
    : r.previousOwner
      ? `You took over ${r.account.name} (${r.function}) from ${r.previousOwner}.`
      : `You now own ${r.account.name} for ${r.function}.`,
  ...(r.alreadyYours
    ? {}
    : { announcement: r.previousOwner ? `${who} took over ${r.account.name} (${r.function}) from ${r.previousOwner}.` : `${who} claimed ${r.account.name} for ${r.function}.` }),
});

export const released = (name: string, fn: string): Said => ({ text: `You released ${name} (${fn}); it has no ${fn} owner now.` });

export const noted = (name: string): Said => ({ text: `Note added to ${name}.` });

export function promised(
  name: string,
  who: string,
  p: { amountMinor: bigint; currency: string; promisedOn: string; cancelled: { amountMinor: bigint; promisedOn: string } | null },
): Said {
  const what = `${formatMoney(p.amountMinor, p.currency)} by ${formatHumanDate(p.promisedOn)}`;
  const replaced = p.cancelled ? ` It replaces the open promise of ${formatMoney(p.cancelled.amountMinor, p.currency)} by ${formatHumanDate(p.cancelled.promisedOn)}.` : "";
  return { text: `Promise recorded: ${name} will pay ${what}.${replaced}`, announcement: `${who} recorded a promise: ${name} will pay ${what}.` };
}

export const disputed = (invoice: string, name: string, reason: string, who: string): Said => ({
  text: `${invoice} is disputed; it leaves the ranking until resolved.`,
  announcement: `${who} opened a dispute on ${invoice} (${name}): “${reason}”.`,
});

export const resolved = (invoice: string, name: string): Said => ({ text: `The dispute on ${invoice} (${name}) is resolved.` });

/** What was recorded; where it went out is said by `escalationDelivered` once a platform delivered it. */
export function escalationRecorded(r: EscalationOutcome, who: string): Said {
  const to = r.owners.length > 0 ? `for ${r.owners.map(actorLabel).join(", ")}` : "it has no owner yet";
  return { text: `Escalation of ${r.account.name} recorded: ${to}.`, announcement: `${who} escalated ${r.account.name}${r.reason ? `: “${r.reason}”` : ""}.` };
}

/** The name subscription announcements use: the address people know. */
const subscriber = (actor: Actor) => actor.email ?? actor.handle;

export function subscribed(actor: Actor, s: { scope: string; localTime: string; timeZone: string; replaced: boolean }): Said {
  const whose = s.scope === "all" ? "every owner" : `${s.scope} owners`;
  return {
    text: `This channel gets the AR digest on business days at ${s.localTime} (${s.timeZone}), mentioning ${whose}.${s.replaced ? " It replaces the previous subscription." : ""}`,
    announcement: `${subscriber(actor)} subscribed this channel to the daily AR digest at ${s.localTime} (${s.timeZone}).`,
  };
}

export const unsubscribed = (actor: Actor): Said => ({
  text: "This channel will no longer get the AR digest.",
  announcement: `${subscriber(actor)} unsubscribed this channel from the daily AR digest.`,
});

export const escalationsSubscribed = (actor: Actor, already: boolean): Said =>
  already
    ? { text: "This channel already hears escalations." }
    : {
        text: "This channel now hears escalations: accounts nobody owns, and those still stalled after their owners were told (level 2 and 3). Its digest subscription, if any, is unchanged.",
        announcement: `${subscriber(actor)} subscribed this channel to AR escalations.`,
      };

export const escalationsUnsubscribed = (actor: Actor): Said => ({
  text: "This channel will no longer hear escalations; they go to the finance (or all) digest channels instead.",
  announcement: `${subscriber(actor)} unsubscribed this channel from AR escalations.`,
});

export const acknowledged = (name: string, who: string, alreadyClosed: boolean): Said => ({
  text: alreadyClosed
    ? `Noted: you are on ${name}. Its escalation was already closed; the idle clock restarts today.`
    : `Thanks: you are on ${name}. Its escalation is closed and the idle clock restarts today.`,
  announcement: `${who} is on ${name}.`,
});

export const reassigned = (name: string, fn: string, owner: string, previous: string | null, who: string): Said => ({
  text: `${owner} now owns ${name} for ${fn}${previous ? ` (was ${previous})` : ""}.`,
  announcement: `${who} reassigned ${name} (${fn}) to ${owner}${previous ? `, from ${previous}` : ""}.`,
});

export const snoozed = (name: string, until: string, reason: string, who: string): Said => ({
  text: `${name} will not be escalated through ${formatHumanDate(until)}.`,
  announcement: `${who} snoozed escalations of ${name} until ${formatHumanDate(until)}: “${reason}”.`,
});

export const SUBSCRIBE_IN_SHELL = "Subscriptions belong to a Slack or Teams channel: run /ar subscribe there. The shell shows the digest with: digest";

export const subscribeInAChannel = (invocation: string) => `Run ${invocation} subscribe in the channel that should get the digest.`;

export const formsNeedAButton = (invocation: string, form: string) =>
  `Forms open from ${invocation} ${form} or the buttons; here, type ${form} with its arguments (${invocation} help shows them).`;

export interface EscalationDelivery {
  /** Owners who got a direct message. */
  reached: string[];
  /** Owners the platform does not know. */
  notReachable: string[];
  /** Owners whose direct message failed, with why. */
  failed: string[];
  /** Channels asked to follow up (nobody could be reached). */
  channels: number;
  /** Their ids, for the timeline. */
  askedChannels?: string[];
  failedChannels: string[];
}

/** What the person who escalated is told, on any platform and on the command line. */
export function escalationDelivered(accountName: string, sent: EscalationDelivery, platformLabel: string): string {
  const missed = [
    ...(sent.notReachable.length > 0 ? [`not on ${platformLabel}: ${sent.notReachable.join(", ")}`] : []),
    ...(sent.failed.length > 0 ? [`could not reach ${sent.failed.join(", ")}`] : []),
  ];
  const aside = (parts: string[]) => (parts.length > 0 ? ` (${parts.join("; ")})` : "");
  if (sent.reached.length > 0) return `Escalated ${accountName}: sent to ${sent.reached.join(", ")}${aside(missed)}.`;
  const unowned = sent.notReachable.length + sent.failed.length === 0;
  const why = unowned ? "" : ` none of its owners could be reached${aside(missed)};`;
  const failed = sent.failedChannels.length > 0 ? [`could not post in ${sent.failedChannels.join(", ")}`] : [];
  if (sent.channels > 0) {
    const asked = `${sent.channels} channel${sent.channels === 1 ? "" : "s"} asking someone to ${unowned ? "claim it" : "follow up"}`;
    return `Escalated ${accountName}:${why} sent to ${asked}${aside(failed)}.`;
  }
  const nobody = unowned ? "it has no owner" : `none of its owners could be reached${aside(missed)}`;
  const channels = failed.length > 0 ? `no channel could be asked${aside(failed)}` : "there was no channel to ask";
  return `Escalation of ${accountName} recorded, but nobody was told: ${nobody}, and ${channels}.`;
}
