import { runSweep, SweepDeps } from "../../../bot/jobs/escalation-sweep";
import { startSweepScheduler } from "../../../bot/jobs/scheduler";
import { EscalationView } from "../../../bot/views/escalation-view";
import { UserRef } from "../../../domain/ports/notifier.port";
import { runImport } from "../../../bot/run-import";
import { actorFor, say, textOf } from "../../support/actors";
import { handleText } from "../../../bot/commands/dispatch";
import { csv, writeCsv } from "../../support/csv-files";
import { RecordingPlatform } from "../../support/recording-platform";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-02T10:00:00Z"); // a Monday

/** A platform that also keeps the escalation views it was given, and can fail like a 429. */
class SweepPlatform extends RecordingPlatform {
  readonly views: { to: string; view: EscalationView }[] = [];
  transient = 0;

  override async pingOwner(owner: UserRef, view: EscalationView): Promise<boolean> {
    if (this.transient > 0) {
      this.transient--;
      throw new Error("ratelimited");
    }
    const reached = await super.pingOwner(owner, view);
    if (reached) this.views.push({ to: `user:${owner.userId}`, view });
    return reached;
  }

  override async askChannelToClaim(target: { channelId: string }, view: EscalationView): Promise<void> {
    await super.askChannelToClaim(target, view);
    this.views.push({ to: `channel:${target.channelId}`, view });
  }
}

let deps: SweepDeps;
const logs: string[] = [];
let dana: Awaited<ReturnType<typeof actorFor>>;

beforeEach(async () => {
  logs.length = 0;
  deps = { ledger: t.app.ledger, store: t.app.sweeps, clock: t.app.clock, policy: t.app.escalationPolicy, log: (line) => logs.push(line) };
  await runImport(
    t.app,
    "invoices",
    writeCsv(
      "i.csv",
      csv(
        "customer_id,customer,invoice_number,issue_date,due_date,amount",
        "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,1000.00",
        "GLOB,Globex,G-1,2026-08-01,2026-08-31,700.00",
      ),
    ),
  );
  dana = await actorFor(t.app, "dana@example.com", "finance", { platform: "fake" });
  await say(t.app, dana, "claim acme"); // activity on Monday 2 Nov
  await t.app.uow.run(null, (ws) => ws.saveSubscription({ platform: "fake", channelId: "C-FIN", tenantId: null, scope: "finance", localTime: "09:00", timeZone: "UTC", createdById: dana.userId, conversationRef: null }));
  t.app.clock.set("2026-11-09T10:00:00Z"); // Monday: 7 idle days
});

function platformReaching(...userIds: number[]): SweepPlatform {
  const platform = new SweepPlatform();
  for (const id of userIds) platform.reachable.add(id);
  return platform;
}

test("a dry run lists who would be told and why, on any day, and records nothing", async () => {
  const report = await runSweep(deps, [], { dryRun: true, asOf: "2026-11-13" });
  expect(report).toEqual({
    asOf: "2026-11-13",
    dryRun: true,
    escalations: [
      { accountId: "ACME", name: "Acme Corp", trigger: "stalled", level: 1, idleDays: 11, overdue: { USD: "1000.00" }, invoice: null, recipients: [{ kind: "owner", who: "dana@example.com", platform: "fake" }], status: "due" },
      { accountId: "GLOB", name: "Globex", trigger: "stalled", level: 1, idleDays: 74, overdue: { USD: "700.00" }, invoice: null, recipients: [{ kind: "channel", who: "C-FIN", platform: "fake" }], status: "due" },
    ],
    paused: [],
    deferred: [],
  });
  expect(await t.app.db.prisma.escalation.count()).toBe(0);
});

test("two sweeps at once send one message per account, episode and level; a rerun sends nothing", async () => {
  const [one, two] = [platformReaching(dana.userId), platformReaching(dana.userId)];
  const reports = await Promise.all([runSweep(deps, [one], { dryRun: false }), runSweep(deps, [two], { dryRun: false })]);
  const sent = [...one.views, ...two.views].map((v) => `${v.to} ${v.view.accountId} L${v.view.automatic?.level}`).sort();
  expect(sent).toEqual([`channel:C-FIN GLOB L1`, `user:${dana.userId} ACME L1`]);
  expect(reports.flatMap((r) => r.escalations.map((e) => `${e.accountId}:${e.status}`)).sort()).toEqual(["ACME:sent", "GLOB:sent"]);

  const again = platformReaching(dana.userId);
  expect((await runSweep(deps, [again], { dryRun: false })).escalations).toEqual([]);
  expect(again.views).toEqual([]);
  const rows = await t.app.db.prisma.escalation.findMany({ include: { recipients: true }, orderBy: { ruleKey: "asc" } });
  expect(rows.map((r) => [r.kind, r.level, r.state, r.recipients.map((x) => `${x.kind} ${x.who} ${x.status}`)])).toEqual([
    ["stalled", 1, "sent", [`owner dana@example.com sent`]],
    ["stalled", 1, "sent", [`channel C-FIN sent`]],
  ]);
});

