import fs from "node:fs";
import path from "node:path";
import type { App, types } from "@slack/bolt";
import { parse } from "yaml";
import { registerActions } from "../../../../adapters/slack/listeners/actions";
import { registerCommands } from "../../../../adapters/slack/listeners/commands";
import { registerEvents } from "../../../../adapters/slack/listeners/events";
import { registerViews } from "../../../../adapters/slack/listeners/views";
import { renderDigestMessage, renderDigestPage } from "../../../../adapters/slack/render/digest-blocks";
import { renderFormModal, renderReassignModal } from "../../../../adapters/slack/render/modal-views";
import { renderEscalationMessage } from "../../../../adapters/slack/render/escalation-blocks";
import { renderAccountCard } from "../../../../adapters/slack/render/reply-blocks";
import { SlackBot } from "../../../../adapters/slack/slack-bot";
import { digestViewOf } from "../../../support/digest-views";

/** Records what the listener modules register on a Bolt app. */
function registeredListeners() {
  const seen = { commands: [] as string[], actions: [] as string[], views: [] as string[], events: [] as string[] };
  const app = {
    command: (id: string) => seen.commands.push(id),
    action: (id: string) => seen.actions.push(id),
    view: (id: string) => seen.views.push(id),
    event: (name: string) => seen.events.push(name),
  } as unknown as App;
  const bot = {} as SlackBot;
  registerCommands(app, bot);
  registerEvents(app, bot, async () => true);
  registerActions(app, bot, async () => true);
  registerViews(app, bot);
  return seen;
}

function actionIds(blocks: types.KnownBlock[]): string[] {
  return blocks.flatMap((b) => (b.type === "actions" ? b.elements.map((e) => (e as { action_id: string }).action_id) : []));
}

const manifest = parse(fs.readFileSync(path.resolve(__dirname, "../../../../manifest/slack/manifest.yaml"), "utf8"));
const listeners = registeredListeners();

test("the manifest's slash command and events have listeners", () => {
  const commands = manifest.features.slash_commands.map((c: { command: string }) => c.command);
  expect(commands).toEqual(["/ar"]);
  for (const command of commands) expect(listeners.commands).toContain(command);
  expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(["app_home_opened", "app_mention", "message.im"]);
  // message.im arrives as a `message` event; the listener keeps the direct ones.
  for (const event of manifest.settings.event_subscriptions.bot_events) expect(listeners.events).toContain(event.replace(/\..*$/, ""));
  expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
});

test("the manifest asks for the bot scopes arbot uses, and no others", () => {
  expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
    ["app_mentions:read", "channels:history", "channels:read", "chat:write", "commands", "groups:history", "groups:read", "im:history", "im:write", "users:read", "users:read.email"].sort(),
  );
});

const EMPTY_CARD = {
  accountId: "A",
  name: "A",
  title: "A",
  details: "",
  balances: [],
  openInvoices: [],
  moreInvoices: null,
  owners: [],
  openPromises: [],
  brokenPromise: null,
  priority: null,
  disputes: [],
  timeline: [],
  history: false,
  timelineNote: null,
  moreTimeline: null,
};

test("every action_id and callback_id the renderers emit has a registered listener", () => {
  const view = digestViewOf(45, { limit: 10 });
  const owners = new Map<string, string>();
  const rendered = [
    ...actionIds(renderDigestMessage(view, { owners, scope: "all", interactive: true }).blocks),
    ...actionIds(renderDigestPage(digestViewOf(45, { offset: 20, limit: 20 }), { owners, scope: "all", interactive: false, metadata: { asOf: "2026-11-20", offset: 20, scope: "all" } }).blocks as types.KnownBlock[]),
    ...actionIds(
      renderAccountCard(
        { ...EMPTY_CARD, moreTimeline: "account A history" },
        owners,
      ).blocks,
    ),
    ...actionIds(renderAccountCard({ ...EMPTY_CARD, history: true, moreTimeline: "account A history 2" }, owners).blocks,
    ),
    ...actionIds(renderEscalationMessage({ escalationId: 7, accountId: "A", accountName: "A", reason: null, raisedBy: "arbot" }, "x").blocks),
  ];
  expect(new Set(rendered).size).toBeGreaterThanOrEqual(13);
  for (const id of rendered) expect(listeners.actions).toContain(id);

  const callbacks = [
    ...(["note", "promise", "dispute", "snooze"] as const).map((form) => renderFormModal(form, {}, "2026-11-21").callback_id!),
    renderReassignModal({ account: "A" }, "finance").callback_id!,
    renderDigestPage(view, { owners, scope: "all", interactive: false, metadata: { asOf: "2026-11-20", offset: 0, scope: "all" } }).callback_id!,
  ];
  for (const id of callbacks) expect(listeners.views).toContain(id);
});
