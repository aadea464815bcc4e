import http from "node:http";
import express from "express";
import { SlackRuntime, SlackDeps, startSlack } from "../adapters/slack/slack-app";
import { DigestDelivery } from "./jobs/digest-job";
import { startDigestScheduler } from "./jobs/scheduler";
import { App } from "./main";
import { SlackConfig } from "./config";

export interface ServerOptions {
  port: number;
  slack: SlackConfig | null;
  log: (line: string) => void;
  /** Off in tests that drive the scheduler themselves. */
  scheduler?: boolean;
}

export interface RunningServer {
  port: number;
  slack: SlackRuntime | null;
  close(): Promise<void>;
}

export function slackDeps(app: App, log: (line: string) => void): SlackDeps {
  return {
    services: app.services,
    uow: app.uow,
    clock: app.clock,
    runs: app.runs,
    directory: app.directory,
    userPolicy: app.users,
    digestTime: app.config.digestTime,
    timeZone: app.config.timeZone,
    log,
  };
}

/**
 * `arbot serve`: one HTTP server for every platform (POST /slack/events, GET /healthz),
 * Socket Mode included, and the digest scheduler.
 */
export async function startServer(app: App, options: ServerOptions): Promise<RunningServer> {
  const web = express();
  web.disable("x-powered-by");
  web.get("/healthz", async (_req, res) => {
    if (await app.healthy()) res.status(200).json({ db: "ok" });
    else res.status(503).json({ db: "unavailable" });
  });
  const deps = slackDeps(app, options.log);
  const slack = options.slack ? await startSlack(options.slack, deps, web) : null;
  web.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });

  const deliveries: DigestDelivery[] = slack ? [slack.delivery] : [];
  const scheduler =
    options.scheduler === false
      ? null
      : startDigestScheduler({ runs: deps.runs, ledger: app.ledger, clock: app.clock, priority: app.priority, digestTop: app.config.digestTop, log: options.log }, deliveries);

  const server = http.createServer(web);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "0.0.0.0", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    port,
    slack,
    async close() {
      scheduler?.stop();
      await slack?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
