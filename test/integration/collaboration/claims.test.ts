import { runImport } from "../../../bot/run-import";
import { csv, writeCsv } from "../../support/csv-files";
import { actorFor, say, textOf } from "../../support/actors";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-20T12:00:00Z");

beforeEach(async () => {
  await runImport(
    t.app,
    "invoices",
    writeCsv(
      "i.csv",
      csv(
        "customer_id,customer,invoice_number,issue_date,due_date,amount",
        "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,1000.00",
        "ACMEX,Acme Exports,A-2,2026-08-01,2026-08-31,500.00",
        "GLOB,Globex,G-1,2026-08-01,2026-08-31,700.00",
      ),
    ),
  );
});

async function owner(externalId: string, fn = "finance") {
  const claim = await t.app.db.prisma.ownershipClaim.findFirst({ where: { account: { externalId }, function: fn as "finance", releasedAt: null }, include: { user: true } });
  return claim?.user.email ?? claim?.user.handle ?? null;
}

test("claim takes the caller's function; a second claim says who owns it and since when", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const lee = await actorFor(t.app, "lee@example.com", "finance");
  const reply = await say(t.app, dana, "claim acme");
  expect(reply).toMatchObject({ kind: "done", text: "You now own Acme Corp for finance.", announcement: "dana@example.com claimed Acme Corp for finance." });
  expect(await owner("ACME")).toBe("dana@example.com");

  t.app.clock.set("2026-11-23T09:00:00Z");
  const refused = await say(t.app, lee, "claim ACME");
  expect(refused).toMatchObject({ kind: "error", code: "already_claimed" });
  expect(textOf(refused)).toBe(
    "Acme Corp is already owned by dana@example.com (finance) since 20 Nov 2026. An admin or a finance person can take over: claim ACME as finance takeover",
  );
  expect(await owner("ACME")).toBe("dana@example.com");
  expect(textOf(await say(t.app, dana, "claim acme"))).toBe("You already own Acme Corp for finance.");
});

test("takeover by the same function or an admin replaces the owner and tells the timeline; another function cannot", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const lee = await actorFor(t.app, "lee@example.com", "finance");
  const sam = await actorFor(t.app, "sam@example.com", "sales");
  const admin = await actorFor(t.app, "boss@example.com", "admin");
  await say(t.app, dana, "claim acme");

  expect(textOf(await say(t.app, sam, "claim acme as finance takeover"))).toBe("Only finance people or an admin can claim for finance; your role is sales.");
  expect(await say(t.app, lee, "claim acme takeover")).toMatchObject({
    kind: "done",
    text: "You took over Acme Corp (finance) from dana@example.com.",
    announcement: "lee@example.com took over Acme Corp (finance) from dana@example.com.",
  });
  expect(await owner("ACME")).toBe("lee@example.com");
  expect(textOf(await say(t.app, admin, "claim acme takeover"))).toBe("You took over Acme Corp (finance) from lee@example.com.");

  const takeovers = await t.app.db.prisma.activity.findMany({ where: { kind: "takeover" }, orderBy: { id: "asc" } });
  expect(takeovers.map((a) => [a.actor, a.before, a.after])).toEqual([
    ["lee@example.com", { owner: "dana@example.com" }, { owner: "lee@example.com" }],
    ["boss@example.com", { owner: "lee@example.com" }, { owner: "boss@example.com" }],
  ]);
  // Claims keep their history: one active, two released.
  expect(await t.app.db.prisma.ownershipClaim.count({ where: { releasedAt: { not: null } } })).toBe(2);
});

test("functions are owned independently; an admin claims finance unless they say as", async () => {
  const admin = await actorFor(t.app, "boss@example.com", "admin");
  const sam = await actorFor(t.app, "sam@example.com", "sales");
  await say(t.app, admin, "claim globex");
  await say(t.app, sam, "claim globex");
  await say(t.app, admin, "claim globex as cs");
  expect([await owner("GLOB", "finance"), await owner("GLOB", "sales"), await owner("GLOB", "cs")]).toEqual(["boss@example.com", "sam@example.com", "boss@example.com"]);
});

