import { resolveUser } from "../../../domain/usecases/resolve-user";
import { localAdmin } from "../../../bot/local-admin";
import { runImport } from "../../../bot/run-import";
import { Role } from "../../../domain/model/team";
import { csv, writeCsv } from "../../support/csv-files";
import { actorFor, say, sayInSlack, slackIdFor, textOf } from "../../support/actors";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-20T12:00:00Z", { admins: ["boss@example.com"], defaultRole: "finance" });

beforeEach(async () => {
  await runImport(
    t.app,
    "invoices",
    writeCsv("i.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,1000.00", "GLOB,Globex,G-1,2026-08-01,2026-08-31,700.00")),
  );
});

const identity = (id: string, email: string | null, extra: object = {}) => ({
  platform: "slack",
  platformUserId: id,
  tenantId: "T1",
  email,
  displayName: null,
  isGuest: false,
  isExternal: false,
  ...extra,
});
const resolve = (input: ReturnType<typeof identity>) => resolveUser({ uow: t.app.uow, clock: t.app.clock, policy: t.app.users }, input);

test("a chat user seen for the first time gets AR_DEFAULT_ROLE, or admin when listed in AR_ADMINS", async () => {
  expect(await resolve(identity("U1", "new@example.com"))).toMatchObject({ role: "finance", handle: "new@example.com", readOnly: false });
  expect(await resolve(identity("U2", "Boss@Example.com"))).toMatchObject({ role: "admin", email: "boss@example.com" });
  // The same person again resolves to the same user.
  const again = await resolve(identity("U1", "new@example.com"));
  expect(await t.app.db.prisma.user.count()).toBe(2);
  expect(again.role).toBe("finance");
});

test("someone first seen without an email (the lookup failed) gets it later: joins the imported user of that email, or becomes admin when listed", async () => {
  await runImport(t.app, "accounts", writeCsv("a.csv", csv("account_id,name,sales_owner_email", "ACME,Acme Corp,sam@example.com")));
  expect(await resolve(identity("U7", null))).toMatchObject({ role: "finance", email: null });
  const sam = await resolve(identity("U7", "sam@example.com"));
  expect(sam).toMatchObject({ role: "sales", email: "sam@example.com" });
  expect((await resolve(identity("U7", "sam@example.com"))).userId).toBe(sam.userId);

  expect(await resolve(identity("U8", null))).toMatchObject({ role: "finance" });
  expect(await resolve(identity("U8", "boss@example.com"))).toMatchObject({ role: "admin", email: "boss@example.com" });
});

test("an identity links to the user an import created with the same email, keeping the role", async () => {
  await runImport(t.app, "accounts", writeCsv("a.csv", csv("account_id,name,sales_owner_email", "ACME,Acme Corp,sam@example.com")));
  const sam = await resolve(identity("U9", "sam@example.com"));
  expect(sam.role).toBe("sales");
  const home = await say(t.app, sam, "mine");
  if (home.kind !== "home") throw new Error(home.kind);
  expect(home.view.accounts.map((a) => a.accountId)).toEqual(["ACME"]);
});

test("guests and users of other organizations are read-only whatever their role", async () => {
  const guest = await resolve(identity("U3", "guest@partner.com", { isGuest: true }));
  expect(guest.readOnly).toBe(true);
  expect((await say(t.app, guest, "account acme")).kind).toBe("account");
  expect(textOf(await say(t.app, guest, "claim acme"))).toBe("Guests and people from other organizations can read but not claim accounts.");
});

test("role: admins only, by mention or email; the last admin cannot step down", async () => {
  const admin = await actorFor(t.app, "boss@example.com", "admin");
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  expect(textOf(await say(t.app, dana, "role boss@example.com viewer"))).toBe("You need the admin role to change roles; your role is finance.");
  expect(textOf(await sayInSlack(t.app, admin, `role <@${slackIdFor("dana@example.com")}> sales`))).toBe("dana@example.com is now sales (was finance).");
  expect(textOf(await say(t.app, admin, "role dana@example.com sales"))).toBe("dana@example.com already has the sales role.");
  expect(textOf(await say(t.app, admin, "role boss@example.com finance"))).toBe("boss@example.com is the last admin; make someone else admin first.");
  // Someone not seen yet: the role waits for them.
  expect(textOf(await say(t.app, admin, "role newhire@example.com viewer"))).toBe("newhire@example.com is now viewer; it applies when they first use arbot.");
  expect(await resolve(identity("U7", "newhire@example.com"))).toMatchObject({ role: "viewer" });
  expect(await t.app.db.prisma.activity.findFirst({ where: { kind: "role_changed" } })).toMatchObject({ subject: "dana@example.com", before: { role: "finance" }, after: { role: "sales" } });
});

