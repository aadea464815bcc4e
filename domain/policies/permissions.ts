import { Actor } from "../model/actor";
import { AppError } from "../model/app-error";
import { Role, ROLES, TeamFunction } from "../model/team";

/** What a command does, for the permission table of ARCHITECTURE.md section 5. */
export type Action =
  | "read"
  | "claim"
  | "release"
  | "note"
  | "promise"
  | "dispute"
  | "escalate"
  | "snooze"
  | "resolve"
  | "subscribe"
  | "takeover"
  | "set_role"
  | "manage_users";

const MEMBER_ACTIONS: Action[] = ["read", "claim", "release", "note", "promise", "dispute", "escalate", "snooze"];
const ALLOWED: Record<Role, Action[]> = {
  viewer: ["read"],
  sales: MEMBER_ACTIONS,
  cs: MEMBER_ACTIONS,
  finance: [...MEMBER_ACTIONS, "resolve", "subscribe"],
  admin: [...MEMBER_ACTIONS, "resolve", "subscribe", "takeover", "set_role", "manage_users"],
};

const WORDS: Record<Action, string> = {
  read: "read",
  claim: "claim accounts",
  release: "release accounts",
  note: "add notes",
  promise: "record promises",
  dispute: "open disputes",
  escalate: "escalate accounts",
  snooze: "snooze escalations",
  resolve: "resolve disputes",
  subscribe: "subscribe channels to the digest",
  takeover: "take over an owned account",
  set_role: "change roles",
  manage_users: "manage users",
};

function rolesAllowed(action: Action): Role[] {
  return ROLES.filter((role) => ALLOWED[role].includes(action));
}

export function isAllowed(actor: Pick<Actor, "role" | "readOnly">, action: Action, fn?: TeamFunction): boolean {
  if (actor.readOnly && action !== "read") return false;
  if (!ALLOWED[actor.role].includes(action)) return false;
  // Members act for their own function only; an admin for any.
  if (fn && (action === "claim" || action === "release") && actor.role !== "admin") return actor.role === fn;
  return true;
}

/** Throws FORBIDDEN with the role that would be needed, or passes. */
export function ensureAllowed(actor: Pick<Actor, "role" | "readOnly">, action: Action, fn?: TeamFunction): void {
  if (isAllowed(actor, action, fn)) return;
  if (actor.readOnly && action !== "read") {
    throw new AppError("FORBIDDEN", `Guests and people from other organizations can read but not ${WORDS[action]}.`);
  }
  if (fn && (action === "claim" || action === "release") && ALLOWED[actor.role].includes(action)) {
    throw new AppError("FORBIDDEN", `Only ${fn} people or an admin can ${action} for ${fn}; your role is ${actor.role}.`);
  }
  const roles = rolesAllowed(action);
  const needed = roles.length === 1 ? `the ${roles[0]} role` : `one of the roles ${roles.join(", ")}`;
  throw new AppError("FORBIDDEN", `You need ${needed} to ${WORDS[action]}; your role is ${actor.role}.`);
}
