import type { App } from "@slack/bolt";
import { ZAppHomeOpenedSchema, ZAppMentionSchema, ZDirectMessageSchema } from "../payloads";
import { SlackBot } from "../slack-bot";

/** Mentions of the bot are removed from the text; what remains is the command. */
export function commandFromMention(text: string, botUserId: string | undefined): string {
  const mention = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g") : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(mention, " ").replace(/\s+/g, " ").trim();
}

/**
 * @arbot <grammar>, direct messages to arbot (the grammar as typed, the Messages tab), and
 * App Home. Events are acknowledged by Bolt; event_id makes retries no-ops.
 */
export function registerEvents(app: App, bot: SlackBot, once: (key: string) => Promise<boolean>): void {
  app.event("app_mention", async ({ event, body, context }) => {
    const parsed = bot.parse(ZAppMentionSchema, { event, envelope: body }, "app_mention");
    if (!parsed) return;
    const origin = {
      userId: parsed.event.user,
      teamId: parsed.envelope.team_id,
      channelId: parsed.event.channel,
      triggerId: null,
      idempotencyKey: `slack:event:${parsed.envelope.event_id}`,
      extShared: parsed.envelope.is_ext_shared_channel === true,
    };
    await bot.safely("@arbot", origin, () => bot.runText(origin, commandFromMention(parsed.event.text, context.botUserId)));
  });

  app.event("message", async ({ event, body, context }) => {
    // Only people writing to arbot directly; channel messages are not arbot's to read.
    const parsed = ZDirectMessageSchema.safeParse({ event, envelope: body });
    if (!parsed.success) return;
    const { event: message, envelope } = parsed.data;
    const origin = {
      userId: message.user,
      teamId: envelope.team_id,
      channelId: message.channel,
      triggerId: null,
      idempotencyKey: `slack:event:${envelope.event_id}`,
      inDirectMessage: true,
    };
    await bot.safely("direct message", origin, () => bot.runText(origin, commandFromMention(message.text, context.botUserId)));
  });

  app.event("app_home_opened", async ({ event, body }) => {
    const parsed = bot.parse(ZAppHomeOpenedSchema, { event, envelope: body }, "app_home_opened");
    if (!parsed || parsed.event.tab !== "home") return;
    const key = `slack:event:${parsed.envelope.event_id}`;
    const origin = { userId: parsed.event.user, teamId: parsed.envelope.team_id, channelId: null, triggerId: null, idempotencyKey: key };
    await bot.safely("App Home", origin, async () => {
      if (await once(key)) await bot.publishHome(origin);
    });
  });
}
