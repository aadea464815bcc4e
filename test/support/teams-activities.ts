/**
 * Bot Framework activities as Microsoft Teams sends them, typed after the payloads recorded in
 * ../shared/fixtures/teams/ (message.*-mention, message.personal, conversationUpdate.*,
 * invoke.adaptiveCard-action, invoke.task-fetch).
 */

export const TENANT = "tenantId-Guid";
export const BOT = { id: "28:teamsbot-Guid", name: "arbot" };
export const TEAM = "19:generalChannelIdgeneralChannelId@thread.skype";
export const GENERAL = TEAM;
export const FINANCE_CHANNEL = "19:financeChannel@thread.skype";
export const GROUP_CHAT = "19:groupChatId@thread.v2";

export interface TeamsUser {
  id: string;
  aadObjectId: string;
  name: string;
}

export interface Activity {
  type: string;
  id: string;
  channelId: "msteams";
  serviceUrl: string;
  from: { id: string; name?: string; aadObjectId?: string };
  recipient: { id: string; name: string };
  conversation: { id: string; conversationType: "channel" | "groupChat" | "personal"; isGroup?: boolean; tenantId: string };
  channelData: Record<string, unknown>;
  text?: string;
  entities?: unknown[];
  name?: string;
  value?: unknown;
  replyToId?: string;
  membersAdded?: { id: string; aadObjectId?: string }[];
  membersRemoved?: { id: string }[];
  timestamp: string;
  locale: string;
}

let counter = 0;
/** A fresh activity id (Teams' are unique per conversation; tests make them unique per run). */
export const activityId = () => `${Date.now()}${String(++counter).padStart(4, "0")}`;

export type Where = { kind: "channel"; channel: string; team?: string; thread?: string } | { kind: "groupChat"; chat?: string } | { kind: "personal"; chat?: string };

function conversationOf(where: Where, id: string): Activity["conversation"] {
  if (where.kind === "channel") return { isGroup: true, conversationType: "channel", tenantId: TENANT, id: `${where.channel};messageid=${where.thread ?? id}` };
  if (where.kind === "groupChat") return { isGroup: true, conversationType: "groupChat", tenantId: TENANT, id: where.chat ?? GROUP_CHAT };
  return { conversationType: "personal", tenantId: TENANT, id: where.chat ?? "a:oneOnOneConversationId" };
}

function channelDataOf(where: Where): Record<string, unknown> {
  if (where.kind !== "channel") return { tenant: { id: TENANT } };
  const team = where.team ?? TEAM;
  return { teamsChannelId: where.channel, teamsTeamId: team, channel: { id: where.channel }, team: { id: team }, tenant: { id: TENANT } };
}

function base(serviceUrl: string, user: TeamsUser, where: Where, id = activityId()): Activity {
  return {
    type: "message",
    id,
    channelId: "msteams",
    serviceUrl,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: BOT,
    conversation: conversationOf(where, id),
    channelData: channelDataOf(where),
    timestamp: new Date().toISOString(),
    locale: "en-US",
  };
}

/** `@arbot <text>` in a channel or group chat (the mention entity as Teams sends it), or the bare text in a personal chat. */
export function message(serviceUrl: string, user: TeamsUser, text: string, where: Where, options: { id?: string } = {}): Activity {
  const activity = base(serviceUrl, user, where, options.id);
  if (where.kind === "personal") return { ...activity, text };
  const mention = `<at>${BOT.name}</at>`;
  return { ...activity, text: `${mention} ${text}\n`, entities: [{ mentioned: BOT, text: mention, type: "mention" }] };
}

/** The bot added to a team (its General channel), a group chat or a personal scope. */
export function botAdded(serviceUrl: string, user: TeamsUser, where: Where): Activity {
  const activity = base(serviceUrl, user, where);
  const conversation = where.kind === "channel" ? { ...activity.conversation, id: where.channel } : activity.conversation;
  return {
    ...activity,
    type: "conversationUpdate",
    conversation,
    channelData: { ...activity.channelData, ...(where.kind === "channel" ? { eventType: "teamMemberAdded" } : {}) },
    membersAdded: [{ id: BOT.id }, ...(where.kind === "personal" ? [{ id: user.id, aadObjectId: user.aadObjectId }] : [])],
  };
}

export function botRemoved(serviceUrl: string, user: TeamsUser, where: Where): Activity {
  const activity = botAdded(serviceUrl, user, where);
  delete activity.membersAdded;
  return { ...activity, channelData: { ...activity.channelData, ...(where.kind === "channel" ? { eventType: "teamMemberRemoved" } : {}) }, membersRemoved: [{ id: BOT.id }] };
}

/** An Action.Execute click on a card the bot posted (`replyToId`: that card's activity). */
export function actionExecute(serviceUrl: string, user: TeamsUser, data: Record<string, unknown>, where: Where, replyToId: string, options: { id?: string } = {}): Activity {
  return { ...base(serviceUrl, user, where, options.id), type: "invoke", name: "adaptiveCard/action", replyToId, value: { action: { type: "Action.Execute", verb: data.verb, data } } };
}

/** A dialog button (Action.Submit with msteams.type task/fetch) pressed. */
export function taskFetch(serviceUrl: string, user: TeamsUser, data: Record<string, unknown>, where: Where): Activity {
  return { ...base(serviceUrl, user, where), type: "invoke", name: "task/fetch", value: { data: { ...data, msteams: { type: "task/fetch" } }, context: { theme: "default" } } };
}

/** A dialog's Save: the submit action's data merged with the inputs typed. */
export function taskSubmit(serviceUrl: string, user: TeamsUser, data: Record<string, unknown>, where: Where, options: { id?: string } = {}): Activity {
  return { ...base(serviceUrl, user, where, options.id), type: "invoke", name: "task/submit", value: { data, context: { theme: "default" } } };
}
