import { Role, TeamFunction } from "./team";

/** The person behind a command, resolved from a platform identity to an arbot user. */
export interface Actor {
  userId: number;
  handle: string;
  email: string | null;
  displayName: string | null;
  role: Role;
  /** `slack`, `teams`, `shell`, `cli`. */
  platform: string;
  /** Slack guests and users of other organizations read, whatever their role. */
  readOnly: boolean;
}

/** The shell and command-line user (section 5): admin always, whoever else is admin. */
export const LOCAL_ADMIN_HANDLE = "local-admin";

/** How people see each other: email when known, else the arbot handle. */
export function actorLabel(actor: Pick<Actor, "email" | "handle">): string {
  return actor.email ?? actor.handle;
}

/** The function a claim without `as` is for: the caller's own; an admin's is finance. */
export function defaultFunction(role: Role): TeamFunction | null {
  if (role === "finance" || role === "sales" || role === "cs") return role;
  if (role === "admin") return "finance";
  return null;
}
