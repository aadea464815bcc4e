import { actorLabel, LOCAL_ADMIN_HANDLE } from "../model/actor";
import { AppError } from "../model/app-error";
import { Role } from "../model/team";
import { ensureAllowed } from "../policies/permissions";
import { Idempotent, UserRecord, Workspace } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";

export type UserTarget = { email: string } | { platformUserId: string; platform: string } | { handle: string };

export interface RoleOutcome {
  user: UserRecord;
  /** null: the person was not known yet; the role applies when they first arrive. */
  previous: Role | null;
}

async function findTarget(ws: Workspace, target: UserTarget): Promise<UserRecord | null> {
  if ("email" in target) return ws.users.findByEmail(target.email.toLowerCase());
  if ("handle" in target) return ws.users.findByHandle(target.handle);
  return ws.users.findByIdentity(target.platform, target.platformUserId);
}

/**
 * role <@user|email> <role>: admins only; the last admin cannot step down, and local-admin
 * (the shell and command line) stays admin.
 */
export async function setUserRole(ctx: CommandContext, input: { target: UserTarget; role: Role }): Promise<Idempotent<RoleOutcome>> {
  ensureAllowed(ctx.actor, "set_role");
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const user = await findTarget(ws, input.target);
    if (!user) {
      if (!("email" in input.target)) throw new AppError("NOT_FOUND", "No such user yet: they appear when they first use arbot, or give their email.");
      // Someone not seen yet: the role waits for them.
      const email = input.target.email.toLowerCase();
      const created = await ws.users.createUser({ handle: email, email, displayName: null, role: input.role });
      await recordChange(ws, ctx, null, "role_changed", { subject: email, before: null, after: { role: input.role } });
      return { user: created, previous: null };
    }
    const previous = user.role;
    if (user.handle === LOCAL_ADMIN_HANDLE && input.role !== "admin") {
      throw new AppError("CONFLICT", `${LOCAL_ADMIN_HANDLE} is the shell and command-line user and always stays admin; its role cannot change.`);
    }
    if (previous === "admin" && input.role !== "admin") {
      const admins = (await ws.users.listUsers()).filter((u) => u.role === "admin");
      if (admins.length <= 1) throw new AppError("CONFLICT", `${actorLabel(user)} is the last admin; make someone else admin first.`);
    }
    if (previous !== input.role) {
      await ws.users.setRole(user.id, input.role);
      await recordChange(ws, ctx, null, "role_changed", { subject: actorLabel(user), before: { role: previous }, after: { role: input.role } });
    }
    return { user: { ...user, role: input.role }, previous };
  });
}

/** The answer to a role change, the same in chat and on the command line. */
export function describeRoleChange(outcome: RoleOutcome, role: Role): string {
  const who = actorLabel(outcome.user);
  if (outcome.previous === null) return `${who} is now ${role}; it applies when they first use arbot.`;
  if (outcome.previous === role) return `${who} already has the ${role} role.`;
  return `${who} is now ${role} (was ${outcome.previous}).`;
}
