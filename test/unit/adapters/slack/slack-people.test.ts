/**
 * SlackPeople's mentions of owners, kept a minute in the process: what a card or digest
 * shows for an owner, with fakes for the directory, the unit of work and Slack's Web API.
 */
import type { webApi } from "@slack/bolt";
import { SlackPeople } from "../../../../adapters/slack/slack-people";
import { PlatformDirectory } from "../../../../domain/ports/platform-directory.port";
import { UnitOfWork } from "../../../../domain/ports/workspace.port";

function setup(start = 1_000_000) {
  let nowMs = start;
  const clock = { now: () => new Date(nowMs), today: () => "2026-12-01" as never, timeZone: "UTC" };
  const linked = new Map<string, string>(); // email -> slack id (ChatIdentity)
  const lookups = new Map<string, string | null>();
  let knownGate: Promise<void> | null = null;
  let knownCalls = 0;
  const directory: PlatformDirectory = {
    async known(_p, emails) {
      knownCalls++;
      const snapshot = new Map<string, string | null>();
      for (const e of emails) {
        if (linked.has(e)) snapshot.set(e, linked.get(e)!);
        else if (lookups.has(e)) snapshot.set(e, lookups.get(e)!);
      }
      if (knownGate) await knownGate; // the read happened, its answer arrives later
      return snapshot;
    },
    async remember(_p, email, id) {
      lookups.set(email, id);
    },
    async idOfUser() {
      return null;
    },
  };
  const uow = {
    run: async (_k: unknown, work: (ws: unknown) => unknown) => {
      const ws = {
        users: {
          findByIdentity: async () => null,
          linkIdentity: async (identity: { email: string | null; platformUserId: string }) => {
            linked.set(identity.email!, identity.platformUserId);
            return { id: 1, handle: identity.email, email: identity.email, displayName: null, role: "finance", isGuest: false, isExternal: false };
          },
        },
      };
      return { duplicate: false, value: await work(ws) };
    },
    read: async (work: (ws: unknown) => unknown) => work({ users: { findByIdentity: async () => null } }),
    firstSeen: async () => true,
  } as unknown as UnitOfWork;
  const slackUsers = new Map<string, { id: string; email: string }>();
  const client = {
    users: {
      info: async ({ user }: { user: string }) => ({ user: { id: user, team_id: "T1", profile: { email: [...slackUsers.values()].find((u) => u.id === user)?.email } } }),
      lookupByEmail: async ({ email }: { email: string }) => {
        const u = [...slackUsers.values()].find((x) => x.email.toLowerCase() === email);
        if (!u) throw Object.assign(new Error("An API error occurred: users_not_found"), { code: "slack_webapi_platform_error", data: { ok: false, error: "users_not_found" } });
        return { user: { id: u.id } };
      },
    },
  } as unknown as webApi.WebClient;
  const people = new SlackPeople(client, {
    uow,
    clock,
    policy: { admins: [], defaultRole: "finance" },
    directory,
    installation: () => ({ teamId: "T1", enterpriseId: null }),
    log: () => {},
  });
  return {
    people,
    linked,
    lookups,
    slackUsers,
    setNow: (ms: number) => (nowMs = ms),
    gate: (p: Promise<void> | null) => (knownGate = p),
    knownCalls: () => knownCalls,
  };
}

test("an owner's mention is reused within a minute, read again after it, and again when the clock goes backwards", async () => {
  const s = setup();
  s.lookups.set("a@x.com", "UA");
  expect((await s.people.slackIds(["a@x.com"])).get("a@x.com")).toBe("UA");
  expect(s.knownCalls()).toBe(1);
  s.setNow(1_000_000 + 59_999);
  await s.people.slackIds(["a@x.com"]);
  expect(s.knownCalls()).toBe(1);
  s.setNow(1_000_000 + 60_000);
  await s.people.slackIds(["a@x.com"]);
  expect(s.knownCalls()).toBe(2);
  s.setNow(500_000); // backwards
  await s.people.slackIds(["a@x.com"]);
  expect(s.knownCalls()).toBe(3);
});

test("a failed lookup (a rate limit, not users_not_found) is not kept: the next card asks Slack again", async () => {
  const s = setup();
  const people = s.people as unknown as { client: { users: { lookupByEmail: unknown } } };
  const original = people.client.users.lookupByEmail;
  people.client.users.lookupByEmail = async () => {
    throw Object.assign(new Error("ratelimited"), { code: "slack_webapi_rate_limited_error", retryAfter: 1 });
  };
  expect((await s.people.slackIds(["b@x.com"])).get("b@x.com")).toBeNull();
  people.client.users.lookupByEmail = original;
  s.slackUsers.set("b", { id: "UB", email: "b@x.com" });
  expect((await s.people.slackIds(["b@x.com"])).get("b@x.com")).toBe("UB");
});

test("a person who links in this process while a mention read is in flight is mentioned at the next card", async () => {
  const s = setup();
  s.lookups.set("nova@example.com", null); // looked up yesterday: Slack did not know her
  let open!: () => void;
  const gate = { p: new Promise<void>((r) => (open = r)), open: () => open() };
  s.gate(gate.p);
  const inFlight = s.people.slackIds(["nova@example.com"]); // a digest or card with Nova as owner
  await new Promise((r) => setImmediate(r));
  s.gate(null);
  // Nova joins Slack and uses arbot while that read is in flight.
  s.slackUsers.set("nova", { id: "U0NOVA", email: "Nova@Example.com" });
  await s.people.actorFor("U0NOVA", "T1");
  gate.open();
  expect((await inFlight).get("nova@example.com")).toBeNull(); // that card: fine, read before
  // The next card, in the same process, right after she linked:
  expect((await s.people.slackIds(["nova@example.com"])).get("nova@example.com")).toBe("U0NOVA");
});
