import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { FormKind } from "../../../bot/commands/grammar";
import { originOfAction, readHistory, readPage, TBlockAction, ZBlockActionSchema } from "../payloads";
import { SlackBot, SlackOrigin } from "../slack-bot";
import { ACTIONS } from "../slack-ids";

type Click = { origin: SlackOrigin; value: string | undefined; body: TBlockAction["body"] };

/** Every button the same way: acknowledge, parse, hand the click to `handle`. */
function onClick(app: App, bot: SlackBot, actionId: string, what: string, handle: (click: Click) => Promise<void>): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
    await ack();
    const parsed = bot.parse(ZBlockActionSchema, { body, action }, actionId);
    if (!parsed) return;
    const origin = originOfAction(parsed.body);
    await bot.safely(what, origin, () => handle({ origin, value: parsed.action.value, body: parsed.body }));
  });
}

/** The digest's and the account card's buttons, and the paging modal's. */
export function registerActions(app: App, bot: SlackBot, once: (key: string) => Promise<boolean>): void {
  onClick(app, bot, ACTIONS.digestClaim, "Claim", ({ origin, value, body }) => {
    const message = body.message && origin.channelId ? { ts: body.message.ts, channelId: origin.channelId } : null;
    return bot.claimFromDigest(origin, value ?? "", message);
  });

  const forms: [string, FormKind][] = [
    [ACTIONS.digestNote, "note"],
    [ACTIONS.digestPromise, "promise"],
    [ACTIONS.cardNote, "note"],
    [ACTIONS.cardPromise, "promise"],
    [ACTIONS.cardDispute, "dispute"],
  ];
  for (const [actionId, form] of forms) {
    onClick(app, bot, actionId, form, async ({ origin, value }) => {
      // An account card's Dispute asks for the invoice: the account alone is not enough.
      if (await once(origin.idempotencyKey)) await bot.openForm(origin, form, form === "dispute" ? undefined : value);
    });
  }

  // The card's "More history" / "Next page": a page of the account's whole timeline.
  onClick(app, bot, ACTIONS.cardHistory, "History", async ({ origin, value }) => {
    const wanted = readHistory(value);
    if (wanted) await bot.runCommand(origin, { kind: "account", query: wanted.account, history: wanted.page });
  });

  onClick(app, bot, ACTIONS.digestEscalate, "Escalate", ({ origin, value }) => bot.escalateFromDigest(origin, value ?? ""));

  // The buttons of an escalation message (section 10).
  onClick(app, bot, ACTIONS.escalationAck, "I'm on it", async ({ origin, value }) => {
    const escalationId = Number(value);
    if (Number.isInteger(escalationId) && escalationId > 0) await bot.runCommand(origin, { kind: "acknowledge", escalationId });
  });
  onClick(app, bot, ACTIONS.escalationSnooze, "Snooze", async ({ origin, value }) => {
    if (await once(origin.idempotencyKey)) await bot.openForm(origin, "snooze", value);
  });
  onClick(app, bot, ACTIONS.escalationReassign, "Reassign", async ({ origin, value }) => {
    if (await once(origin.idempotencyKey)) await bot.openReassign(origin, value ?? "");
  });

  onClick(app, bot, ACTIONS.digestShowAll, "Show all", async ({ origin, value }) => {
    const page = readPage(value);
    if (page && (await once(origin.idempotencyKey))) await bot.digestPage(origin, { ...page, offset: 0 }, null);
  });

  for (const actionId of [ACTIONS.pageNext, ACTIONS.pagePrevious]) {
    onClick(app, bot, actionId, "page", async ({ origin, value, body }) => {
      const page = readPage(body.view?.private_metadata);
      const view = body.view ? { id: body.view.id, hash: body.view.hash } : null;
      if (page && view && (await once(origin.idempotencyKey))) await bot.digestPage(origin, { ...page, offset: Math.max(0, Number(value) || 0) }, view);
    });
  }
}
