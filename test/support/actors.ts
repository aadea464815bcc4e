import { Actor } from "../../domain/model/actor";
import { Role } from "../../domain/model/team";
import { resolveUser } from "../../domain/usecases/resolve-user";
import { handleText, Reply } from "../../bot/commands/dispatch";
import { App } from "../../bot/main";
import { slackSyntax } from "../../adapters/slack/slack-platform";
import { RecordingPlatform } from "./recording-platform";

/** A Slack-shaped user id derived from the email: `U` and upper-case letters and digits. */
export function slackIdFor(email: string): string {
  let hash = 0;
  for (const ch of email) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `U${hash.toString(36).toUpperCase().padStart(8, "0")}`;
}

/** A chat user with a role, as Slack would present them. */
export async function actorFor(app: App, email: string, role: Role, options: { platform?: string; readOnly?: boolean } = {}): Promise<Actor> {
  const platform = options.platform ?? "slack";
  const actor = await resolveUser(
    { uow: app.uow, clock: app.clock, policy: app.users },
    { platform, platformUserId: slackIdFor(email), tenantId: "T1", email, displayName: email.split("@")[0]!, isGuest: options.readOnly ?? false, isExternal: false },
  );
  if (actor.role !== role) {
    await app.uow.run(null, (ws) => ws.users.setRole(actor.userId, role));
  }
  return { ...actor, role };
}

/** Runs chat text as someone and returns the neutral reply. */
export function say(app: App, actor: Actor, text: string, idempotencyKey: string | null = null): Promise<Reply> {
  return handleText(app.services, actor, text, { idempotencyKey, channel: null });
}

/** Runs chat text as typed in a Slack direct message: Slack's mention markup is read. */
export function sayInSlack(app: App, actor: Actor, text: string): Promise<Reply> {
  return handleText(app.services, actor, text, { platform: Object.assign(new RecordingPlatform(), slackSyntax), channel: null });
}

export function textOf(reply: Reply): string {
  if (reply.kind === "done" || reply.kind === "help") return reply.text;
  if (reply.kind === "error") return reply.message;
  return JSON.stringify(reply);
}
