import { SWEEP_GROUP_ACCOUNTS, SweepDeps, decideSweep, runSweep } from "../../../bot/jobs/escalation-sweep";
import { runImport } from "../../../bot/run-import";
import { BusinessDate } from "../../../domain/model/business-date";
import { decideEscalations, limitPerRecipient } from "../../../domain/policies/escalation-policy";
import { actorFor, say, textOf } from "../../support/actors";
import { csv, writeCsv } from "../../support/csv-files";
import { RecordingPlatform } from "../../support/recording-platform";
import { useTestApp } from "../../support/test-app";

/**
 * The sweep reads and decides the portfolio a group of accounts at a time. Whatever the
 * group size, it must decide exactly what one pass over the whole ledger decides: the same
 * escalations, paused and deferred accounts in the same order, the same live episodes and
 * settled accounts, with groups cut between the escalations that share a recipient and its
 * daily limit.
 */
const t = useTestApp("2026-11-02T10:00:00Z"); // a Monday

// Imported in an order that is not the external ids' order, so ids and the sweep's order differ.
const ACCOUNTS = ["KAPPA", "ALPHA", "ZETA", "BETA", "MU", "DELTA", "OMEGA", "GAMMA", "IOTA", "ETA", "NEWCO", "XI"];
const SIZES = [1, 2, 3, 5, SWEEP_GROUP_ACCOUNTS];

function deps(groupSize?: number): SweepDeps {
  return { ledger: t.app.ledger, store: t.app.sweeps, clock: t.app.clock, policy: { ...t.app.escalationPolicy, dailyLimit: 2 }, log: () => undefined, ...(groupSize ? { groupSize } : {}) };
}

/** The decision and report of one pass over the whole ledger (`loadLedger()` with no scope), as the sweep was before it read groups. */
async function wholeLedger(asOf: BusinessDate) {
  const ledger = await t.app.ledger.loadLedger();
  const facts = await t.app.sweeps.sweepFacts(ledger.accounts.map((a) => a.id));
  const decision = decideEscalations({ ledger, ...facts, ...(await t.app.sweeps.escalationLadder()) }, deps().policy, asOf);
  return { decision, ...limitPerRecipient(decision.escalations, deps().policy.dailyLimit) };
}

/** Every group size gives the whole ledger's decision and one and the same report; returns that report. */
async function sameAtEverySize(asOf: BusinessDate) {
  const whole = await wholeLedger(asOf);
  const reports = [];
  for (const size of SIZES) {
    expect(await decideSweep(deps(size), asOf)).toEqual(whole.decision);
    reports.push(await runSweep(deps(size), [], { dryRun: true, asOf }));
  }
  for (const report of reports.slice(1)) expect(report).toEqual(reports[0]);
  const report = reports[0]!;
  expect(report.escalations.map((e) => `${e.accountId} ${e.trigger} ${e.level}`)).toEqual(whole.kept.map((e) => `${e.externalId} ${e.trigger} ${e.level}`));
  expect(report.deferred.map((e) => `${e.accountId} ${e.trigger} ${e.level}`)).toEqual(whole.deferred.map((e) => `${e.externalId} ${e.trigger} ${e.level}`));
  return { report, decision: whole.decision };
}

