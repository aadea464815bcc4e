import type { webApi } from "@slack/bolt";
import { Actor } from "../../domain/model/actor";
import { knownActor, resolveUser, UserPolicy } from "../../domain/usecases/resolve-user";
import { Clock } from "../../domain/ports/clock.port";
import { IdentityInput, UnitOfWork } from "../../domain/ports/workspace.port";
import { PlatformDirectory } from "../../domain/ports/platform-directory.port";
import { OwnerLabels } from "./render/digest-blocks";
import { slackFailure } from "./slack-errors";
import { TSlackUser, ZSlackUserSchema } from "./payloads";

/** A person who becomes a guest or leaves the organization is read-only within the hour. */
const PROFILE_TTL_MS = 3_600_000;
const LOOKUP_TTL_MS = 24 * 3_600_000;
/**
 * How long this process reuses an owner's resolved mention: every card and digest with owners
 * asks, and under a burst of requests the same owners' row is read again and again. A person
 * linked by another process is mentioned by id at most this long after.
 */
const MENTION_TTL_MS = 60_000;

export interface Installation {
  teamId: string | null;
  enterpriseId: string | null;
}

/**
 * Slack people ↔ arbot users: who is asking (users.info, cached for an hour: email, guest,
 * organization; the role always from the database) and how to mention an owner (their linked identity, else
 * users.lookupByEmail, cached in the database; the email when Slack does not know them).
 */
export class SlackPeople {
  /** When each person's Slack profile was last read and linked. */
  private readonly profileReadAt = new Map<string, number>();
  /** Owners' Slack ids (null: Slack does not know the email) as last resolved, and when. */
  private readonly mentions = new Map<string, { id: string | null; at: number }>();
  /** Links seen in this process: a mention read before one is not kept after it. */
  private links = 0;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly deps: { uow: UnitOfWork; clock: Clock; policy: UserPolicy; directory: PlatformDirectory; installation: () => Installation; log: (line: string) => void },
  ) {}

  /**
   * The arbot user behind a Slack user. Slack's profile is cached for an hour; the role is
   * read from the database every time, so a role change applies at the next click.
   */
  async actorFor(userId: string, teamId: string | null): Promise<Actor> {
    const now = this.deps.clock.now().getTime();
    const readAt = this.profileReadAt.get(userId);
    // A fresh profile is already linked: only the role is read, nothing is written.
    const known = readAt !== undefined && now - readAt < PROFILE_TTL_MS ? await knownActor({ uow: this.deps.uow }, "slack", userId) : null;
    if (known) return known;
    const profile = await this.profileOf(userId, teamId);
    const actor = await resolveUser({ uow: this.deps.uow, clock: this.deps.clock, policy: this.deps.policy }, profile);
    this.profileReadAt.set(userId, now);
    // Linked now: mentioned by this id from the next message on.
    this.links++;
    if (profile.email) this.mentions.delete(profile.email);
    if (actor.email) this.mentions.delete(actor.email);
    return actor;
  }

  /** users.info, as an identity to link (guest, organization, email). */
  private async profileOf(userId: string, teamId: string | null): Promise<IdentityInput> {
    let info: TSlackUser = {};
    let external = false;
    try {
      const response = await this.client.users.info({ user: userId });
      info = ZSlackUserSchema.parse(response.user ?? {});
    } catch (error) {
      // Someone Slack will not describe to us (a stranger from another organization) reads only.
      external = slackFailure(error)?.code === "user_not_found";
      if (!external) throw error;
    }
    const home = this.deps.installation();
    const otherTeam = Boolean(info.team_id && home.teamId && info.team_id !== home.teamId);
    const sameEnterprise = Boolean(home.enterpriseId && info.enterprise_user?.enterprise_id === home.enterpriseId);
    external ||= info.is_stranger === true || (otherTeam && !sameEnterprise) || Boolean(teamId && home.teamId && teamId !== home.teamId && !sameEnterprise);
    return {
      platform: "slack",
      platformUserId: userId,
      tenantId: info.team_id ?? teamId,
      email: info.profile?.email ?? null,
      displayName: info.profile?.display_name || info.profile?.real_name || info.real_name || null,
      isGuest: info.is_restricted === true || info.is_ultra_restricted === true,
      isExternal: external,
    };
  }

  /** Slack ids of owners by email (null when Slack does not know the email). */
  async slackIds(emails: string[]): Promise<Map<string, string | null>> {
    const now = this.deps.clock.now();
    const known = new Map<string, string | null>();
    const unresolved: string[] = [];
    for (const email of new Set(emails.filter((e) => e.includes("@")))) {
      const recent = this.mentions.get(email);
      if (recent && now.getTime() - recent.at < MENTION_TTL_MS && recent.at <= now.getTime()) known.set(email, recent.id);
      else unresolved.push(email);
    }
    if (unresolved.length === 0) return known;
    const links = this.links;
    const stored = await this.deps.directory.known("slack", unresolved, new Date(now.getTime() - LOOKUP_TTL_MS));
    const resolved = (email: string, id: string | null) => {
      known.set(email, id);
      if (this.links === links) this.mentions.set(email, { id, at: now.getTime() });
    };
    for (const [email, id] of stored) resolved(email, id);
    for (const email of unresolved.filter((e) => !stored.has(e))) {
      try {
        const response = await this.client.users.lookupByEmail({ email });
        const id = response.user?.id ?? null;
        await this.deps.directory.remember("slack", email, id, now);
        resolved(email, id);
      } catch (error) {
        const code = slackFailure(error)?.code ?? null;
        if (code === "users_not_found") {
          await this.deps.directory.remember("slack", email, null, now);
          resolved(email, null);
        } else {
          // Not cached: a rate limit or outage should not hide the mention tomorrow.
          this.deps.log(`users.lookupByEmail ${email} failed: ${code ?? (error as Error).message}`);
          known.set(email, null);
        }
      }
    }
    return known;
  }

  /** Owner → `<@U…>` when Slack knows them, else their email. */
  async ownerLabels(owners: string[]): Promise<OwnerLabels> {
    const ids = await this.slackIds(owners);
    const labels: OwnerLabels = new Map();
    for (const [email, id] of ids) if (id) labels.set(email, `<@${id}>`);
    return labels;
  }
}