test("a role set by email for someone not seen yet is answered as set and written to the audit trail", async () => {
  const admin = await actorFor(t.app, "boss@example.com", "admin");
  expect(textOf(await say(t.app, admin, "role newbie@example.com sales"))).toBe("newbie@example.com is now sales; it applies when they first use arbot.");
  const rows = await t.app.db.prisma.activity.findMany({ where: { kind: "role_changed" }, select: { actor: true, platform: true, subject: true, before: true, after: true, accountId: true } });
  expect(rows).toEqual([{ actor: "boss@example.com", platform: "slack", subject: "newbie@example.com", before: null, after: { role: "sales" }, accountId: null }]);
  expect(await resolve(identity("U8", "newbie@example.com"))).toMatchObject({ role: "sales" });
  expect(textOf(await say(t.app, admin, "role newbie@example.com sales"))).toBe("newbie@example.com already has the sales role.");
});

test("local-admin, the shell and command-line user, stays admin whoever asks", async () => {
  const shell = await localAdmin(t.app);
  const boss = await actorFor(t.app, "boss@example.com", "admin");
  const refusal = "local-admin is the shell and command-line user and always stays admin; its role cannot change.";
  expect(await say(t.app, shell, "role local-admin finance")).toMatchObject({ kind: "error", code: "conflict", message: refusal });
  expect(textOf(await say(t.app, boss, "role local-admin viewer"))).toBe(refusal);
  expect(textOf(await say(t.app, boss, "role local-admin admin"))).toBe("local-admin already has the admin role.");
  expect(await t.app.db.prisma.user.findUnique({ where: { handle: "local-admin" } })).toMatchObject({ role: "admin" });
  expect(await t.app.db.prisma.activity.count({ where: { kind: "role_changed" } })).toBe(0);

  // A database where it was lowered before this rule: the next shell or command is admin again.
  await t.app.db.prisma.user.update({ where: { handle: "local-admin" }, data: { role: "finance" } });
  expect(await localAdmin(t.app, "cli")).toMatchObject({ handle: "local-admin", role: "admin", platform: "cli" });
  expect(await t.app.db.prisma.user.findUnique({ where: { handle: "local-admin" } })).toMatchObject({ role: "admin" });
});

/** Every cell of the permission table of section 5, through the real use cases. */
describe("the permission table, enforced inside every use case", () => {
  const COMMANDS: [string, string, Role[]][] = [
    ["help", "help", ["viewer", "finance", "sales", "cs", "admin"]],
    ["digest", "digest", ["viewer", "finance", "sales", "cs", "admin"]],
    ["mine", "mine", ["viewer", "finance", "sales", "cs", "admin"]],
    ["stats", "stats", ["viewer", "finance", "sales", "cs", "admin"]],
    ["account", "account acme", ["viewer", "finance", "sales", "cs", "admin"]],
    ["claim", "claim acme", ["finance", "sales", "cs", "admin"]],
    ["release", "release globex", ["finance", "sales", "cs", "admin"]],
    ["note", "note acme hello", ["finance", "sales", "cs", "admin"]],
    ["promise", "promise acme 10 fri", ["finance", "sales", "cs", "admin"]],
    ["dispute", "dispute A-1 wrong", ["finance", "sales", "cs", "admin"]],
    ["escalate", "escalate acme", ["finance", "sales", "cs", "admin"]],
    ["resolve", "resolve G-1", ["finance", "admin"]],
    ["takeover", "claim globex as finance takeover", ["finance", "admin"]],
    ["role", "role someone@example.com viewer", ["admin"]],
  ];
  const ROLES: Role[] = ["viewer", "finance", "sales", "cs", "admin"];

  test.each(COMMANDS)("%s", async (_, text, allowed) => {
    for (const role of ROLES) {
      // Fresh state for each role: Globex owned in every function by someone else, G-1 disputed.
      await t.app.db.prisma.$executeRawUnsafe(`TRUNCATE "OwnershipClaim", "Dispute", "IdempotencyKey" RESTART IDENTITY CASCADE`);
      const other = await actorFor(t.app, "other@example.com", "admin");
      await say(t.app, other, "claim globex as finance");
      await say(t.app, other, "claim globex as sales");
      await say(t.app, other, "claim globex as cs");
      await say(t.app, other, "dispute G-1 test");
      const actor = await actorFor(t.app, `${role}@example.com`, role);
      const own = role === "admin" || role === "viewer" ? "" : ` as ${role}`;
      const reply = await say(t.app, actor, text === "release globex" ? `claim acme${own}` : text);
      const refused = reply.kind === "error" && reply.code === "forbidden";
      expect({ role, allowed: !refused }).toEqual({ role, allowed: allowed.includes(role) });
      if (text === "release globex" && !refused) {
        const released = await say(t.app, actor, `release acme${own}`);
        expect({ role, released: released.kind }).toEqual({ role, released: "done" });
      }
    }
  });
});
