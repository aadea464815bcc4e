import { addDays } from "../../../../domain/model/business-date";
import { Ledger, LedgerClaim } from "../../../../domain/model/ledger";
import { DueEscalation, EscalationPolicy, Recipient, SentEscalation, SweepFacts, decideEscalations, limitPerRecipient } from "../../../../domain/policies/escalation-policy";
import { AccountMother, InvoiceMother, PromiseMother, ledgerOf } from "../../../mothers/ledger-mother";

const D = "2026-11-23"; // a Monday
const policy: EscalationPolicy = { stallDays: 7, stallDaysStrategic: 3, escalateAfterDays: 3, disputeSlaDays: 10, promiseGraceDays: 1, dailyLimit: 25 };
const FIN = 11;
const SALES = 12;
const FIN_LEAD = 21;
const SALES_LEAD = 22;
const ADMIN = 31;
const ago = (days: number) => addDays(D, -days);
const claim = (fn: LedgerClaim["function"], userId: number, accountId = 1): LedgerClaim => ({ accountId, function: fn, owner: `u${userId}@example.com`, userId, claimedOn: "2026-01-05", releasedOn: null });

/** One account (id 1, owned by FIN for finance) with the given history; the rest overridable. */
function facts(over: Omit<Partial<SweepFacts>, "ledger"> & { ledger?: Partial<Ledger> } = {}): SweepFacts {
  const { ledger, ...rest } = over;
  return {
    ledger: ledgerOf({ accounts: [AccountMother.of(1)], claims: [claim("finance", FIN)], ...ledger }),
    disputes: [],
    snoozes: [],
    history: [],
    leads: { finance: FIN_LEAD, sales: SALES_LEAD },
    admins: [ADMIN],
    ...rest,
  };
}
const overdue = (dpd: number, fields = {}) => InvoiceMother.overdue(dpd, 100_00n, D, { accountId: 1, ...fields });
const acted = (...daysAgo: number[]) => new Map([[1, daysAgo.map(ago)]]);
const sent = (episode: string, level: number, daysAgo: number): SentEscalation => ({ accountId: 1, episode, level, sentOn: ago(daysAgo) });
const decide = (f: SweepFacts, on = D) => decideEscalations(f, policy, on);
const summary = (f: SweepFacts, on = D) =>
  decide(f, on).escalations.map((e) => ({ trigger: e.trigger, level: e.level, idleDays: e.idleDays, to: e.recipients.map((r) => (r.kind === "channel" ? "channel" : `${r.kind}:${r.userId}`)) }));

describe("stalled vs active", () => {
  test.each([
    ["idle 7 days since the oldest overdue invoice fell due, no activity: stalled", { invoices: [overdue(7)] }, [{ trigger: "stalled", level: 1, idleDays: 7, to: [`owner:${FIN}`] }]],
    ["idle 6 days: not yet", { invoices: [overdue(6)] }, []],
    ["long overdue but a note 6 days ago: active", { invoices: [overdue(40)], humanActivityDays: acted(6) }, []],
    ["long overdue, last note 9 days ago: stalled counted from the note", { invoices: [overdue(40)], humanActivityDays: acted(30, 9) }, [{ trigger: "stalled", level: 1, idleDays: 9, to: [`owner:${FIN}`] }]],
    ["an activity after D does not count (as-of)", { invoices: [overdue(40)], humanActivityDays: acted(9, -1) }, [{ trigger: "stalled", level: 1, idleDays: 9, to: [`owner:${FIN}`] }]],
    ["nothing overdue (due today): nobody chased", { invoices: [overdue(0)] }, []],
    ["paid in full: nothing to chase", { invoices: [overdue(40, { payments: [{ paidOn: ago(1), amountMinor: 100_00n }] })] }, []],
  ])("%s", (_name, ledger, expected) => {
    expect(summary(facts({ ledger }))).toEqual(expected);
  });

  test("a payment is activity on its paid_on day: a part payment 3 days ago keeps the account active", () => {
    const partPaid = overdue(40, { payments: [{ paidOn: ago(3), amountMinor: 10_00n }] });
    expect(summary(facts({ ledger: { invoices: [partPaid] } }))).toEqual([]);
    expect(summary(facts({ ledger: { invoices: [partPaid] } }), addDays(D, 4))).toEqual([{ trigger: "stalled", level: 1, idleDays: 7, to: [`owner:${FIN}`] }]);
  });

  test("every owner hears level 1, each once; an unowned account goes to the escalation channel to be claimed", () => {
    const shared = facts({ ledger: { invoices: [overdue(10)], claims: [claim("finance", FIN), claim("sales", SALES), claim("cs", FIN)] } });
    expect(summary(shared)[0]!.to).toEqual([`owner:${FIN}`, `owner:${SALES}`]);
    const unowned = facts({ ledger: { invoices: [overdue(10)], claims: [] } });
    expect(summary(unowned)).toEqual([{ trigger: "stalled", level: 1, idleDays: 10, to: ["channel"] }]);
  });
});

