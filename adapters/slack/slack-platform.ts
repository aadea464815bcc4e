import type { ChatPlatform } from "../../bot/platform/chat-platform";
import type { PlatformDeps, PlatformModule } from "../../bot/platform/platform-module";
import { loadSlackConfig, SlackConfig } from "./slack-config";

const MENTION = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i;
const MAILTO = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/i;

/** How Slack writes a mention (`<@U024BE7LH|dana>`) and a linked address (`<mailto:a@b.c|a@b.c>`). */
export const slackSyntax = {
  decodeMention: (word: string) => MENTION.exec(word)?.[1] ?? null,
  decodeEmail: (word: string) => MAILTO.exec(word)?.[1] ?? null,
};

/** Slack as a chat platform: the composition root lists it; nothing else names it. */
export const slackPlatform: PlatformModule<SlackConfig> = {
  name: "slack",
  label: "Slack",
  setup: "SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)",
  load: loadSlackConfig,
  // Bolt and the Web API client load only when a command talks to Slack.
  connect: async (config: SlackConfig, deps: PlatformDeps): Promise<ChatPlatform> => (await import("./slack-connect")).connectSlack(config, deps),
};