test("release: the owner or an admin; others are told who owns it", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const lee = await actorFor(t.app, "lee@example.com", "finance");
  const admin = await actorFor(t.app, "boss@example.com", "admin");
  expect(textOf(await say(t.app, dana, "release acme"))).toBe("Acme Corp has no finance owner to release.");
  await say(t.app, dana, "claim acme");
  expect(textOf(await say(t.app, lee, "release acme"))).toBe("Acme Corp is owned by dana@example.com (finance); only they or an admin can release it.");
  expect(textOf(await say(t.app, dana, "release acme"))).toBe("You released Acme Corp (finance); it has no finance owner now.");
  expect(await owner("ACME")).toBeNull();
  await say(t.app, lee, "claim acme");
  expect(textOf(await say(t.app, admin, "release acme as finance"))).toContain("You released Acme Corp");
  expect(await t.app.db.prisma.activity.count({ where: { kind: "released" } })).toBe(2);
});

test("<q> matches id, then exact name, prefix, substring; several at one level list candidates, never a guess", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  // "acme" is the exact id of Acme Corp, even though "Acme Exports" also starts with it.
  expect(textOf(await say(t.app, dana, "account acme"))).not.toContain("matches");
  const ambiguous = await say(t.app, dana, "claim acm");
  expect(ambiguous).toMatchObject({ kind: "error", code: "ambiguous", candidates: [{ id: "ACME", name: "Acme Corp" }, { id: "ACMEX", name: "Acme Exports" }] });
  expect(textOf(ambiguous)).toBe("“acm” matches 2 accounts: Acme Corp (ACME), Acme Exports (ACMEX). Use the id or more of the name.");
  expect(await t.app.db.prisma.ownershipClaim.count()).toBe(0);
  expect(textOf(await say(t.app, dana, 'claim "acme exp"'))).toBe("You now own Acme Exports for finance.");
  expect(textOf(await say(t.app, dana, "claim lobe"))).toBe("You now own Globex for finance."); // substring
  expect(textOf(await say(t.app, dana, "claim initech"))).toBe("No account matches “initech”. Try its customer id or part of its name.");
});

test("% _ and \\ in <q> and invoice numbers are plain characters at every level, still ignoring case", async () => {
  await runImport(
    t.app,
    "invoices",
    writeCsv(
      "w.csv",
      csv(
        "customer_id,customer,invoice_number,issue_date,due_date,amount",
        "C100,Cogs 100% Ltd,INV_7,2026-08-01,2026-08-31,100.00",
        "C101,Under_score Inc,U-1,2026-08-01,2026-08-31,100.00",
        "C102,Underscore Labs,U-2,2026-08-01,2026-08-31,100.00",
        "C103,Back\\slash Co,B-1,2026-08-01,2026-08-31,100.00",
      ),
    ),
  );
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const opens = async (q: string) => {
    const reply = await say(t.app, dana, `account ${q}`);
    return reply.kind === "account" ? reply.view.accountId : textOf(reply);
  };
  expect(await opens("_CME")).toBe("No account matches “_CME”. Try its customer id or part of its name."); // exact id
  expect(await opens("acm_")).toBe("No account matches “acm_”. Try its customer id or part of its name.");
  expect(await opens("C10%")).toBe("No account matches “C10%”. Try its customer id or part of its name.");
  expect(await opens('"acme_corp"')).toBe("No account matches “acme_corp”. Try its customer id or part of its name."); // exact name
  expect(await opens("under_")).toBe("C101"); // prefix: Underscore Labs does not start with “under_”
  expect(await opens("%")).toBe("C100"); // substring
  expect(await opens("R_S")).toBe("C101");
  expect(await opens("back\\s")).toBe("C103");
  expect(await opens("c10_")).toBe("No account matches “c10_”. Try its customer id or part of its name.");

  expect(textOf(await say(t.app, dana, "dispute G-_ typo"))).toBe("No invoice numbered “G-_”.");
  expect(textOf(await say(t.app, dana, "dispute inv%7 typo"))).toBe("No invoice numbered “inv%7”.");
  expect(await t.app.db.prisma.dispute.count()).toBe(0);
  expect(textOf(await say(t.app, dana, "dispute inv_7 short delivery"))).toBe("INV_7 is disputed; it leaves the ranking until resolved.");
});

