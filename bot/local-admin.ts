import { Actor } from "../domain/model/actor";
import { resolveUser } from "../domain/usecases/resolve-user";
import { App } from "./main";

/** The terminal's user: `local-admin` on platform `shell`, role admin (section 5). */
export function localAdmin(app: App, platform = "shell"): Promise<Actor> {
  return resolveUser(
    { uow: app.uow, clock: app.clock, policy: app.users },
    { platform: "shell", platformUserId: "local-admin", tenantId: null, email: null, displayName: "Local admin", isGuest: false, isExternal: false },
    { handle: "local-admin", role: "admin" },
  ).then((actor) => ({ ...actor, platform }));
}
