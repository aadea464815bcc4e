import { ActivityTypes, TurnContext } from "botbuilder";
import { Application, TeamsAdapter } from "@microsoft/teams-ai";
import express from "express";
import { ChatPlatform } from "../../bot/platform/chat-platform";
import { PlatformDeps } from "../../bot/platform/platform-module";
import { TeamsBot } from "./teams-bot";
import { TeamsConfig } from "./teams-config";
import { TeamsDelivery } from "./teams-delivery";
import { describeTeamsFailure, teamsFailure } from "./teams-errors";
import { MESSAGES_PATH } from "./teams-ids";
import { TeamsPeople } from "./teams-people";
import { teamsSyntax } from "./teams-platform";

/**
 * Teams connected: botbuilder's CloudAdapter (teams-ai's TeamsAdapter, Bot Framework
 * authentication from the MicrosoftApp* variables, or none with TEAMS_ALLOW_UNAUTHENTICATED=1),
 * a teams-ai Application routing activities to the controller, and the Notifier.
 * Credentials are checked by the Bot Framework on the first request and the first post.
 */
export async function connectTeams(config: TeamsConfig, deps: PlatformDeps): Promise<ChatPlatform> {
  if (config.unauthenticated) {
    deps.log(
      "WARNING: TEAMS_ALLOW_UNAUTHENTICATED=1: Microsoft Teams requests to POST /api/messages are NOT authenticated and outbound Bot Connector calls carry no token. Use this only with an emulator or in tests, never in production.",
    );
  }
  const adapter = new TeamsAdapter({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId,
  });
  const { services } = deps;
  const people = new TeamsPeople({ uow: services.uow, clock: services.clock, policy: deps.userPolicy, directory: deps.directory, log: deps.log });
  const delivery = new TeamsDelivery(adapter, config.appId, people, {
    conversations: deps.conversations,
    directory: deps.directory,
    runs: services.runs,
    clock: services.clock,
    defaultTimeZone: services.clock.timeZone,
    log: deps.log,
  });
  const platform: ChatPlatform = {
    name: "teams",
    label: "Microsoft Teams",
    invocation: "@arbot",
    notifier: delivery,
    ...teamsSyntax,
    failure: teamsFailure,
    endpoint: `at POST ${MESSAGES_PATH}${config.unauthenticated ? " (UNAUTHENTICATED)" : ""}`,
    async mount(web) {
      const bot = new TeamsBot(platform, { services, people, delivery, conversations: deps.conversations, log: deps.log });
      const app = teamsApplication(adapter, config, bot);
      adapter.onTurnError = async (context: TurnContext, error: Error) => {
        deps.log(`teams turn failed (${context.activity.type} ${context.activity.id ?? "-"}): ${error.stack ?? error}`);
      };
      web.post(MESSAGES_PATH, express.json({ limit: "1mb" }), async (req, res) => {
        try {
          await adapter.process(req, res, async (context) => {
            await app.run(context);
          });
        } catch (error) {
          deps.log(`teams request failed: ${describeTeamsFailure(error)}`);
          if (!res.headersSent) res.status(500).end();
        }
      });
    },
    stop: async () => {},
  };
  return platform;
}

/** The teams-ai Application: every route arbot answers, handed to the controller. */
function teamsApplication(adapter: TeamsAdapter, config: TeamsConfig, bot: TeamsBot): Application {
  const app = new Application({
    adapter,
    botAppId: config.appId,
    removeRecipientMention: true,
    // Its typing timer belongs to the Application, not to a turn: off, replies come fast.
    startTypingTimer: false,
    longRunningMessages: false,
  });
  app.activity(ActivityTypes.ConversationUpdate, (context) => bot.conversationUpdate(context));
  app.activity(ActivityTypes.Message, (context) => bot.message(context));
  app.adaptiveCards.actionExecute(/.*/, (context, _state, data) => bot.execute(context, data));
  app.taskModules.fetch(/.*/, (context, _state, data) => bot.openDialog(context, data));
  app.taskModules.submit(/.*/, (context, _state, data) => bot.submitDialog(context, data));
  return app;
}