describe("strategic vs standard tier", () => {
  test.each([
    ["standard, idle 3", null, 3, []],
    ["strategic, idle 3", "Strategic", 3, [1]],
    ["strategic, idle 2", "strategic", 2, []],
    ["standard, idle 7", "mid-market", 7, [1]],
  ])("%s", (_name, tier, idle, levels) => {
    const f = facts({ ledger: { accounts: [AccountMother.of(1, { tier })], invoices: [overdue(idle)] } });
    expect(decide(f).escalations.map((e) => e.level)).toEqual(levels);
  });
});

describe("levels 1 → 2 → 3 of one episode", () => {
  const idle20 = { invoices: [overdue(20)] };
  const episode = `stalled:${ago(20)}`;
  test.each([
    ["level 1 sent 2 days ago: wait", [sent(episode, 1, 2)], []],
    ["level 1 sent 3 days ago: level 2 to the finance lead and the channel", [sent(episode, 1, 3)], [{ trigger: "stalled", level: 2, idleDays: 20, to: [`lead:${FIN_LEAD}`, "channel"] }]],
    ["level 2 sent 3 days ago: level 3 to the admins and the channel", [sent(episode, 1, 6), sent(episode, 2, 3)], [{ trigger: "stalled", level: 3, idleDays: 20, to: [`admin:${ADMIN}`, "channel"] }]],
    ["level 3 sent: it stays at 3, nothing more", [sent(episode, 1, 9), sent(episode, 2, 6), sent(episode, 3, 3)], []],
    ["levels of an older episode do not count: a new stall starts at 1", [sent(`stalled:${ago(40)}`, 3, 25)], [{ trigger: "stalled", level: 1, idleDays: 20, to: [`owner:${FIN}`] }]],
  ])("%s", (_name, history, expected) => {
    expect(summary(facts({ ledger: idle20, history }))).toEqual(expected);
  });

  test("a sweep that finds a long-idle account starts at level 1, never skips a level", () => {
    expect(summary(facts({ ledger: { invoices: [overdue(60)] } }))).toEqual([{ trigger: "stalled", level: 1, idleDays: 60, to: [`owner:${FIN}`] }]);
  });

  test("level 2 goes to the leads of the owners' functions; without a lead only the channel", () => {
    const both = facts({ ledger: { invoices: [overdue(20)], claims: [claim("finance", FIN), claim("sales", SALES)] }, history: [sent(episode, 1, 3)] });
    expect(summary(both)[0]!.to).toEqual([`lead:${FIN_LEAD}`, `lead:${SALES_LEAD}`, "channel"]);
    const noLead = facts({ ledger: idle20, history: [sent(episode, 1, 3)], leads: {} });
    expect(summary(noLead)[0]!.to).toEqual(["channel"]);
    const unowned = facts({ ledger: { invoices: [overdue(20)], claims: [] }, history: [sent(episode, 1, 3)] });
    expect(summary(unowned)[0]!.to).toEqual([`lead:${FIN_LEAD}`, "channel"]);
  });

  test("acknowledging (I'm on it) is activity: the episode ends and the clock restarts", () => {
    const history = [sent(episode, 1, 6), sent(episode, 2, 3)];
    expect(summary(facts({ ledger: { ...idle20, humanActivityDays: acted(2) }, history }))).toEqual([]);
    // 7 days after the acknowledgement a new episode starts again at level 1
    const later = facts({ ledger: { ...idle20, humanActivityDays: acted(2) }, history });
    expect(summary(later, addDays(D, 5))).toEqual([{ trigger: "stalled", level: 1, idleDays: 7, to: [`owner:${FIN}`] }]);
  });
});