test("the message states the account, the amount overdue, the idle days, the level and who was told", async () => {
  const platform = platformReaching(dana.userId);
  await runSweep(deps, [platform], { dryRun: false });
  const dm = platform.views.find((v) => v.to.startsWith("user:"))!.view;
  expect(dm.escalationId).toEqual(expect.any(Number));
  expect(dm.automatic).toEqual({
    trigger: "stalled",
    level: 1,
    summary: "Acme Corp has had no activity for 7 days (escalation level 1 of 3).",
    facts: ["Overdue: USD 1,000.00.", "Told: dana@example.com."],
    ask: "You own it: press I'm on it when you follow up, Snooze it with a date and a reason, or Reassign it.",
  });
  const ask = platform.views.find((v) => v.to === "channel:C-FIN")!.view;
  expect(ask.automatic!.ask).toBe("Nobody owns it: can someone claim it? Type: claim GLOB");
});

test("levels climb every 3 days without activity, to the lead and the channel, then the admins; activity closes them", async () => {
  const lead = await actorFor(t.app, "lee@example.com", "finance", { platform: "fake" });
  const admin = await actorFor(t.app, "ada@example.com", "admin", { platform: "fake" });
  await t.app.uow.run(null, (ws) => ws.users.setLead("finance", lead.userId));
  const platform = platformReaching(dana.userId, lead.userId, admin.userId);
  const acme = () => platform.views.filter((v) => v.view.accountId === "ACME").map((v) => `${v.to} L${v.view.automatic!.level}`);

  await runSweep(deps, [platform], { dryRun: false });
  t.app.clock.set("2026-11-11T10:00:00Z");
  await runSweep(deps, [platform], { dryRun: false }); // 2 days later: nothing new
  t.app.clock.set("2026-11-12T10:00:00Z");
  await runSweep(deps, [platform], { dryRun: false });
  t.app.clock.set("2026-11-16T10:00:00Z");
  await runSweep(deps, [platform], { dryRun: false });
  t.app.clock.set("2026-11-19T10:00:00Z");
  await runSweep(deps, [platform], { dryRun: false }); // stays at 3
  expect(acme()).toEqual([`user:${dana.userId} L1`, `user:${lead.userId} L2`, "channel:C-FIN L2", `user:${admin.userId} L3`, "channel:C-FIN L3"]);

  const open = () => t.app.db.prisma.escalation.count({ where: { resolvedAt: null, account: { externalId: "ACME" } } });
  expect(await open()).toBe(3);
  // The digest shows the level and since when; mine lists the caller's open escalations.
  const digest = await say(t.app, dana, "digest");
  if (digest.kind !== "digest") throw new Error(digest.kind);
  expect(digest.view.entries.find((e) => e.accountId === "ACME")!.escalation).toBe("escalated: level 3 of 3 since 16 Nov 2026");
  const mine = await say(t.app, lead, "mine");
  if (mine.kind !== "home") throw new Error(mine.kind);
  expect(mine.view.escalations).toContain("Acme Corp: stalled, level 2 of 3 (12 Nov 2026)");
  await say(t.app, dana, "note acme they will pay on Friday");
  expect(await open()).toBe(0);
  const after = await say(t.app, dana, "mine");
  if (after.kind !== "home") throw new Error(after.kind);
  expect(after.view.escalations).toEqual([]);
  const card = await say(t.app, dana, "account acme");
  if (card.kind !== "account") throw new Error(card.kind);
  expect(card.view.timeline.map((e) => e.what)).toEqual(
    expect.arrayContaining([`escalation sent (stalled, level 3) to ada@example.com (fake), channel C-FIN (fake)`, "escalation sent (stalled, level 1) to dana@example.com (fake)"]),
  );
  const timeline = await t.app.db.prisma.activity.findMany({ where: { kind: "escalation_sent", account: { externalId: "ACME" } }, orderBy: { id: "asc" } });
  expect(timeline.map((a) => a.after)).toEqual([
    { level: 1, trigger: "stalled", to: ["dana@example.com (fake)"] },
    { level: 2, trigger: "stalled", to: ["lee@example.com (fake)", "channel C-FIN (fake)"] },
    { level: 3, trigger: "stalled", to: ["ada@example.com (fake)", "channel C-FIN (fake)"] },
  ]);
});

