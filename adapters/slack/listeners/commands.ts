import type { App } from "@slack/bolt";
import { SlackBot } from "../slack-bot";
import { SLASH_COMMAND } from "../slack-ids";

/** /ar <grammar>: acknowledged at once, answered privately, changes announced to the channel. */
export function registerCommands(app: App, bot: SlackBot): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const origin = {
      userId: command.user_id,
      teamId: command.team_id ?? null,
      channelId: command.channel_id ?? null,
      triggerId: command.trigger_id,
      idempotencyKey: `slack:trigger:${command.trigger_id}`,
      respond: (message: Parameters<typeof respond>[0]) => respond(message),
    };
    await bot.safely("/ar", origin, () => bot.runText(origin, command.text ?? ""));
  });
}
