/**
 * Typed Slack payload factories, shaped after the real payloads in
 * ../shared/fixtures/slack (bolt-python and java-slack-sdk captures), with overrides.
 */
let counter = 0;
const next = () => ++counter;

export const TEAM_ID = "T0G9PQBBK";

export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

/** A /ar slash command as Slack form-encodes it (slash_command.bolt-python.form.txt). */
export function slashCommand(text: string, overrides: Partial<SlashCommandFields> & { responseBase?: string } = {}): { body: string; fields: SlashCommandFields } {
  const n = next();
  const { responseBase, ...rest } = overrides;
  const fields: SlashCommandFields = {
    token: "verification_token",
    team_id: TEAM_ID,
    team_domain: "example",
    channel_id: "C0FINANCE",
    channel_name: "finance",
    user_id: "U0DANA",
    user_name: "dana",
    command: "/ar",
    text,
    api_app_id: "A111",
    is_enterprise_install: "false",
    response_url: `${responseBase ?? "http://127.0.0.1:9/response"}/commands/${TEAM_ID}/${n}/xxxxx`,
    trigger_id: `${n}.111.trigger${n}`,
    ...rest,
  };
  return { body: new URLSearchParams(fields as unknown as Record<string, string>).toString(), fields };
}

export interface BlockActionOptions {
  actionId: string;
  value: string;
  userId?: string;
  channelId?: string;
  messageTs?: string | null;
  triggerId?: string;
  view?: { id: string; hash: string; private_metadata: string; callback_id: string } | null;
}

/** A button click (block_actions.button-in-message.bolt-python.json), in a message or a modal. */
export function blockAction(options: BlockActionOptions): { body: string; payload: Record<string, unknown> } {
  const n = next();
  const userId = options.userId ?? "U0DANA";
  const channelId = options.channelId ?? "C0FINANCE";
  const inModal = Boolean(options.view);
  const payload: Record<string, unknown> = {
    type: "block_actions",
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEAM_ID },
    api_app_id: "A111",
    token: "verification_token",
    container: inModal
      ? { type: "view", view_id: options.view!.id }
      : { type: "message", message_ts: options.messageTs ?? "1700000000.000100", channel_id: channelId, is_ephemeral: options.messageTs === null },
    trigger_id: options.triggerId ?? `${n}.222.click${n}`,
    team: { id: TEAM_ID, domain: "example" },
    enterprise: null,
    is_enterprise_install: false,
    ...(inModal ? { view: { ...options.view, type: "modal", team_id: TEAM_ID, state: { values: {} } } } : { channel: { id: channelId, name: "finance" } }),
    ...(!inModal && options.messageTs !== null ? { message: { type: "message", ts: options.messageTs ?? "1700000000.000100", bot_id: "BBOT0001", text: "digest", blocks: [] } } : {}),
    state: { values: {} },
    response_url: "http://127.0.0.1:9/response/actions",
    actions: [{ type: "button", action_id: options.actionId, block_id: "b1", value: options.value, text: { type: "plain_text", text: "Button" }, action_ts: `${Date.now() / 1000}` }],
  };
  return { body: `payload=${encodeURIComponent(JSON.stringify(payload))}`, payload };
}

export interface ViewSubmissionOptions {
  callbackId: string;
  values: Record<string, { value?: string; selected_date?: string; selected_option?: string }>;
  privateMetadata?: string;
  userId?: string;
  viewId?: string;
  hash?: string;
}

/** A modal submission (view_submission.bolt-python.json): block_id and action_id alike. */
export function viewSubmission(options: ViewSubmissionOptions): { body: string; payload: Record<string, unknown> } {
  const n = next();
  const userId = options.userId ?? "U0DANA";
  const values = Object.fromEntries(
    Object.entries(options.values).map(([id, v]) => [
        id,
        {
          [id]:
            v.selected_date !== undefined
              ? { type: "datepicker", selected_date: v.selected_date }
              : v.selected_option !== undefined
                ? { type: "static_select", selected_option: { text: { type: "plain_text", text: v.selected_option }, value: v.selected_option } }
                : { type: "plain_text_input", value: v.value ?? null },
        },
      ]),
  );
  const payload = {
    type: "view_submission",
    team: { id: TEAM_ID, domain: "example" },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEAM_ID },
    api_app_id: "A111",
    token: "verification_token",
    trigger_id: `${n}.333.submit${n}`,
    view: {
      id: options.viewId ?? `V${n}`,
      team_id: TEAM_ID,
      type: "modal",
      blocks: [],
      private_metadata: options.privateMetadata ?? "{}",
      callback_id: options.callbackId,
      state: { values },
      hash: options.hash ?? `${n}.hash`,
      title: { type: "plain_text", text: "Form" },
      clear_on_close: false,
      notify_on_close: false,
      previous_view_id: null,
      root_view_id: options.viewId ?? `V${n}`,
      app_id: "A111",
      external_id: "",
      app_installed_team_id: TEAM_ID,
      bot_id: "BBOT0001",
    },
    response_urls: [],
  };
  return { body: `payload=${encodeURIComponent(JSON.stringify(payload))}`, payload };
}

/** An Events API envelope (event_callback.app_mention.bolt-python.json). */
export function eventCallback(event: Record<string, unknown>, overrides: { eventId?: string; isExtShared?: boolean } = {}): { body: string; eventId: string } {
  const n = next();
  const eventId = overrides.eventId ?? `Ev${String(n).padStart(8, "0")}`;
  const envelope = {
    token: "verification_token",
    team_id: TEAM_ID,
    api_app_id: "A111",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: "UBOT0001", is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: overrides.isExtShared ?? false,
    event_context: "4-xxx",
  };
  return { body: JSON.stringify(envelope), eventId };
}

export function appMention(text: string, options: { userId?: string; channelId?: string } = {}): Record<string, unknown> {
  const ts = `${1700000000 + next()}.000200`;
  return { type: "app_mention", text: `<@UBOT0001> ${text}`, user: options.userId ?? "U0DANA", ts, team: TEAM_ID, channel: options.channelId ?? "C0FINANCE", event_ts: ts };
}

export function appHomeOpened(userId = "U0DANA"): Record<string, unknown> {
  return { type: "app_home_opened", user: userId, channel: `D${userId}`, tab: "home", event_ts: `${1700000000 + next()}.000300` };
}

/** A message to arbot in its Messages tab (message.im); `botId` makes it one of arbot's own posts. */
export function directMessage(text: string, options: { userId?: string; channelId?: string; botId?: string; channelType?: string } = {}): Record<string, unknown> {
  const ts = `${1700000000 + next()}.000400`;
  const userId = options.userId ?? "U0DANA";
  return {
    type: "message",
    channel: options.channelId ?? `D${userId}`,
    user: userId,
    text,
    ts,
    event_ts: ts,
    channel_type: options.channelType ?? "im",
    client_msg_id: `c0ffee00-0000-4000-8000-${String(next()).padStart(12, "0")}`,
    ...(options.botId ? { bot_id: options.botId } : {}),
  };
}