test("a passing failure (429/5xx) is retried by the next sweep, once; each recipient's outcome is kept", async () => {
  const platform = platformReaching(dana.userId);
  platform.transient = 1;
  const first = await runSweep(deps, [platform], { dryRun: false });
  expect(first.escalations.find((e) => e.accountId === "ACME")!.status).toBe("failed");
  expect(await t.app.db.prisma.escalationRecipient.findFirst({ where: { who: "dana@example.com" } })).toMatchObject({ status: "retry", error: "ratelimited", attempts: 1 });
  t.app.clock.set("2026-11-10T10:00:00Z");
  await runSweep(deps, [platform], { dryRun: false });
  await runSweep(deps, [platform], { dryRun: false });
  expect(platform.views.filter((v) => v.to === `user:${dana.userId}`)).toHaveLength(1);
  expect(await t.app.db.prisma.escalationRecipient.findFirst({ where: { who: "dana@example.com" } })).toMatchObject({ status: "sent", attempts: 2 });
  expect(await t.app.db.prisma.escalation.findFirst({ where: { account: { externalId: "ACME" } } })).toMatchObject({ state: "sent" });
});

test("nobody reachable: the channel says so, naming the owners; without any channel the row says nobody", async () => {
  const platform = platformReaching(); // knows nobody
  const report = await runSweep(deps, [platform], { dryRun: false });
  const acme = report.escalations.find((e) => e.accountId === "ACME")!;
  expect(acme.recipients).toEqual([
    { kind: "owner", who: "dana@example.com", platform: "fake" },
    { kind: "channel", who: "C-FIN", platform: "fake" },
  ]);
  expect(acme.status).toBe("sent");
  expect(platform.of("ask")).toContainEqual({ kind: "ask", channelId: "C-FIN", accountId: "ACME", unreachedOwners: ["dana@example.com"] });

  await t.app.uow.run(null, (ws) => ws.deleteSubscription("fake", "C-FIN"));
  t.app.clock.set("2026-11-12T10:00:00Z");
  const lonely = await runSweep(deps, [platformReaching()], { dryRun: false });
  expect(lonely.escalations.map((e) => [e.accountId, e.level, e.status])).toEqual([
    ["ACME", 2, "nobody"],
    ["GLOB", 2, "nobody"],
  ]);
});

test("the server sweeps on business days from AR_ESCALATION_TIME, once a day, and a restart after the time sweeps that day", async () => {
  const platform = platformReaching(dana.userId);
  const at = { localTime: "10:00", timeZone: "Europe/Paris" };
  const started: { stop(): void; tick(): Promise<void> }[] = [];
  const start = () => {
    const s = startSweepScheduler(deps, [platform], at);
    started.push(s);
    return s;
  };
  try {
    t.app.clock.set("2026-11-07T12:00:00Z"); // Saturday
    await start().tick();
    t.app.clock.set("2026-11-09T08:59:00Z"); // Monday 09:59 in Paris
    await started[0]!.tick();
    expect(platform.views).toEqual([]);
    t.app.clock.set("2026-11-09T09:00:00Z"); // 10:00 in Paris
    await started[0]!.tick();
    expect(platform.views.map((v) => v.view.accountId).sort()).toEqual(["ACME", "GLOB"]);
    // The same process does not sweep again that day; a restarted one does, and sends nothing twice.
    t.app.clock.set("2026-11-09T14:00:00Z");
    await started[0]!.tick();
    await start().tick();
    expect(platform.views).toHaveLength(2);
    expect(logs.filter((l) => l.startsWith("escalation sweep 2026-11-09"))).toHaveLength(2);
  } finally {
    for (const s of started) s.stop();
  }
});

