import { App, ExpressReceiver, LogLevel, SocketModeReceiver, webApi } from "@slack/bolt";
import type { Application } from "express";
import { ConfigError } from "../../bot/config";
import { seenBefore } from "../../bot/commands/dispatch";
import { ChatPlatformUnavailable } from "../../bot/platform/chat-platform";
import { registerActions } from "./listeners/actions";
import { registerCommands } from "./listeners/commands";
import { registerEvents } from "./listeners/events";
import { registerViews } from "./listeners/views";
import { SlackBot } from "./slack-bot";
import { SlackConfig } from "./slack-config";
import { isOutage, slackFailure } from "./slack-errors";
import { Installation } from "./slack-people";

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

export interface SlackIdentity {
  installation: Installation;
  botUserId: string;
  botId: string;
}

/**
 * auth.test before anything else: a refused token is a configuration error (78) naming
 * SLACK_BOT_TOKEN; Slack out of reach (network, 5xx, rate limit) is its own failure (75).
 */
export async function checkSlackToken(client: webApi.WebClient): Promise<SlackIdentity> {
  try {
    const auth = await client.auth.test();
    return {
      installation: { teamId: auth.team_id ?? null, enterpriseId: (auth.enterprise_id as string | undefined) ?? null },
      botUserId: auth.user_id ?? "",
      botId: auth.bot_id ?? "",
    };
  } catch (error) {
    const code = slackFailure(error)?.code ?? null;
    if (code !== null && !isOutage(code) && code !== "ratelimited") throw new ConfigError("SLACK_BOT_TOKEN", `Slack refused the token at auth.test (${code}): check the bot token (xoxb-…)`);
    throw new ChatPlatformUnavailable(`Slack did not answer auth.test (${code ?? (error as Error).message}): check SLACK_API_URL and the network, then start again`);
  }
}

/**
 * The Bolt app over HTTP (POST /slack/events on the given Express app, signatures always
 * verified) or Socket Mode, with every listener registered. Returns how to stop it.
 */
export async function mountSlack(config: SlackConfig, identity: SlackIdentity, bot: SlackBot, http: Application): Promise<() => Promise<void>> {
  const receiver =
    config.mode === "http"
      ? new ExpressReceiver({ signingSecret: config.signingSecret, endpoints: "/slack/events", app: http, signatureVerification: true })
      : // The socket's own client keeps its patient reconnect policy: the bounded retries of
        // Web API calls would turn a short outage into a connection given up for good.
        new SocketModeReceiver({ appToken: config.appToken, logLevel: LogLevel.WARN, installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } } });
  const app = new App({
    token: config.botToken,
    botId: identity.botId,
    botUserId: identity.botUserId,
    tokenVerificationEnabled: false,
    clientOptions: { slackApiUrl: config.apiUrl, ...clientOptions() },
    logLevel: LogLevel.WARN,
    receiver,
  });
  const once = async (key: string) => !(await seenBefore(bot.services, key));
  registerCommands(app, bot);
  registerEvents(app, bot, once);
  registerActions(app, bot, once);
  registerViews(app, bot);
  app.error(async (error) => {
    bot.log(`slack listener error: ${(error as Error).stack ?? error}`);
  });
  if (config.mode === "socket") await app.start();
  return async () => {
    if (config.mode === "socket") await app.stop();
  };
}
