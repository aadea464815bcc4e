import { Actor } from "../model/actor";
import { Role } from "../model/team";
import { Clock } from "../ports/clock.port";
import { IdentityInput, UnitOfWork, UserWithIdentity } from "../ports/workspace.port";

export interface UserPolicy {
  /** AR_ADMINS, lower-cased. */
  admins: string[];
  /** AR_DEFAULT_ROLE. */
  defaultRole: Role;
}

function toActor(user: UserWithIdentity, platform: string): Actor {
  return {
    userId: user.id,
    handle: user.handle,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    platform,
    readOnly: user.isGuest || user.isExternal,
  };
}

/**
 * (platform, platform user id, email) → arbot user. Someone seen for the first time is
 * linked to the user with the same email (imports create those), or created with
 * AR_DEFAULT_ROLE; an email listed in AR_ADMINS starts as admin. Someone first seen without
 * an email (the platform's lookup failed) gets it, or joins its user, once it is known.
 */
export async function resolveUser(
  deps: { uow: UnitOfWork; clock: Clock; policy: UserPolicy },
  identity: IdentityInput,
  newUser: { handle?: string; role?: Role } = {},
): Promise<Actor> {
  const email = identity.email?.trim().toLowerCase() || null;
  const result = await deps.uow.run(null, async (ws) => {
    const known = await ws.users.findByIdentity(identity.platform, identity.platformUserId);
    const isAdminEmail = email !== null && deps.policy.admins.includes(email);
    const role: Role = newUser.role ?? (isAdminEmail ? "admin" : deps.policy.defaultRole);
    const handle = newUser.handle ?? email ?? `${identity.platform}:${identity.platformUserId}`;
    const linked = await ws.users.linkIdentity({ ...identity, email }, { handle, role }, deps.clock.now());
    // An admin's email, seen for the first time with this identity (new, or first seen without an email).
    if ((!known || !known.email) && isAdminEmail && linked.role !== "admin") {
      await ws.users.setRole(linked.id, "admin");
      return { ...linked, role: "admin" as Role };
    }
    return linked;
  });
  if (result.duplicate) throw new Error("unreachable: no idempotency key");
  return toActor(result.value, identity.platform);
}

/** An identity seen before, read without writing (its role as it is now); null when new. */
export async function knownActor(deps: { uow: UnitOfWork }, platform: string, platformUserId: string): Promise<Actor | null> {
  const user = await deps.uow.read((ws) => ws.users.findByIdentity(platform, platformUserId));
  return user ? toActor(user, platform) : null;
}
