import { actorLabel } from "../model/actor";
import { AppError } from "../model/app-error";
import { Role } from "../model/team";
import { ensureAllowed } from "../policies/permissions";
import { Idempotent, UserRecord } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";

export type UserTarget = { email: string } | { platformUserId: string; platform: string } | { handle: string };

/** role <@user|email> <role>: admins only; the last admin cannot step down. */
export async function setUserRole(ctx: CommandContext, input: { target: UserTarget; role: Role }): Promise<Idempotent<{ user: UserRecord; previous: Role }>> {
  ensureAllowed(ctx.actor, "set_role");
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    let user: UserRecord | null;
    if ("email" in input.target) {
      const email = input.target.email.toLowerCase();
      // An admin may set the role of someone not seen yet: it applies when they first arrive.
      user = (await ws.users.findByEmail(email)) ?? (await ws.users.createUser({ handle: email, email, displayName: null, role: input.role }));
    } else if ("handle" in input.target) {
      user = await ws.users.findByHandle(input.target.handle);
    } else {
      user = await ws.users.findByIdentity(input.target.platform, input.target.platformUserId);
    }
    if (!user) throw new AppError("NOT_FOUND", "No such user yet: they appear when they first use arbot, or give their email.");
    const previous = user.role;
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
