import { BusinessDate } from "../../domain/model/business-date";
import { DigestRun, Subscription } from "../../domain/model/subscription";
import { DIGEST_LEASE_MS, digestDue } from "../../domain/policies/digest-schedule";
import { PriorityPolicy } from "../../domain/policies/priority";
import { Clock } from "../../domain/ports/clock.port";
import { DigestRunStore } from "../../domain/ports/digest-runs.port";
import { LedgerReader } from "../../domain/ports/ledger-reader.port";
import { DigestSource, digestOf } from "../digest-cache";
import { DigestTarget } from "../../domain/model/delivery";
import { PermanentDeliveryError } from "../../domain/ports/notifier.port";
import { buildDigestView } from "../views/digest-view";
import { ChatNotifier } from "../platform/chat-platform";

export { PermanentDeliveryError };

/** How a platform delivers a channel digest: its Notifier. A PermanentDeliveryError fails the run; anything else is retried. */
export type DigestDelivery = ChatNotifier;

function targetOf(subscription: Subscription): DigestTarget {
  return { platform: subscription.platform, channelId: subscription.channelId, scope: subscription.scope };
}

export interface DigestJobDeps {
  runs: DigestRunStore;
  ledger: LedgerReader;
  /** The app's digest cache, so a posted digest and the requests after it share one computation. */
  digests?: DigestSource;
  clock: Clock;
  priority: PriorityPolicy;
  digestTop: number;
  log: (line: string) => void;
  /** How often (real time) a lease is renewed while its digest is prepared and posted; default a third of the lease. */
  leaseRenewEveryMs?: number;
}

/**
 * Keeps a run's lease while the digest is prepared and posted, so a slow post is never
 * taken over and posted a second time. Renewals run one after another; `settled` and
 * `stop` wait for the one in flight, so the holder's writes always use the latest lease.
 */
class LeaseKeeper {
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  /** Another process took the run over: renewing stops, the holder's writes will say so. */
  lost = false;

  constructor(
    private readonly deps: DigestJobDeps,
    private readonly runId: string,
    private lease: Date,
  ) {
    this.timer = setInterval(() => this.renew(), deps.leaseRenewEveryMs ?? DIGEST_LEASE_MS / 3);
    this.timer.unref();
  }

  private renew(): void {
    this.chain = this.chain.then(async () => {
      if (this.lost) return;
      try {
        const renewed = await this.deps.runs.renew(this.runId, this.lease, this.deps.clock.now(), DIGEST_LEASE_MS);
        if (renewed) this.lease = renewed;
        else this.lost = true;
      } catch (error) {
        // The database hiccuped: the lease still runs; the next renewal tries again.
        this.deps.log(`digest run ${this.runId}: lease not renewed: ${(error as Error).message}`);
      }
    });
  }

  /** The current lease, once a renewal in flight has landed. */
  async settled(): Promise<Date> {
    await this.chain;
    return this.lease;
  }

  /** Stops renewing; the lease to write with. */
  async stop(): Promise<Date> {
    clearInterval(this.timer);
    return this.settled();
  }
}

export type ServeOutcome = "posted" | "recovered" | "busy" | "already_served" | "failed" | "retry" | "interrupted";

/**
 * Serves one channel's digest for a local date with the run-row protocol of section 9:
 * lease the (channel, local date, part) row and keep it renewed while preparing and
 * posting; after a crash check the channel for the run id before posting again; permanent
 * errors fail the run and tell the subscriber once.
 */
