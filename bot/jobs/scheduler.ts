import schedule from "node-schedule";
import { BusinessDate } from "../../domain/model/business-date";
import { digestDue } from "../../domain/policies/digest-schedule";
import { DigestDelivery, DigestJobDeps, runDueDigests } from "./digest-job";
import { runSweep, SweepDeps, SweepPlatform } from "./escalation-sweep";

/**
 * Checks every subscription once a minute (and once at start, to catch up after a restart).
 * A tick never overlaps the previous one; a failing tick is logged, the next one retries.
 */
export function startDigestScheduler(deps: DigestJobDeps, deliveries: DigestDelivery[]): { tick(): Promise<void>; stop(): void } {
  let running: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      for (const delivery of deliveries) {
        try {
          await runDueDigests(deps, delivery);
        } catch (error) {
          deps.log(`digest tick for ${delivery.platform} failed: ${(error as Error).message}`);
        }
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const job = schedule.scheduleJob("0 * * * * *", () => void tick());
  void tick();
  return {
    tick,
    stop() {
      job.cancel();
    },
  };
}

/**
 * The escalation sweep (section 10): on business days from `localTime` in the organization's
 * zone, once a day per process; checked once a minute and at start, so a server restarted
 * after the time (or down at it) sweeps the same day. Another process or a rerun sweeping
 * the same day sends nothing twice: each escalation's row is claimed before sending.
 */
export function startSweepScheduler(deps: SweepDeps, platforms: SweepPlatform[], at: { localTime: string; timeZone: string }): { tick(): Promise<void>; stop(): void } {
  let sweptOn: BusinessDate | null = null;
  let running: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      const { due, localDate } = digestDue(at, deps.clock.now());
      if (!due || sweptOn === localDate) return;
      try {
        await runSweep(deps, platforms, { dryRun: false });
        sweptOn = localDate;
      } catch (error) {
        deps.log(`escalation sweep failed, retried next minute: ${(error as Error).message}`);
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const job = schedule.scheduleJob("30 * * * * *", () => void tick());
  void tick();
  return {
    tick,
    stop() {
      job.cancel();
    },
  };
}