describe("weekends", () => {
  test("idle days are calendar days: due on Saturday, chased on Monday with the weekend counted", () => {
    // due 9 days before Monday: 7 idle days reached on Saturday
    expect(summary(facts({ ledger: { invoices: [overdue(9)] } }))).toEqual([{ trigger: "stalled", level: 1, idleDays: 9, to: [`owner:${FIN}`] }]);
  });

  test("level 1 sent on Friday: level 2 is due on Monday (3 calendar days)", () => {
    const friday = "2026-11-20";
    const history = [{ accountId: 1, episode: `stalled:${ago(20)}`, level: 1, sentOn: friday }];
    expect(decide(facts({ ledger: { invoices: [overdue(20)] }, history })).escalations.map((e) => e.level)).toEqual([2]);
    expect(decide(facts({ ledger: { invoices: [overdue(20)] }, history }), "2026-11-22").escalations).toEqual([]);
  });
});

describe("promises: open pauses, kept is activity, broken escalates at once", () => {
  const promise = (promisedOn: string, fields = {}) => PromiseMother.of({ accountId: 1, amountMinor: 50_00n, createdOn: ago(30), promisedOn, ...fields });

  test("an open promise pauses a stalled account through its date + grace", () => {
    const f = facts({ ledger: { invoices: [overdue(40)], promises: [promise(ago(1))] } });
    const decision = decide(f);
    expect(decision.escalations).toEqual([]);
    expect(decision.paused).toEqual([{ accountId: 1, externalId: "C001", name: "Account 1", why: "open_promise", until: D }]);
  });

  test("a kept promise: its payment is activity, nothing due", () => {
    const f = facts({ ledger: { invoices: [overdue(40, { payments: [{ paidOn: ago(3), amountMinor: 50_00n }] })], promises: [promise(ago(4))] } });
    expect(decide(f)).toMatchObject({ escalations: [], paused: [] });
  });

  test("broken (date + grace passed uncovered): level 1 at once, naming the promise, as its own episode", () => {
    const p = promise(ago(2)); // deadline yesterday: broken today
    const [escalation] = decide(facts({ ledger: { invoices: [overdue(40)], promises: [p] } })).escalations;
    expect(escalation).toMatchObject({ trigger: "broken_promise", level: 1, episode: `promise:${p.id}`, idleDays: 40 });
    expect(escalation!.promise).toMatchObject({ amountMinor: 50_00n, coveredMinor: 0n, promisedOn: ago(2), brokenOn: D });
  });

  test("once per broken promise: the sent level 1 is not sent again, and the episode climbs like a stall", () => {
    const p = promise(ago(5));
    const history = [sent(`promise:${p.id}`, 1, 2)];
    expect(decide(facts({ ledger: { invoices: [overdue(40)], promises: [p] }, history })).escalations).toEqual([]);
    const later = [sent(`promise:${p.id}`, 1, 3)];
    expect(decide(facts({ ledger: { invoices: [overdue(40)], promises: [p] }, history: later })).escalations.map((e) => [e.trigger, e.level])).toEqual([["broken_promise", 2]]);
  });

  test("activity after the break ends the broken-promise episode; a stall can follow later", () => {
    const p = promise(ago(10));
    const f = facts({ ledger: { invoices: [overdue(40)], promises: [p], humanActivityDays: acted(30, 3) } });
    expect(decide(f).escalations).toEqual([]);
    expect(summary(f, addDays(D, 4))).toEqual([{ trigger: "stalled", level: 1, idleDays: 7, to: [`owner:${FIN}`] }]);
  });
});

describe("snoozes", () => {
  test("snoozed through its date: paused, and the day after the stall counts from the snooze", () => {
    const snoozes = [{ accountId: 1, on: ago(2), until: addDays(D, 3), reason: "waiting for the PO" }];
    const f = facts({ ledger: { invoices: [overdue(40)], humanActivityDays: acted(2) }, snoozes });
    expect(decide(f)).toMatchObject({ escalations: [], paused: [{ accountId: 1, why: "snoozed", until: addDays(D, 3) }] });
    expect(decide(f, addDays(D, 3)).escalations).toEqual([]);
    expect(summary(f, addDays(D, 5))).toEqual([{ trigger: "stalled", level: 1, idleDays: 7, to: [`owner:${FIN}`] }]);
  });
});