export async function serveChannel(deps: DigestJobDeps, delivery: DigestDelivery, subscription: Subscription, localDate: BusinessDate): Promise<ServeOutcome> {
  const key = { platform: subscription.platform, channelId: subscription.channelId, localDate, part: 0 };
  const leased = await deps.runs.lease(key, deps.clock.now(), DIGEST_LEASE_MS);
  if (!leased) return "busy";
  const { run, takenOver } = leased;
  const keeper = new LeaseKeeper(deps, run.runId, run.leaseUntil!);
  const context = `digest ${subscription.platform}:${subscription.channelId} ${localDate} run ${run.runId}`;
  try {
    if (takenOver) {
      const found = await delivery.findDigest(targetOf(subscription), run.runId);
      if (found) {
        await deps.runs.markPosted(run.runId, await keeper.stop(), found, deps.clock.now());
        deps.log(`${context}: already in the channel (${found}); not posted again`);
        return "recovered";
      }
    }
    const digest = await digestOf(deps, localDate);
    const view = buildDigestView(digest, { limit: deps.digestTop });
    // Post only while holding the lease: another process may have taken the run over.
    if (!(await deps.runs.stillHeld(run.runId, await keeper.settled(), deps.clock.now()))) {
      deps.log(`${context}: lease lost before posting; another process serves it`);
      return "busy";
    }
    // Without a history to check after a crash, the run says it is being posted: a process
    // that dies now leaves it interrupted (reported), never posted twice.
    if (delivery.canSearchHistory === false && !(await deps.runs.markSending(run.runId, await keeper.settled(), deps.clock.now()))) {
      deps.log(`${context}: lease lost before posting; another process serves it`);
      return "busy";
    }
    const messageRef = await delivery.sendDigest(targetOf(subscription), view, run.runId);
    if (!(await deps.runs.markPosted(run.runId, await keeper.stop(), messageRef, deps.clock.now()))) {
      deps.log(`${context}: posted (${messageRef}) after another process took the run over; it checks the channel before posting`);
    } else deps.log(`${context}: posted (${view.total} accounts)`);
    return "posted";
  } catch (error) {
    const message = (error as Error).message;
    const lease = await keeper.stop();
    if (error instanceof PermanentDeliveryError) {
      await deps.runs.markFailed(run.runId, lease, message, deps.clock.now());
      deps.log(`${context}: failed for good: ${message}`);
      await delivery
        .digestFailed({ userId: subscription.createdById }, targetOf(subscription), message)
        .catch((e) => deps.log(`${context}: could not tell the subscriber: ${(e as Error).message}`));
      return "failed";
    }
    await deps.runs.release(run.runId, lease, message, deps.clock.now());
    deps.log(`${context}: will retry: ${message}`);
    return "retry";
  } finally {
    await keeper.stop();
  }
}

/**
 * A run of a platform without history lookup that was being posted: still under its lease,
 * another process is posting it; after the lease, its process died mid-post and nobody can
 * tell whether the channel got it, so it is reported (once in the log) and never reposted.
 */
async function interrupted(deps: DigestJobDeps, run: DigestRun): Promise<"busy" | "interrupted"> {
  if (run.state === "sending" && run.leaseUntil && run.leaseUntil > deps.clock.now()) return "busy";
  if (run.state === "sending" && (await deps.runs.markInterrupted(run.runId, deps.clock.now()))) {
    deps.log(`digest ${run.platform}:${run.channelId} ${run.localDate} run ${run.runId}: INTERRUPTED while posting (the process stopped mid-post); not posted again, as ${run.platform} offers no history to check whether it arrived`);
  }
  return "interrupted";
}

/**
 * Serves every subscription of the platform that is due now; with `force` (arbot digest
 * --send), every one not served yet on its local today, whatever the time.
 */
export async function runDueDigests(deps: DigestJobDeps, delivery: DigestDelivery, options: { force?: boolean } = {}): Promise<Map<string, ServeOutcome | "not_due">> {
  const outcomes = new Map<string, ServeOutcome | "not_due">();
  for (const subscription of await deps.runs.subscriptions(delivery.platform)) {
    const { due, localDate } = digestDue(subscription, deps.clock.now());
    if (!due && !options.force) {
      outcomes.set(subscription.channelId, "not_due");
      continue;
    }
    const existing = await deps.runs.run({ platform: subscription.platform, channelId: subscription.channelId, localDate, part: 0 });
    if (existing?.state === "sending" || existing?.state === "interrupted") {
      outcomes.set(subscription.channelId, await interrupted(deps, existing));
      continue;
    }
    if (existing && existing.state !== "leased") {
      outcomes.set(subscription.channelId, existing.state === "posted" ? "already_served" : "failed");
      continue;
    }
    outcomes.set(subscription.channelId, await serveChannel(deps, delivery, subscription, localDate));
  }
  return outcomes;
}
