import { App, ExpressReceiver, LogLevel, SocketModeReceiver, webApi } from "@slack/bolt";
import type { Application } from "express";
import { SlackConfig } from "../../bot/config";
import { BotServices } from "../../bot/commands/dispatch";
import { Clock } from "../../domain/ports/clock.port";
import { DigestRunStore } from "../../domain/ports/digest-runs.port";
import { UnitOfWork } from "../../domain/ports/workspace.port";
import { UserPolicy } from "../../domain/usecases/resolve-user";
import { PlatformDirectory } from "../../domain/ports/platform-directory.port";
import { registerActions } from "./listeners/actions";
import { registerCommands } from "./listeners/commands";
import { registerEvents } from "./listeners/events";
import { registerViews } from "./listeners/views";
import { SlackBot } from "./slack-bot";
import { SlackDelivery } from "./slack-delivery";
import { slackErrorCode } from "./slack-errors";
import { Installation, SlackPeople } from "./slack-people";
import { SlackStartupError } from "./slack-startup-error";

export interface SlackDeps {
  services: BotServices;
  uow: UnitOfWork;
  clock: Clock;
  runs: DigestRunStore;
  directory: PlatformDirectory;
  userPolicy: UserPolicy;
  digestTime: string;
  timeZone: string;
  log: (line: string) => void;
}

// Its own module, so that the command line can recognise it without loading Bolt.
export { SlackStartupError };

/**
 * The Web API client: bounded retries (never the default half hour) and rate limits
 * surfaced to the caller, who tells the person or retries on a later tick.
 */
export function slackClient(config: Pick<SlackConfig, "botToken" | "apiUrl">): webApi.WebClient {
  return new webApi.WebClient(config.botToken, { slackApiUrl: config.apiUrl, ...clientOptions() });
}

function clientOptions() {
  return { retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR };
}

/** auth.test before anything else: a bad token stops start-up with one line. */
export async function checkSlackToken(client: webApi.WebClient): Promise<{ installation: Installation; botUserId: string; botId: string }> {
  try {
    const auth = await client.auth.test();
    return {
      installation: { teamId: auth.team_id ?? null, enterpriseId: (auth.enterprise_id as string | undefined) ?? null },
      botUserId: auth.user_id ?? "",
      botId: auth.bot_id ?? "",
    };
  } catch (error) {
    const code = slackErrorCode(error);
    const configuration = code !== null && !code.startsWith("http_") && code !== "request_failed" && code !== "ratelimited";
    throw new SlackStartupError(`Slack auth.test failed (${code ?? (error as Error).message}): check SLACK_BOT_TOKEN${configuration ? "" : " and SLACK_API_URL"}`, configuration);
  }
}

/** Delivery without Bolt, for the command line (digest --send, escalate). */
export async function slackDeliveryFor(config: Pick<SlackConfig, "botToken" | "apiUrl">, deps: SlackDeps): Promise<SlackDelivery> {
  const client = slackClient(config);
  const { installation } = await checkSlackToken(client);
  const people = new SlackPeople(client, { uow: deps.uow, clock: deps.clock, policy: deps.userPolicy, directory: deps.directory, installation: () => installation, log: deps.log });
  return new SlackDelivery(client, people, { runs: deps.runs, clock: deps.clock, directory: deps.directory, defaultTimeZone: deps.timeZone });
}

export interface SlackRuntime {
  delivery: SlackDelivery;
  bot: SlackBot;
  stop(): Promise<void>;
}

/**
 * The Bolt app over HTTP (POST /slack/events on the given Express app, signatures always
 * verified) or Socket Mode, with every listener registered.
 */
export async function startSlack(config: SlackConfig, deps: SlackDeps, http: Application): Promise<SlackRuntime> {
  const probe = slackClient(config);
  const auth = await checkSlackToken(probe);
  const common = {
    token: config.botToken,
    botId: auth.botId,
    botUserId: auth.botUserId,
    tokenVerificationEnabled: false,
    clientOptions: { slackApiUrl: config.apiUrl, ...clientOptions() },
    logLevel: LogLevel.WARN,
  };
  const receiver =
    config.mode === "http"
      ? new ExpressReceiver({ signingSecret: config.signingSecret, endpoints: "/slack/events", app: http, signatureVerification: true })
      : // The socket's own client keeps its patient reconnect policy: the bounded retries of
        // Web API calls would turn a short outage into a connection given up for good.
        new SocketModeReceiver({ appToken: config.appToken, logLevel: LogLevel.WARN, installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } } });
  const app = new App({ ...common, receiver });

  const people = new SlackPeople(app.client, { uow: deps.uow, clock: deps.clock, policy: deps.userPolicy, directory: deps.directory, installation: () => auth.installation, log: deps.log });
  const delivery = new SlackDelivery(app.client, people, { runs: deps.runs, clock: deps.clock, directory: deps.directory, defaultTimeZone: deps.timeZone });
  const bot = new SlackBot(app.client, { services: deps.services, runs: deps.runs, people, delivery, digestTime: deps.digestTime, timeZone: deps.timeZone, log: deps.log });
  const once = async (key: string) => !(await deps.uow.run(key, async () => undefined)).duplicate;

  registerCommands(app, bot);
  registerEvents(app, bot, once);
  registerActions(app, bot, once);
  registerViews(app, bot, { uow: deps.uow, clock: deps.clock });
  app.error(async (error) => {
    deps.log(`slack listener error: ${(error as Error).stack ?? error}`);
  });

  if (config.mode === "socket") await app.start();
  return {
    delivery,
    bot,
    async stop() {
      if (config.mode === "socket") await app.stop();
    },
  };
}
