import type { Application } from "express";
import { DigestTarget } from "../../domain/model/delivery";
import { Notifier } from "../../domain/ports/notifier.port";
import { DigestView } from "../views/digest-view";
import { EscalationView } from "../views/escalation-view";

/** A platform's Notifier, speaking the neutral views of bot/views. */
export type ChatNotifier = Notifier<DigestView, EscalationView>;

/** How people write on a platform: the markup it sends for a mention or an email. */
export interface PlatformSyntax {
  /** The platform user id a mention names (`<@U024BE7LH>` on Slack), or null when the word is not one. */
  decodeMention(word: string): string | null;
  /** The address of an email the platform decorated (`<mailto:…|…>` on Slack), or null. */
  decodeEmail(word: string): string | null;
}

/** Text typed in the shell: no mention markup, plain addresses. */
export const PLAIN_SYNTAX: PlatformSyntax = {
  decodeMention: () => null,
  decodeEmail: () => null,
};

/**
 * What a command needs of the platform it came from: its name (stored with identities and
 * subscriptions), its words for people, how its text marks mentions, and its Notifier.
 */
export interface ChatSurface extends PlatformSyntax {
  /** `slack`, `teams`: stored with identities, subscriptions and digest runs. */
  readonly name: string;
  /** `Slack`, `Microsoft Teams`: in sentences. */
  readonly label: string;
  /** How people address arbot there, in sentences: `/ar`, `@arbot`. */
  readonly invocation: string;
  readonly notifier: ChatNotifier;
  /** The platform's one reading of its own errors; null for an error that is not the platform's. */
  failure(error: unknown): PlatformFailure | null;
}

/** A platform error, read once: its code, whether retrying can help, and a sentence for the person. */
export interface PlatformFailure {
  /** The platform's code: `not_in_channel`, `ratelimited`, `http_503`… */
  code: string;
  /** Retrying will not fix it for this channel (not a member, archived, token revoked…). */
  permanent: boolean;
  sentence: string;
}

/**
 * One chat platform, connected (its credentials checked). The composition root builds one
 * per configured platform; `serve` mounts each on the HTTP server, `digest --send`,
 * `escalate` and the scheduler use their notifiers.
 */
export interface ChatPlatform extends ChatSurface {
  /** Where it listens, for the start-up line (`over HTTP at POST /slack/events`). */
  readonly endpoint: string;
  /** Registers its routes on the server (or opens its socket); listening starts after. */
  mount(web: Application): Promise<void>;
  /** Closes what `mount` opened. */
  stop(): Promise<void>;
}

/** A channel a command was typed in, when a digest can go there. */
export interface ChatChannel extends Pick<DigestTarget, "channelId"> {
  /** The workspace or tenant the channel belongs to, when the platform says. */
  tenantId: string | null;
  /** What the platform needs to post there later unprompted (Teams: the conversation reference); null when its id is enough. */
  conversationRef?: Record<string, unknown> | null;
  /** Whether people of another organization are in it: digests must not go there. */
  sharedWithOtherOrganizations(): Promise<boolean>;
}

/** The platform could not be reached at start (network, outage): exit 75 on the command line. */
export class ChatPlatformUnavailable extends Error {}