describe("disputes", () => {
  const dispute = (openedDaysAgo: number, fields = {}) => ({ id: 7, accountId: 1, invoiceNumber: "INV-9", reason: "wrong PO", openedById: SALES, openedOn: ago(openedDaysAgo), resolvedOn: null, ...fields });
  const disputedInvoice = (dpd: number) => overdue(dpd, { number: "INV-9", disputes: [{ openedOn: ago(12), resolvedOn: null }] });

  test("only disputed overdue is never stalled", () => {
    expect(decide(facts({ ledger: { invoices: [disputedInvoice(60)] } })).escalations).toEqual([]);
  });

  test.each([
    ["inside its SLA (9 days)", 9, []],
    ["past its SLA (10 days): the opener and the finance owner, once", 10, [{ trigger: "dispute_sla", level: 1, idleDays: 10, to: [`owner:${SALES}`, `owner:${FIN}`] }]],
  ])("a dispute %s", (_name, days, expected) => {
    expect(summary(facts({ disputes: [dispute(days)] }))).toEqual(expected);
  });

  test("a dispute escalated once is never escalated again; a resolved one never", () => {
    expect(decide(facts({ disputes: [dispute(20)], history: [sent("dispute:7", 1, 10)] })).escalations).toEqual([]);
    expect(decide(facts({ disputes: [dispute(20, { resolvedOn: ago(1) })] })).escalations).toEqual([]);
  });

  test("opened by an import, unowned: the escalation channel", () => {
    const f = facts({ disputes: [dispute(12, { openedById: null })], ledger: { claims: [] } });
    expect(summary(f)).toEqual([{ trigger: "dispute_sla", level: 1, idleDays: 12, to: ["channel"] }]);
    expect(decide(f).escalations[0]!.invoice).toBe("INV-9");
  });
});

test("keys: one per (account, episode, level), one per dispute", () => {
  const f = facts({ ledger: { invoices: [overdue(20)] }, disputes: [{ id: 7, accountId: 1, invoiceNumber: "INV-9", reason: "x", openedById: SALES, openedOn: ago(12), resolvedOn: null }] });
  expect(decide(f).escalations.map((e) => e.key)).toEqual(["dispute:7", `1|stalled:${ago(20)}|1`]);
});

describe("at most AR_ESCALATION_DAILY_LIMIT escalations per person in one sweep", () => {
  const owner = (userId: number): Recipient => ({ kind: "owner", userId, function: "finance" });
  const channel: Recipient = { kind: "channel", userId: null, function: null };
  let n = 0;
  const due = (trigger: DueEscalation["trigger"], level: 1 | 2 | 3, idleDays: number, ...recipients: Recipient[]): DueEscalation => {
    n++;
    return { accountId: n, externalId: `A${n}`, name: `Account ${n}`, trigger, level, episode: `e${n}`, key: `k${n}`, idleDays, overdue: new Map(), invoice: null, recipients, owners: {} };
  };

  test("the most urgent go first: higher level, broken promise, dispute, stall, longest idle; the rest are deferred", () => {
    const stalledLong = due("stalled", 1, 40, owner(FIN));
    const stalledShort = due("stalled", 1, 8, owner(FIN));
    const broken = due("broken_promise", 1, 2, owner(FIN));
    const level2 = due("stalled", 2, 10, owner(FIN));
    const dispute = due("dispute_sla", 1, 11, owner(FIN));
    const { kept, deferred } = limitPerRecipient([stalledLong, stalledShort, broken, level2, dispute], 3);
    expect(kept.map((e) => e.externalId)).toEqual([broken, level2, dispute].map((e) => e.externalId).sort());
    expect(deferred).toEqual([stalledLong, stalledShort]);
  });

  test("each person and the channel count apart; an escalation waits when any of its recipients is full", () => {
    const a = due("stalled", 1, 20, owner(FIN));
    const b = due("stalled", 1, 19, owner(SALES));
    const both = due("stalled", 1, 18, owner(FIN), owner(SALES));
    const c1 = due("stalled", 1, 17, channel);
    const c2 = due("stalled", 1, 16, channel);
    const { kept, deferred } = limitPerRecipient([a, b, both, c1, c2], 1);
    expect(kept).toEqual([a, b, c1]);
    expect(deferred).toEqual([both, c2]);
  });

  test("under the limit nothing waits, and the order is kept", () => {
    const list = [due("stalled", 1, 9, owner(FIN)), due("broken_promise", 1, 1, owner(FIN))];
    expect(limitPerRecipient(list, 25)).toEqual({ kept: list, deferred: [] });
  });
});
