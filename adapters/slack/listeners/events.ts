import type { App } from "@slack/bolt";
import { SlackBot } from "../slack-bot";

/** Mentions of the bot are removed from the text; what remains is the command. */
export function commandFromMention(text: string, botUserId: string | undefined): string {
  const mention = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g") : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(mention, " ").replace(/\s+/g, " ").trim();
}

/** @arbot <grammar> and App Home. Events are acknowledged by Bolt; event_id makes retries no-ops. */
export function registerEvents(app: App, bot: SlackBot, once: (key: string) => Promise<boolean>): void {
  app.event("app_mention", async ({ event, body, context }) => {
    const origin = {
      userId: event.user ?? "",
      teamId: (body as { team_id?: string }).team_id ?? null,
      channelId: event.channel,
      triggerId: null,
      idempotencyKey: `slack:event:${(body as { event_id: string }).event_id}`,
      extShared: (body as { is_ext_shared_channel?: boolean }).is_ext_shared_channel === true,
    };
    if (!origin.userId) return;
    await bot.safely("@arbot", origin, () => bot.runText(origin, commandFromMention(event.text, context.botUserId)));
  });

  app.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    const key = `slack:event:${(body as { event_id: string }).event_id}`;
    const origin = { userId: event.user, teamId: (body as { team_id?: string }).team_id ?? null, channelId: null, triggerId: null, idempotencyKey: key };
    await bot.safely("App Home", origin, async () => {
      if (await once(key)) await bot.publishHome(origin);
    });
  });
}