test("snooze <q> <date> <reason> pauses the account through that date, on the timeline; a past date is refused", async () => {
  expect(textOf(await say(t.app, dana, "snooze acme 2026-11-09 waiting"))).toContain("A snooze runs until a later day than today (9 Nov 2026)");
  expect(await say(t.app, dana, "snooze acme fri waiting for their new PO")).toMatchObject({
    kind: "done",
    text: "Acme Corp will not be escalated through 13 Nov 2026.",
    announcement: "dana@example.com snoozed escalations of Acme Corp until 13 Nov 2026: “waiting for their new PO”.",
  });
  const report = await runSweep(deps, [], { dryRun: true });
  expect(report.paused).toEqual([{ accountId: "ACME", why: "snoozed", until: "2026-11-13" }]);
  expect(report.escalations.map((e) => e.accountId)).toEqual(["GLOB"]);
  // The snooze was activity: a week after it the account stalls again.
  expect((await runSweep(deps, [], { dryRun: true, asOf: "2026-11-16" })).escalations.map((e) => e.accountId)).toEqual(["ACME", "GLOB"]);
  const timeline = await t.app.db.prisma.activity.findFirst({ where: { kind: "snoozed" } });
  expect(timeline).toMatchObject({ actor: "dana@example.com", after: { until: "2026-11-13", reason: "waiting for their new PO" } });
});

test("subscribe escalations: that channel hears level 2+ and claims instead of the digest channels; unsubscribe goes back", async () => {
  const platform = platformReaching(dana.userId);
  const inChannel = (channelId: string) => ({ platform, channel: { channelId, tenantId: null, sharedWithOtherOrganizations: async () => false } });
  expect(textOf(await handleText(t.app.services, dana, "subscribe escalations", inChannel("C-ESC")))).toContain("This channel now hears escalations");
  expect(textOf(await handleText(t.app.services, dana, "subscribe escalations", inChannel("C-ESC")))).toBe("This channel already hears escalations.");
  expect((await runSweep(deps, [], { dryRun: true })).escalations.find((e) => e.accountId === "GLOB")!.recipients).toEqual([{ kind: "channel", who: "C-ESC", platform: "fake" }]);
  expect(await t.app.db.prisma.channelSubscription.count()).toBe(1); // the digest subscription is unchanged
  expect(textOf(await handleText(t.app.services, dana, "unsubscribe escalations", inChannel("C-ESC")))).toContain("no longer hear escalations");
  expect(textOf(await handleText(t.app.services, dana, "unsubscribe escalations", inChannel("C-ESC")))).toBe("This channel is not subscribed to escalations.");
  expect((await runSweep(deps, [], { dryRun: true })).escalations.find((e) => e.accountId === "GLOB")!.recipients).toEqual([{ kind: "channel", who: "C-FIN", platform: "fake" }]);
});

test("a manual escalation nobody could hear is recorded as such: who it was for, and that nobody was told", async () => {
  const platform = platformReaching();
  const reply = await handleText(t.app.services, dana, "escalate globex stuck for weeks", { platform, channel: null });
  expect(textOf(reply)).toBe("Escalation of Globex recorded, but nobody was told: it has no owner, and there was no channel to ask.");
  const entries = await t.app.db.prisma.activity.findMany({ where: { account: { externalId: "GLOB" }, kind: { startsWith: "escalat" } }, orderBy: { id: "asc" } });
  expect(entries.map((e) => [e.kind, e.human, e.after])).toEqual([
    ["escalated", true, { reason: "stuck for weeks" }],
    ["escalation_unsent", false, { level: 1, trigger: "manual", to: [] }],
  ]);
  expect(await t.app.db.prisma.escalation.findFirst({ where: { kind: "manual" } })).toMatchObject({ targets: { userIds: [], channel: false } });
});

test("a manual escalation closes at the next sweep once the account is paid up; one still owed stays open", async () => {
  const platform = platformReaching(dana.userId);
  await handleText(t.app.services, dana, "escalate acme customer went quiet", { platform, channel: null });
  await handleText(t.app.services, dana, "escalate globex no answer to three reminders", { platform, channel: null });
  const openManual = async () =>
    (await t.app.db.prisma.escalation.findMany({ where: { kind: "manual", resolvedAt: null }, include: { account: true } })).map((e) => e.account.externalId).sort();
  expect(await openManual()).toEqual(["ACME", "GLOB"]);

  // Acme pays in full (an import: no person acted on the account), Globex pays part.
  await runImport(t.app, "payments", writeCsv("p.csv", csv("invoice_number,payment_date,amount_paid,reference", "A-1,2026-11-09,1000.00,WIRE-1", "G-1,2026-11-09,200.00,WIRE-2")));
  expect(await openManual()).toEqual(["ACME", "GLOB"]);
  t.app.clock.set("2026-11-10T10:00:00Z");
  await runSweep(deps, [platform], { dryRun: false });
  expect(await openManual()).toEqual(["GLOB"]);
  const mine = await say(t.app, dana, "mine");
  if (mine.kind !== "home") throw new Error(mine.kind);
  expect(mine.view.escalations.map((line) => line.split(":")[0])).not.toContain("Acme Corp");
});

