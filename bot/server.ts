import http from "node:http";
import express from "express";
import { ChatPlatform } from "./platform/chat-platform";
import { startDigestScheduler, startSweepScheduler } from "./jobs/scheduler";
import { App } from "./main";

export interface ServerOptions {
  port: number;
  /** Connected platforms, each mounted on this server. */
  platforms: ChatPlatform[];
  log: (line: string) => void;
  /** Off in tests that drive the scheduler themselves. */
  scheduler?: boolean;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `arbot serve`: one HTTP server for every platform (each mounts its routes, or opens its
 * socket), GET /healthz, the digest scheduler over every platform's notifier, and the
 * daily escalation sweep.
 */
export async function startServer(app: App, options: ServerOptions): Promise<RunningServer> {
  const web = express();
  web.disable("x-powered-by");
  web.get("/healthz", async (_req, res) => {
    if (await app.healthy()) res.status(200).json({ db: "ok" });
    else res.status(503).json({ db: "unavailable" });
  });
  for (const platform of options.platforms) await platform.mount(web);
  web.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });

  const scheduler =
    options.scheduler === false
      ? null
      : startDigestScheduler(
          { runs: app.runs, ledger: app.ledger, digests: app.digests, clock: app.clock, priority: app.priority, digestTop: app.config.digestTop, log: options.log },
          options.platforms.map((p) => p.notifier),
        );

  const sweeper =
    options.scheduler === false
      ? null
      : startSweepScheduler(
          { ledger: app.ledger, store: app.sweeps, clock: app.clock, policy: app.escalationPolicy, log: options.log, changed: () => app.ledgerChanged() },
          options.platforms,
          { localTime: app.config.escalationTime, timeZone: app.config.timeZone },
        );

  // Another process's import or command shows in this server's digests at once, not after the cache's bound.
  const stopHearing = await app.hearOtherProcesses(options.log);

  const server = http.createServer(web);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "0.0.0.0", () => resolve());
  }).catch(async (error: unknown) => {
    // The port is taken, say: nothing started above may keep the process alive.
    scheduler?.stop();
    sweeper?.stop();
    await stopHearing();
    throw error;
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    port,
    async close() {
      scheduler?.stop();
      sweeper?.stop();
      await stopHearing();
      await Promise.allSettled(options.platforms.map((p) => p.stop()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
