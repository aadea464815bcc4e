import type { App } from "@slack/bolt";
import { ZSlashCommandSchema } from "../payloads";
import { SlackBot } from "../slack-bot";
import { SLASH_COMMAND } from "../slack-ids";

/** /ar <grammar>: acknowledged at once, answered privately, changes announced to the channel. */
export function registerCommands(app: App, bot: SlackBot): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const parsed = bot.parse(ZSlashCommandSchema, command, SLASH_COMMAND);
    if (!parsed) return;
    const origin = {
      userId: parsed.user_id,
      teamId: parsed.team_id,
      channelId: parsed.channel_id,
      triggerId: parsed.trigger_id,
      idempotencyKey: `slack:trigger:${parsed.trigger_id}`,
      respond: (message: Parameters<typeof respond>[0]) => respond(message),
    };
    await bot.safely("/ar", origin, () => bot.runText(origin, parsed.text));
  });
}
