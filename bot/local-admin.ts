import { Actor, LOCAL_ADMIN_HANDLE } from "../domain/model/actor";
import { resolveUser } from "../domain/usecases/resolve-user";
import { App } from "./main";

/**
 * The terminal's user: `local-admin` on platform `shell`, role admin (section 5). Its role
 * cannot be changed; one lowered before that rule existed is put back here.
 */
export async function localAdmin(app: App, platform = "shell"): Promise<Actor> {
  const actor = await resolveUser(
    { uow: app.uow, clock: app.clock, policy: app.users },
    { platform: "shell", platformUserId: LOCAL_ADMIN_HANDLE, tenantId: null, email: null, displayName: "Local admin", isGuest: false, isExternal: false },
    { handle: LOCAL_ADMIN_HANDLE, role: "admin" },
  );
  if (actor.role !== "admin") await app.uow.run(null, (ws) => ws.users.setRole(actor.userId, "admin"));
  return { ...actor, role: "admin", platform };
}