test("a sweep that died while sending: what was in flight is not resent, the timeline says it may not have arrived", async () => {
  const platform = platformReaching(dana.userId);
  platform.transient = 1;
  await runSweep(deps, [platform], { dryRun: false }); // Acme's message to Dana: 429, kept for a retry
  const recipient = () => t.app.db.prisma.escalationRecipient.findFirstOrThrow({ where: { who: "dana@example.com" } });
  // The next sweep takes it (sending), then the process is killed before the outcome is written.
  await t.app.db.prisma.$executeRawUnsafe(`UPDATE "EscalationRecipient" SET status = 'sending', "updatedAt" = now() - interval '1 hour' WHERE id = ${(await recipient()).id}`);

  t.app.clock.set("2026-11-10T10:00:00Z");
  await runSweep(deps, [platform], { dryRun: false });
  expect(platform.views.filter((v) => v.to === `user:${dana.userId}`)).toEqual([]);
  expect(await recipient()).toMatchObject({ status: "interrupted" });
  expect(logs.some((line) => /a sweep stopped while sending it; what was in flight is not resent/.test(line))).toBe(true);
  const sent = await t.app.db.prisma.activity.findFirstOrThrow({ where: { kind: "escalation_sent", account: { externalId: "ACME" } } });
  expect(sent.after).toMatchObject({ to: ["dana@example.com (fake) (interrupted while sending: may not have arrived)"] });
  await runSweep(deps, [platform], { dryRun: false });
  expect(platform.views.filter((v) => v.to === `user:${dana.userId}`)).toEqual([]);
});

test("a recipient another sweep is sending right now is left to it", async () => {
  const platform = platformReaching(dana.userId);
  platform.transient = 1;
  await runSweep(deps, [platform], { dryRun: false });
  await t.app.db.prisma.$executeRawUnsafe(`UPDATE "EscalationRecipient" SET status = 'sending', "updatedAt" = now() WHERE who = 'dana@example.com'`);
  await runSweep(deps, [platform], { dryRun: false });
  expect(await t.app.db.prisma.escalationRecipient.findFirstOrThrow({ where: { who: "dana@example.com" } })).toMatchObject({ status: "sending" });
  expect(platform.views.filter((v) => v.to === `user:${dana.userId}`)).toEqual([]);
});

test("one person hears about at most AR_ESCALATION_DAILY_LIMIT accounts a sweep; the others go out at the next sweep", async () => {
  t.app.clock.set("2026-11-02T11:00:00Z");
  await say(t.app, dana, "claim globex");
  t.app.clock.set("2026-11-09T10:00:00Z");
  const platform = platformReaching(dana.userId);
  const limited = { ...deps, policy: { ...deps.policy, dailyLimit: 1 } };

  const dry = await runSweep(limited, [platform], { dryRun: true });
  expect(dry.escalations.map((e) => e.accountId)).toEqual(["ACME"]);
  expect(dry.deferred).toEqual([{ accountId: "GLOB", name: "Globex", trigger: "stalled", level: 1 }]);
  const monday = await runSweep(limited, [platform], { dryRun: false });
  expect(monday.escalations.map((e) => [e.accountId, e.status])).toEqual([["ACME", "sent"]]);
  expect(logs.some((line) => line.includes("1 escalation(s) wait for the next sweep"))).toBe(true);
  expect(platform.views.map((v) => v.view.accountId)).toEqual(["ACME"]);

  t.app.clock.set("2026-11-10T10:00:00Z");
  const tuesday = await runSweep(limited, [platform], { dryRun: false });
  expect(tuesday.escalations.map((e) => [e.accountId, e.status])).toEqual([["GLOB", "sent"]]);
  expect(tuesday.deferred).toEqual([]);
  expect(platform.views.map((v) => v.view.accountId)).toEqual(["ACME", "GLOB"]);
});
