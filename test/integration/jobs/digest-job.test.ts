import { PrismaDigestRunStore } from "../../../adapters/db/prisma-digest-runs";
import { DigestDelivery, DigestJobDeps, PermanentDeliveryError, runDueDigests, serveChannel } from "../../../bot/jobs/digest-job";
import { DigestTarget } from "../../../domain/model/delivery";
import { UserRef } from "../../../domain/ports/notifier.port";
import { runImport } from "../../../bot/run-import";
import { DigestView } from "../../../bot/views/digest-view";
import { csv, writeCsv } from "../../support/csv-files";
import { useTestApp } from "../../support/test-app";

/** A platform that records posts and can fail like Slack does. */
class FakeDelivery implements DigestDelivery {
  readonly platform = "slack";
  readonly posts: { channelId: string; runId: string; asOf: string; accounts: number }[] = [];
  readonly told: string[] = [];
  /** Messages already in channels (run id → message ref), as after a crash. */
  readonly inChannel = new Map<string, string>();
  failures: Error[] = [];
  /** Runs while a post is on its way (a slow platform), once. */
  duringPost: (() => Promise<void>) | null = null;

  async findDigest(_: DigestTarget, runId: string) {
    return this.inChannel.get(runId) ?? null;
  }

  async sendDigest(subscription: DigestTarget, view: DigestView, runId: string) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const during = this.duringPost;
    this.duringPost = null;
    await during?.();
    this.posts.push({ channelId: subscription.channelId, runId, asOf: view.asOf, accounts: view.total });
    const ref = `ts-${this.posts.length}`;
    this.inChannel.set(runId, ref);
    return ref;
  }

  async digestFailed(subscriber: UserRef, target: DigestTarget, reason: string) {
    this.told.push(`user ${subscriber.userId}: ${target.channelId} failed: ${reason}`);
  }

  async pingOwner() {
    return false;
  }

  async askChannelToClaim() {}

  async announce() {}
}

const t = useTestApp("2026-11-20T06:00:00Z"); // a Friday
let delivery: FakeDelivery;
let deps: DigestJobDeps;
const logs: string[] = [];

async function subscribe(channelId: string, localTime: string, timeZone: string) {
  const user = await t.app.db.prisma.user.upsert({ where: { handle: "dana@example.com" }, create: { handle: "dana@example.com", email: "dana@example.com", role: "finance" }, update: {} });
  await t.app.uow.run(null, (ws) => ws.saveSubscription({ platform: "slack", channelId, tenantId: "T1", scope: "all", localTime, timeZone, createdById: user.id, conversationRef: null }));
}

