import { Action, ensureAllowed, isAllowed } from "../../../../domain/policies/permissions";
import { Role } from "../../../../domain/model/team";

const as = (role: Role, readOnly = false) => ({ role, readOnly });

/** The permission table of ARCHITECTURE.md section 5, cell by cell. */
const TABLE: Record<Role, Action[]> = {
  viewer: ["read"],
  finance: ["read", "claim", "release", "note", "promise", "dispute", "escalate", "snooze", "resolve", "subscribe"],
  sales: ["read", "claim", "release", "note", "promise", "dispute", "escalate", "snooze"],
  cs: ["read", "claim", "release", "note", "promise", "dispute", "escalate", "snooze"],
  admin: ["read", "claim", "release", "note", "promise", "dispute", "escalate", "snooze", "resolve", "subscribe", "takeover", "set_role", "manage_users"],
};
const ACTIONS: Action[] = ["read", "claim", "release", "note", "promise", "dispute", "escalate", "snooze", "resolve", "subscribe", "takeover", "set_role", "manage_users"];

describe.each(Object.keys(TABLE) as Role[])("role %s", (role) => {
  test.each(ACTIONS)("%s", (action) => {
    expect(isAllowed(as(role), action)).toBe(TABLE[role].includes(action));
  });
});

test("members claim and release for their own function only; admins for any", () => {
  expect(isAllowed(as("sales"), "claim", "sales")).toBe(true);
  expect(isAllowed(as("sales"), "claim", "finance")).toBe(false);
  expect(isAllowed(as("cs"), "release", "finance")).toBe(false);
  expect(isAllowed(as("admin"), "claim", "cs")).toBe(true);
  expect(() => ensureAllowed(as("sales"), "claim", "finance")).toThrow("Only finance people or an admin can claim for finance; your role is sales.");
});

test("a refusal says which role is needed", () => {
  expect(() => ensureAllowed(as("viewer"), "note")).toThrow("You need one of the roles finance, sales, cs, admin to add notes; your role is viewer.");
  expect(() => ensureAllowed(as("sales"), "resolve")).toThrow("You need one of the roles finance, admin to resolve disputes; your role is sales.");
  expect(() => ensureAllowed(as("finance"), "set_role")).toThrow("You need the admin role to change roles; your role is finance.");
});

test("guests and other organizations only read, whatever their role", () => {
  expect(isAllowed(as("admin", true), "read")).toBe(true);
  for (const action of ACTIONS.filter((a) => a !== "read")) expect(isAllowed(as("admin", true), action)).toBe(false);
  expect(() => ensureAllowed(as("finance", true), "claim")).toThrow("Guests and people from other organizations can read but not claim accounts.");
});
