import { ChatPlatform } from "../../bot/platform/chat-platform";
import { PlatformDeps } from "../../bot/platform/platform-module";
import { checkSlackToken, mountSlack, slackClient } from "./slack-app";
import { SlackBot } from "./slack-bot";
import { SlackConfig } from "./slack-config";
import { SlackDelivery } from "./slack-delivery";
import { slackFailure } from "./slack-errors";
import { SlackPeople } from "./slack-people";
import { slackSyntax } from "./slack-platform";

/** Slack connected: the token checked with auth.test, the Notifier ready, Bolt mounted on demand. */
export async function connectSlack(config: SlackConfig, deps: PlatformDeps): Promise<ChatPlatform> {
  const client = slackClient(config);
  const identity = await checkSlackToken(client);
  const { services } = deps;
  const people = new SlackPeople(client, { uow: services.uow, clock: services.clock, policy: deps.userPolicy, directory: deps.directory, installation: () => identity.installation, log: deps.log });
  const notifier = new SlackDelivery(client, people, { runs: services.runs, clock: services.clock, directory: deps.directory, defaultTimeZone: services.clock.timeZone });
  let stop: () => Promise<void> = async () => {};
  const platform: ChatPlatform = {
    name: "slack",
    label: "Slack",
    invocation: "/ar",
    notifier,
    ...slackSyntax,
    failure: slackFailure,
    endpoint: config.mode === "http" ? "over HTTP at POST /slack/events" : "in Socket Mode",
    async mount(web) {
      const bot = new SlackBot(client, platform, { services, people, delivery: notifier, log: deps.log });
      stop = await mountSlack(config, identity, bot, web);
    },
    stop: () => stop(),
  };
  return platform;
}
