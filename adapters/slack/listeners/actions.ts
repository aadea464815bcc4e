import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { FormKind } from "../../../bot/commands/grammar";
import { PageMetadata } from "../render/digest-blocks";
import { HistoryButtonValue } from "../render/reply-blocks";
import { SlackBot, SlackOrigin } from "../slack-bot";
import { ACTIONS } from "../slack-ids";

function originOf(body: BlockAction): SlackOrigin {
  return {
    userId: body.user.id,
    teamId: body.team?.id ?? body.user.team_id ?? null,
    channelId: body.channel?.id ?? body.container?.channel_id ?? null,
    triggerId: body.trigger_id,
    idempotencyKey: `slack:trigger:${body.trigger_id}`,
  };
}

function readPage(raw: string | undefined): Omit<PageMetadata, "offset"> | null {
  try {
    const parsed = JSON.parse(raw ?? "") as PageMetadata;
    return typeof parsed.asOf === "string" ? { asOf: parsed.asOf, scope: parsed.scope ?? "all" } : null;
  } catch {
    return null;
  }
}

function readHistory(raw: string | undefined): HistoryButtonValue | null {
  try {
    const parsed = JSON.parse(raw ?? "") as HistoryButtonValue;
    return typeof parsed.account === "string" && Number.isInteger(parsed.page) && parsed.page > 0 ? parsed : null;
  } catch {
    return null;
  }
}

/** The digest's and the account card's buttons, and the paging modal's. */
export function registerActions(app: App, bot: SlackBot, once: (key: string) => Promise<boolean>): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.digestClaim, async ({ ack, body, action }) => {
    await ack();
    const origin = originOf(body);
    const message = body.message && origin.channelId ? { ts: String(body.message.ts), channelId: origin.channelId } : null;
    await bot.safely("Claim", origin, () => bot.claimFromDigest(origin, action.value ?? "", message));
  });

  const forms: [string, FormKind][] = [
    [ACTIONS.digestNote, "note"],
    [ACTIONS.digestPromise, "promise"],
    [ACTIONS.cardNote, "note"],
    [ACTIONS.cardPromise, "promise"],
    [ACTIONS.cardDispute, "dispute"],
  ];
  for (const [actionId, form] of forms) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const origin = originOf(body);
      // An account card's Dispute asks for the invoice: the account alone is not enough.
      const query = form === "dispute" ? undefined : action.value;
      await bot.safely(form, origin, async () => {
        if (await once(origin.idempotencyKey)) await bot.openForm(origin, form, query);
      });
    });
  }

  // The card's "More history" / "Next page": a page of the account's whole timeline.
  app.action<BlockAction<ButtonAction>>(ACTIONS.cardHistory, async ({ ack, body, action }) => {
    await ack();
    const origin = originOf(body);
    const wanted = readHistory(action.value);
    await bot.safely("History", origin, async () => {
      if (wanted) await bot.runCommand(origin, { kind: "account", query: wanted.account, history: wanted.page });
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.digestEscalate, async ({ ack, body, action }) => {
    await ack();
    const origin = originOf(body);
    await bot.safely("Escalate", origin, () => bot.escalateFromDigest(origin, action.value ?? ""));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.digestShowAll, async ({ ack, body, action }) => {
    await ack();
    const origin = originOf(body);
    const page = readPage(action.value);
    await bot.safely("Show all", origin, async () => {
      if (page && (await once(origin.idempotencyKey))) await bot.digestPage(origin, { ...page, offset: 0 }, null);
    });
  });

  for (const actionId of [ACTIONS.pageNext, ACTIONS.pagePrevious]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const origin = originOf(body);
      const page = readPage(body.view?.private_metadata);
      const view = body.view ? { id: body.view.id, hash: body.view.hash } : null;
      await bot.safely("page", origin, async () => {
        if (page && view && (await once(origin.idempotencyKey))) await bot.digestPage(origin, { ...page, offset: Math.max(0, Number(action.value) || 0) }, view);
      });
    });
  }
}
