import { ConfigError, Env, present } from "../../bot/config";

export type SlackConfig =
  | { mode: "http"; botToken: string; signingSecret: string; apiUrl: string }
  | { mode: "socket"; botToken: string; appToken: string; apiUrl: string };

/** Every variable Slack reads: setting any of them means Slack is wanted. */
export const SLACK_VARIABLES = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL"] as const;

const DEFAULT_SLACK_API_URL = "https://slack.com/api/";

/**
 * Slack over HTTP (bot token + signing secret) or Socket Mode (bot token + app token);
 * null when nothing Slack is set; a partial set is a configuration error (section 3).
 */
export function loadSlackConfig(env: Env): SlackConfig | null {
  const e = present(env);
  const botToken = e.SLACK_BOT_TOKEN?.trim();
  const signingSecret = e.SLACK_SIGNING_SECRET?.trim();
  const appToken = e.SLACK_APP_TOKEN?.trim();
  if (!botToken && !signingSecret && !appToken) return null;
  if (!botToken) throw new ConfigError("SLACK_BOT_TOKEN", `missing: ${signingSecret ? "SLACK_SIGNING_SECRET" : "SLACK_APP_TOKEN"} is set, and Slack also needs the bot token (xoxb-…)`);
  if (!botToken.startsWith("xoxb-")) throw new ConfigError("SLACK_BOT_TOKEN", "expected a bot token starting with xoxb-");
  let apiUrl = e.SLACK_API_URL?.trim() ?? DEFAULT_SLACK_API_URL;
  try {
    const url = new URL(apiUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("protocol");
  } catch {
    throw new ConfigError("SLACK_API_URL", "expected an http(s) URL such as https://slack.com/api/");
  }
  if (!apiUrl.endsWith("/")) apiUrl += "/";
  if (appToken) {
    if (!appToken.startsWith("xapp-")) throw new ConfigError("SLACK_APP_TOKEN", "expected an app-level token starting with xapp- (Socket Mode)");
    return { mode: "socket", botToken, appToken, apiUrl };
  }
  if (!signingSecret) throw new ConfigError("SLACK_SIGNING_SECRET", "missing: Slack over HTTP needs the app's signing secret (or SLACK_APP_TOKEN for Socket Mode)");
  return { mode: "http", botToken, signingSecret, apiUrl };
}

