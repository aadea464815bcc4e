import schedule from "node-schedule";
import { DigestDelivery, DigestJobDeps, runDueDigests } from "./digest-job";

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