beforeEach(async () => {
  await runImport(t.app, "invoices", writeCsv("i.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "ACME,Acme Corp,A-1,2026-08-01,2026-08-31,1000.00")));
  delivery = new FakeDelivery();
  logs.length = 0;
  deps = { runs: new PrismaDigestRunStore(t.app.db.prisma), ledger: t.app.ledger, clock: t.app.clock, priority: t.app.priority, digestTop: 10, log: (l) => logs.push(l) };
  await subscribe("C1", "09:00", "Europe/Paris");
});

test("posts once on a business day from the channel's local time on", async () => {
  t.app.clock.set("2026-11-20T07:59:00Z"); // 08:59 in Paris
  expect(await runDueDigests(deps, delivery)).toEqual(new Map([["C1", "not_due"]]));
  t.app.clock.set("2026-11-20T08:00:00Z"); // 09:00 in Paris
  expect(await runDueDigests(deps, delivery)).toEqual(new Map([["C1", "posted"]]));
  t.app.clock.set("2026-11-20T08:01:00Z");
  expect(await runDueDigests(deps, delivery)).toEqual(new Map([["C1", "already_served"]]));
  expect(delivery.posts).toEqual([{ channelId: "C1", runId: expect.any(String), asOf: "2026-11-20", accounts: 1 }]);
  const run = await deps.runs.run({ platform: "slack", channelId: "C1", localDate: "2026-11-20", part: 0 });
  expect(run).toMatchObject({ state: "posted", messageRef: "ts-1", leaseUntil: null });
});

test("weekends are skipped; a late run posts the same local day, never the next", async () => {
  t.app.clock.set("2026-11-21T10:00:00Z"); // Saturday
  expect((await runDueDigests(deps, delivery)).get("C1")).toBe("not_due");
  t.app.clock.set("2026-11-23T16:30:00Z"); // Monday 17:30: the server was down at 09:00
  expect((await runDueDigests(deps, delivery)).get("C1")).toBe("posted");
  expect(delivery.posts[0]!.asOf).toBe("2026-11-23");
  t.app.clock.set("2026-11-24T07:00:00Z"); // Tuesday 08:00: Monday's is done, Tuesday's is not due
  expect((await runDueDigests(deps, delivery)).get("C1")).toBe("not_due");
  expect(delivery.posts).toHaveLength(1);
});

test("after a crash the run is taken over and the channel checked: a digest already there is not posted again", async () => {
  t.app.clock.set("2026-11-20T08:00:00Z");
  // A process leased the run, posted, and died before recording it.
  const leased = await deps.runs.lease({ platform: "slack", channelId: "C1", localDate: "2026-11-20", part: 0 }, t.app.clock.now(), 10 * 60_000);
  delivery.inChannel.set(leased!.run.runId, "ts-from-the-dead-process");
  t.app.clock.set("2026-11-20T08:05:00Z");
  expect((await runDueDigests(deps, delivery)).get("C1")).toBe("busy"); // the lease still holds
  t.app.clock.set("2026-11-20T08:11:00Z");
  expect((await runDueDigests(deps, delivery)).get("C1")).toBe("recovered");
  expect(delivery.posts).toEqual([]);
  expect(await deps.runs.run({ platform: "slack", channelId: "C1", localDate: "2026-11-20", part: 0 })).toMatchObject({ state: "posted", messageRef: "ts-from-the-dead-process" });
});

test("after a crash before posting, the next process posts", async () => {
  t.app.clock.set("2026-11-20T08:00:00Z");
  await deps.runs.lease({ platform: "slack", channelId: "C1", localDate: "2026-11-20", part: 0 }, t.app.clock.now(), 10 * 60_000);
  t.app.clock.set("2026-11-20T08:20:00Z");
  expect((await runDueDigests(deps, delivery)).get("C1")).toBe("posted");
  expect(delivery.posts).toHaveLength(1);
});

describe("a platform without history lookup (Teams)", () => {
  beforeEach(() => {
    Object.assign(delivery, { canSearchHistory: false });
  });

  test("a run whose process died mid-post is reported as interrupted, once in the log, and never posted again", async () => {
    t.app.clock.set("2026-11-20T08:00:00Z");
    // A process leased the run, said it was posting, and died before hearing back.
    const leased = await deps.runs.lease({ platform: "slack", channelId: "C1", localDate: "2026-11-20", part: 0 }, t.app.clock.now(), 10 * 60_000);
    expect(await deps.runs.markSending(leased!.run.runId, leased!.run.leaseUntil!, t.app.clock.now())).toBe(true);
    t.app.clock.set("2026-11-20T08:05:00Z");
    expect((await runDueDigests(deps, delivery)).get("C1")).toBe("busy");
    t.app.clock.set("2026-11-20T08:11:00Z");
    expect((await runDueDigests(deps, delivery)).get("C1")).toBe("interrupted");
    expect((await runDueDigests(deps, delivery, { force: true })).get("C1")).toBe("interrupted");
    expect(delivery.posts).toEqual([]);
    expect(logs.filter((l) => l.includes("INTERRUPTED"))).toHaveLength(1);
    expect(await deps.runs.run({ platform: "slack", channelId: "C1", localDate: "2026-11-20", part: 0 })).toMatchObject({ state: "interrupted", leaseUntil: null });
  });

  test("a crash before posting is still posted by the next process; a refused post (5xx) is retried", async () => {
    t.app.clock.set("2026-11-20T08:00:00Z");
    await deps.runs.lease({ platform: "slack", channelId: "C1", localDate: "2026-11-20", part: 0 }, t.app.clock.now(), 10 * 60_000);
    t.app.clock.set("2026-11-20T08:20:00Z");
    delivery.failures = [new Error("http_503")];
    expect((await runDueDigests(deps, delivery)).get("C1")).toBe("retry");
    expect((await runDueDigests(deps, delivery)).get("C1")).toBe("posted");
    expect(delivery.posts).toHaveLength(1);
  });
});

test("a permanent error fails the run and tells the subscriber once; a transient one is retried", async () => {
  await subscribe("C2", "09:00", "Europe/Paris");
  t.app.clock.set("2026-11-20T08:00:00Z");
  delivery.failures = [new PermanentDeliveryError("not_in_channel"), new Error("ratelimited")];
  const first = await runDueDigests(deps, delivery);
  expect(first).toEqual(new Map([["C1", "failed"], ["C2", "retry"]]));
  const subscriber = (await t.app.db.prisma.user.findUniqueOrThrow({ where: { handle: "dana@example.com" } })).id;
  expect(delivery.told).toEqual([`user ${subscriber}: C1 failed: not_in_channel`]);
  t.app.clock.set("2026-11-20T08:01:00Z");
  const second = await runDueDigests(deps, delivery);
  expect(second).toEqual(new Map([["C1", "failed"], ["C2", "posted"]]));
  expect(delivery.told).toHaveLength(1);
  expect(delivery.posts.map((p) => p.channelId)).toEqual(["C2"]);
});

/** Waits for something another part of the process does (no time limit but the test's). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

test("a post that outlives its lease keeps it: a second process finds the run busy and nothing is posted twice", async () => {
  t.app.clock.set("2026-11-20T08:00:00Z");
  deps.leaseRenewEveryMs = 20;
  const subscription = (await deps.runs.subscriptionOf("slack", "C1"))!;
  const key = { platform: "slack", channelId: "C1", localDate: "2026-11-20", part: 0 };
  let secondProcess: string | null = null;
  delivery.duringPost = async () => {
    // The platform takes 12 minutes to answer; the lease was for 10.
    const firstLease = (await deps.runs.run(key))!.leaseUntil!;
    t.app.clock.set("2026-11-20T08:09:00Z");
    await until(async () => (await deps.runs.run(key))!.leaseUntil! > firstLease);
    t.app.clock.set("2026-11-20T08:12:00Z");
    secondProcess = await serveChannel(deps, delivery, subscription, "2026-11-20");
  };
  expect(await serveChannel(deps, delivery, subscription, "2026-11-20")).toBe("posted");
  expect(secondProcess).toBe("busy");
  expect(delivery.posts).toHaveLength(1);
  expect(await deps.runs.run(key)).toMatchObject({ state: "posted", messageRef: "ts-1", leaseUntil: null });
});

test("two servers ticking at once post one digest per channel", async () => {
  t.app.clock.set("2026-11-20T08:00:00Z");
  const subscription = (await deps.runs.subscriptionOf("slack", "C1"))!;
  const outcomes = await Promise.all([serveChannel(deps, delivery, subscription, "2026-11-20"), serveChannel(deps, delivery, subscription, "2026-11-20")]);
  expect(outcomes.sort()).toEqual(["busy", "posted"]);
  expect(delivery.posts).toHaveLength(1);
});

test("a local time that DST skips posts at the first valid instant; one it repeats posts once", async () => {
  // Cairo's clocks jump on weekdays: Fri 24 Apr 2026 00:00 → 01:00, and Thu 29 Oct 2026
  // 24:00 → 23:00 (23:00–23:59 happen twice).
  await t.app.db.prisma.channelSubscription.deleteMany();
  await subscribe("C3", "00:30", "Africa/Cairo");
  t.app.clock.set("2026-04-23T22:00:00Z"); // Fri 01:00 EEST, the first instant of Friday
  expect((await runDueDigests(deps, delivery)).get("C3")).toBe("posted");
  expect(delivery.posts.at(-1)!.asOf).toBe("2026-04-24");

  await t.app.db.prisma.channelSubscription.deleteMany();
  await subscribe("C4", "23:30", "Africa/Cairo");
  t.app.clock.set("2026-10-29T20:30:00Z"); // Thu 23:30 EEST
  expect((await runDueDigests(deps, delivery)).get("C4")).toBe("posted");
  t.app.clock.set("2026-10-29T21:30:00Z"); // Thu 23:30 EET, the same local time again
  expect((await runDueDigests(deps, delivery)).get("C4")).toBe("already_served");
  expect(delivery.posts.filter((p) => p.channelId === "C4")).toHaveLength(1);
});

test("only the lease holder records the outcome: a holder that outlived its lease does not overwrite the new one", async () => {
  const key = { platform: "slack", channelId: "C1", localDate: "2026-11-20", part: 0 };
  t.app.clock.set("2026-11-20T08:00:00Z");
  const first = (await deps.runs.lease(key, t.app.clock.now(), 10 * 60_000))!;
  t.app.clock.set("2026-11-20T08:11:00Z");
  const second = (await deps.runs.lease(key, t.app.clock.now(), 10 * 60_000))!;
  expect(second.takenOver).toBe(true);
  const now = t.app.clock.now();
  expect(await deps.runs.stillHeld(first.run.runId, first.run.leaseUntil!, now)).toBe(false);
  expect(await deps.runs.release(first.run.runId, first.run.leaseUntil!, "late", now)).toBe(false);
  expect(await deps.runs.markPosted(first.run.runId, first.run.leaseUntil!, "ts-old", now)).toBe(false);
  expect(await deps.runs.stillHeld(second.run.runId, second.run.leaseUntil!, now)).toBe(true);
  expect(await deps.runs.markPosted(second.run.runId, second.run.leaseUntil!, "ts-new", now)).toBe(true);
  expect(await deps.runs.run(key)).toMatchObject({ state: "posted", messageRef: "ts-new" });
});