test("reading the portfolio in groups of any size decides exactly what one pass over the whole ledger decides", async () => {
  const name = (id: string) => `${id[0]}${id.slice(1).toLowerCase()} Ltd`;
  const rows = ACCOUNTS.flatMap((id, i) =>
    id === "NEWCO" || id === "XI"
      ? [`${id},${name(id)},${id}-1,2026-10-20,2026-12-31,500.00`] // nothing overdue: XI is settled, NEWCO's dispute is not
      : [`${id},${name(id)},${id}-1,2026-08-01,2026-08-${String(10 + i).padStart(2, "0")},${100 + i}0.00`, `${id},${name(id)},${id}-2,2026-09-01,2026-10-01,250.00`],
  );
  await runImport(t.app, "invoices", writeCsv("i.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", ...rows)));
  const dana = await actorFor(t.app, "dana@example.com", "finance", { platform: "fake" });
  const eve = await actorFor(t.app, "eve@example.com", "finance", { platform: "fake" });
  const lee = await actorFor(t.app, "lee@example.com", "finance", { platform: "fake" });
  const ada = await actorFor(t.app, "ada@example.com", "admin", { platform: "fake" });
  await t.app.uow.run(null, (ws) => ws.users.setLead("finance", lee.userId));
  await t.app.uow.run(null, (ws) => ws.saveSubscription({ platform: "fake", channelId: "C-FIN", tenantId: null, scope: "finance", localTime: "09:00", timeZone: "UTC", createdById: dana.userId, conversationRef: null }));
  for (const account of ["kappa", "alpha", "zeta", "beta", "mu"]) expect(textOf(await say(t.app, dana, `claim ${account}`))).not.toMatch(/not|no account/i);
  for (const account of ["delta", "omega"]) await say(t.app, eve, `claim ${account}`);
  await say(t.app, dana, "promise gamma 100 USD tue"); // broken on Thursday 5 Nov
  await say(t.app, dana, "promise iota 50 USD 2026-11-30"); // open: pauses Iota
  await say(t.app, eve, "snooze eta 2026-11-20 waiting for their new PO");
  await say(t.app, eve, "dispute ZETA-1 wrong price"); // past its SLA on 12 Nov
  await say(t.app, eve, "dispute NEWCO-1 wrong address");

  // Monday 9 Nov: seven idle days. Two escalations a person (and for the channel), the rest deferred.
  t.app.clock.set("2026-11-09T10:00:00Z");
  const monday = await sameAtEverySize("2026-11-09");
  expect(monday.report.paused).toEqual([
    { accountId: "ETA", why: "snoozed", until: "2026-11-20" },
    { accountId: "IOTA", why: "open_promise", until: "2026-12-01" },
  ]);
  expect(monday.report.escalations.map((e) => `${e.accountId} ${e.trigger} ${e.level} ${e.recipients.map((r) => r.who).join("+")}`)).toEqual([
    "ALPHA stalled 1 dana@example.com",
    "BETA stalled 1 dana@example.com",
    "DELTA stalled 1 eve@example.com",
    "GAMMA broken_promise 1 C-FIN",
    "OMEGA stalled 1 eve@example.com",
  ]);
  expect(monday.report.deferred.map((e) => `${e.accountId} ${e.trigger} ${e.level}`)).toEqual(["KAPPA stalled 1", "MU stalled 1", "ZETA stalled 1"]);

  // The real sweep, a group of one account at a time, then a week later the same accounts climb and a dispute is past its SLA.
  const platform = new RecordingPlatform();
  for (const person of [dana, eve, lee, ada]) platform.reachable.add(person.userId);
  const sent = await runSweep(deps(1), [platform], { dryRun: false });
  expect(sent.escalations.map((e) => [e.accountId, e.status])).toEqual(monday.report.escalations.map((e) => [e.accountId, "sent"]));

  t.app.clock.set("2026-11-16T10:00:00Z");
  const later = await sameAtEverySize("2026-11-16");
  expect(later.report.escalations.map((e) => `${e.accountId} ${e.trigger} ${e.level} ${e.recipients.map((r) => r.who).join("+")}`)).toEqual([
    "ALPHA stalled 2 lee@example.com+C-FIN",
    "GAMMA broken_promise 2 lee@example.com+C-FIN",
    "KAPPA stalled 1 dana@example.com",
    "NEWCO dispute_sla 1 eve@example.com",
    "ZETA dispute_sla 1 eve@example.com+dana@example.com",
  ]);
  expect(later.report.deferred.map((e) => `${e.accountId} ${e.trigger} ${e.level}`)).toEqual(["BETA stalled 2", "DELTA stalled 2", "MU stalled 1", "OMEGA stalled 2", "ZETA stalled 1"]);
  expect(later.report.paused).toEqual(monday.report.paused);
  const id = async (externalId: string) => (await t.app.db.prisma.account.findUniqueOrThrow({ where: { externalId } })).id;
  expect(later.decision.settled).toEqual(new Set([await id("XI")]));
  expect([...later.decision.live.get(await id("NEWCO"))!]).toEqual([expect.stringMatching(/^dispute:\d+$/)]);
  expect(later.decision.live.get(await id("ALPHA"))).toEqual(new Set(["stalled:2026-11-02"]));
});