test("a repeated idempotency key changes nothing and replies duplicate", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const before = await t.app.db.prisma.activity.count();
  expect((await say(t.app, dana, "note acme Called AP", "trigger-123")).kind).toBe("done");
  expect(await say(t.app, dana, "note acme Called AP", "trigger-123")).toEqual({ kind: "duplicate" });
  expect(await t.app.db.prisma.note.count()).toBe(1);
  expect(await t.app.db.prisma.activity.count()).toBe(before + 1);
  // A refusal is answered once: the platform retrying the same request hears nothing more.
  expect((await say(t.app, dana, "claim nobody", "trigger-456")).kind).toBe("error");
  expect(await say(t.app, dana, "claim nobody", "trigger-456")).toEqual({ kind: "duplicate" });
  expect(await t.app.db.prisma.activity.count()).toBe(before + 1);
});

test("an idempotency key is a repeat for 24 hours, then a new request; a read's key too", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  expect((await say(t.app, dana, "account acme", "trigger-read")).kind).toBe("account");
  expect(await say(t.app, dana, "account acme", "trigger-read")).toEqual({ kind: "duplicate" });
  expect((await say(t.app, dana, "note acme Called AP", "trigger-note")).kind).toBe("done");
  t.app.clock.set("2026-11-21T11:59:59Z");
  expect(await say(t.app, dana, "account acme", "trigger-read")).toEqual({ kind: "duplicate" });
  expect(await say(t.app, dana, "note acme Called AP", "trigger-note")).toEqual({ kind: "duplicate" });
  t.app.clock.set("2026-11-21T12:00:01Z");
  expect((await say(t.app, dana, "account acme", "trigger-read")).kind).toBe("account");
  expect((await say(t.app, dana, "note acme Called AP again", "trigger-note")).kind).toBe("done");
  expect(await t.app.db.prisma.note.count()).toBe(2);
  // Stored again: repeats of the new request are repeats.
  expect(await say(t.app, dana, "note acme Called AP again", "trigger-note")).toEqual({ kind: "duplicate" });
  expect(await t.app.db.prisma.idempotencyKey.count({ where: { key: { in: ["trigger-read", "trigger-note"] } } })).toBe(2);
});

test("the same request delivered several times at once is answered once", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const notes = await Promise.all(Array.from({ length: 4 }, () => say(t.app, dana, "note acme Called AP", "trigger-race")));
  expect(notes.filter((r) => r.kind === "done")).toHaveLength(1);
  expect(notes.filter((r) => r.kind === "duplicate")).toHaveLength(3);
  const reads = await Promise.all(Array.from({ length: 4 }, () => say(t.app, dana, "account acme", "trigger-race-read")));
  expect(reads.filter((r) => r.kind === "account")).toHaveLength(1);
  expect(await t.app.db.prisma.note.count()).toBe(1);
});

test("simultaneous claims of one account and function: exactly one owner; the other is told who owns it", async () => {
  const dana = await actorFor(t.app, "dana@example.com", "finance");
  const lee = await actorFor(t.app, "lee@example.com", "finance");
  // Three accounts at once, two claims each: on PostgreSQL the transactions really overlap.
  const pairs = await Promise.all(
    ["ACME", "ACMEX", "GLOB"].map((id) => Promise.all([say(t.app, dana, `claim ${id}`), say(t.app, lee, `claim ${id}`)])),
  );
  const names: Record<string, string> = { ACME: "Acme Corp", ACMEX: "Acme Exports", GLOB: "Globex" };
  for (const [k, id] of ["ACME", "ACMEX", "GLOB"].entries()) {
    const winner = await owner(id);
    const [won, lost] = winner === "dana@example.com" ? pairs[k]! : [pairs[k]![1], pairs[k]![0]];
    expect(won).toMatchObject({ kind: "done", text: `You now own ${names[id]} for finance.` });
    expect(lost).toMatchObject({ kind: "error", code: "already_claimed" });
    expect(textOf(lost)).toBe(
      `${names[id]} is already owned by ${winner} (finance) since 20 Nov 2026. An admin or a finance person can take over: claim ${id} as finance takeover`,
    );
  }
  expect(await t.app.db.prisma.ownershipClaim.count({ where: { releasedAt: null } })).toBe(3);
  expect(await t.app.db.prisma.activity.count({ where: { kind: "claimed" } })).toBe(3);
});
