import { TeamsInfo, TurnContext } from "botbuilder";
import { Actor } from "../../domain/model/actor";
import { knownActor, resolveUser, UserPolicy } from "../../domain/usecases/resolve-user";
import { Clock } from "../../domain/ports/clock.port";
import { IdentityInput, UnitOfWork } from "../../domain/ports/workspace.port";
import { PlatformDirectory } from "../../domain/ports/platform-directory.port";
import { OwnerIds } from "./render/cards";
import { describeTeamsFailure } from "./teams-errors";

/** A person who becomes a guest or leaves the tenant is read-only within the hour. */
const PROFILE_TTL_MS = 3_600_000;

/** A Teams user as arbot knows them: the Entra (AAD) object id, else the Teams user id. */
export function teamsUserId(from: { id: string; aadObjectId?: string }): string {
  return from.aadObjectId || from.id;
}

/** The tenant of the conversation an activity came from. */
export function tenantOf(activity: TurnContext["activity"]): string | null {
  const data = activity.channelData as { tenant?: { id?: string } } | undefined;
  return data?.tenant?.id ?? activity.conversation?.tenantId ?? null;
}

/**
 * Teams people ↔ arbot users: who is asking (the Connector's member lookup, cached for an
 * hour: email or user principal name, guest, tenant; the role always from the database),
 * and how to mention an owner (their linked identity).
 */
export class TeamsPeople {
  private readonly profileReadAt = new Map<string, number>();

  constructor(private readonly deps: { uow: UnitOfWork; clock: Clock; policy: UserPolicy; directory: PlatformDirectory; log: (line: string) => void }) {}

  async actorFor(context: TurnContext): Promise<Actor> {
    const from = context.activity.from;
    const userId = teamsUserId(from);
    const now = this.deps.clock.now().getTime();
    const readAt = this.profileReadAt.get(userId);
    const known = readAt !== undefined && now - readAt < PROFILE_TTL_MS ? await knownActor({ uow: this.deps.uow }, "teams", userId) : null;
    if (known) return known;
    const { profile, looked } = await this.profileOf(context, userId);
    const actor = await resolveUser({ uow: this.deps.uow, clock: this.deps.clock, policy: this.deps.policy }, profile);
    // A failed lookup is asked again at the next message, not an hour later: until then the
    // person is known without an email, so with the default role even if AR_ADMINS names them.
    if (looked) this.profileReadAt.set(userId, now);
    return actor;
  }

  /** GET v3/conversations/{team or conversation}/members/{user}: the email (else the UPN), guest, tenant; `looked` false when the lookup failed. */
  private async profileOf(context: TurnContext, userId: string): Promise<{ profile: IdentityInput; looked: boolean }> {
    const from = context.activity.from;
    const tenant = tenantOf(context.activity);
    let member: Awaited<ReturnType<typeof TeamsInfo.getMember>> | null = null;
    try {
      member = await TeamsInfo.getMember(context, from.id);
    } catch (error) {
      // Without the lookup the person is known by id only: they get the default role, never an admin's.
      this.deps.log(`teams member lookup for ${from.id} failed: ${describeTeamsFailure(error)}`);
    }
    const email = member?.email || member?.userPrincipalName || null;
    const role = member?.userRole?.toLowerCase();
    const profile: IdentityInput = {
      platform: "teams",
      platformUserId: userId,
      tenantId: member?.tenantId ?? tenant,
      email: email && email.includes("@") ? email : null,
      displayName: member?.name ?? from.name ?? null,
      isGuest: role === "guest" || role === "anonymous",
      isExternal: Boolean(member?.tenantId && tenant && member.tenantId !== tenant),
    };
    return { profile, looked: member !== null };
  }

  /** The id arbot knows a mentioned person by: their Entra object id from the member lookup, else the Teams id. */
  async entraIdOf(context: TurnContext, teamsId: string): Promise<string> {
    try {
      return (await TeamsInfo.getMember(context, teamsId)).aadObjectId || teamsId;
    } catch (error) {
      this.deps.log(`teams member lookup for ${teamsId} failed: ${describeTeamsFailure(error)}`);
      return teamsId;
    }
  }

  /** Owners Teams knows (a linked identity): email → their id, for mentions. */
  async ownerIds(emails: string[]): Promise<OwnerIds> {
    const unique = [...new Set(emails.filter((e) => e.includes("@")))];
    const known = await this.deps.directory.known("teams", unique, this.deps.clock.now());
    const ids: OwnerIds = new Map();
    for (const [email, id] of known) if (id) ids.set(email, id);
    return ids;
  }
}
