import type { types } from "@slack/bolt";
import { formatHumanDate } from "../../../domain/model/business-date";
import { FUNCTIONS, TeamFunction } from "../../../domain/model/team";
import { DigestEntryView, DigestView } from "../../../bot/views/digest-view";
import { ACTIONS, CALLBACKS } from "../slack-ids";
import { clip, escapeMrkdwn, LIMITS } from "./limits";

type KnownBlock = types.KnownBlock;

/** Email (or handle) → how to show an owner: a mention when Slack knows them, else the email. */
export type OwnerLabels = Map<string, string>;

export interface DigestRenderOptions {
  owners: OwnerLabels;
  /** The subscription's function: whose owners are named; `all` names every owner. */
  scope: TeamFunction | "all";
  /** Buttons per account (channel digests and /ar digest). */
  interactive: boolean;
}

export function ownerLabel(owner: string, labels: OwnerLabels): string {
  return labels.get(owner) ?? escapeMrkdwn(owner);
}

function ownersLine(entry: DigestEntryView, options: DigestRenderOptions): string {
  const functions = options.scope === "all" ? FUNCTIONS : [options.scope];
  const parts = functions.map((fn) => `${fn} ${entry.owners[fn] ? ownerLabel(entry.owners[fn]!, options.owners) : "—"}`);
  return `Owners: ${parts.join(" · ")}`;
}

export function entryText(entry: DigestEntryView, options: DigestRenderOptions): string {
  const overdue = entry.overdue.map((o) => o.display).join(" + ");
  const reasons = [...entry.reasons.map((r) => r.text), entry.amountText, ...(entry.escalation ? [entry.escalation] : [])].join("; ");
  return clip(
    `*${entry.rank}. ${escapeMrkdwn(entry.name)}* (${escapeMrkdwn(entry.accountId)}) — ${overdue} overdue · ${entry.maxDaysPastDue} days past due\n` +
      `${ownersLine(entry, options)}\n_Why:_ ${escapeMrkdwn(reasons)} (score ${entry.score})`,
    LIMITS.sectionText,
  );
}

function button(text: string, actionId: string, value: string, style?: "primary" | "danger"): types.Button {
  return { type: "button", text: { type: "plain_text", text: clip(text, LIMITS.buttonText) }, action_id: actionId, value: clip(value, LIMITS.buttonValue), ...(style ? { style } : {}) };
}

/** At most this many sections of currency totals; more currencies are summed up in a line. */
const MAX_TOTALS_SECTIONS = 4;

function currencyLines(view: DigestView): string[] {
  return view.currencies.map((c) => {
    const aging = c.aging.map((a) => `${a.bucket}: ${a.amount.replace(`${c.currency} `, "")}`).join(" · ");
    const disputed = c.disputed ? ` · disputed ${c.disputed}` : "";
    return `*${c.currency}* ${c.overdue} undisputed overdue · ${c.accounts} account${c.accounts === 1 ? "" : "s"}\nAR ${c.ar} — ${aging}${disputed}`;
  });
}

/** Lines packed into as few sections as the text limit allows, every currency whole. */
function packSections(lines: string[]): string[] {
  const sections: { text: string; lines: number }[] = [];
  for (const line of lines) {
    const last = sections.at(-1);
    if (last && last.text.length + 1 + line.length <= LIMITS.sectionText) {
      last.text += `\n${line}`;
      last.lines++;
    } else sections.push({ text: clip(line, LIMITS.sectionText), lines: 1 });
  }
  if (sections.length <= MAX_TOTALS_SECTIONS) return sections.map((x) => x.text);
  const kept = sections.slice(0, MAX_TOTALS_SECTIONS - 1);
  const more = lines.length - kept.reduce((sum, x) => sum + x.lines, 0);
  return [...kept.map((x) => x.text), `…and ${more} more currencies: \`arbot stats\` on the command line lists every one.`];
}

function headerBlocks(view: DigestView, title: string): KnownBlock[] {
  const totals = packSections(currencyLines(view));
  return [
    { type: "header", text: { type: "plain_text", text: clip(title, LIMITS.headerText) } },
    ...(totals.length > 0 ? totals : ["No receivables."]).map((text): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } })),
  ];
}

/** The channel digest message (ARCHITECTURE.md section 8), within 50 blocks whatever the data. */
export function renderDigestMessage(view: DigestView, options: DigestRenderOptions): { text: string; blocks: KnownBlock[] } {
  const title = `Overdue digest — ${formatHumanDate(view.asOf)}`;
  if (view.total === 0) {
    return { text: `${title}: nothing overdue`, blocks: [...headerBlocks(view, title), { type: "section", text: { type: "mrkdwn", text: "No account has an undisputed overdue balance. Nothing to chase today." } }] };
  }
  const blocks: KnownBlock[] = [...headerBlocks(view, title), { type: "divider" }];
  // Per account a section, and its buttons when interactive; one block stays for "Show all".
  const perEntry = options.interactive ? 2 : 1;
  const room = Math.floor((LIMITS.messageBlocks - blocks.length - 1) / perEntry);
  const entries = view.entries.slice(0, room);
  for (const entry of entries) {
    // Block ids by rank: account ids can be long and share a prefix; ranks are unique.
    blocks.push({ type: "section", block_id: `entry:${entry.rank}`, text: { type: "mrkdwn", text: entryText(entry, options) } });
    if (options.interactive) {
      blocks.push({
        type: "actions",
        block_id: `actions:${entry.rank}`,
        elements: [
          button("Claim", ACTIONS.digestClaim, entry.accountId, "primary"),
          button("Note", ACTIONS.digestNote, entry.accountId),
          button("Promise", ACTIONS.digestPromise, entry.accountId),
          button("Escalate", ACTIONS.digestEscalate, entry.accountId, "danger"),
        ],
      });
    }
  }
  const shown = view.offset + entries.length;
  if (shown < view.total) {
    blocks.push({
      type: "actions",
      block_id: "show_all",
      elements: [button(`Show all ${view.total}`, ACTIONS.digestShowAll, JSON.stringify({ asOf: view.asOf, scope: options.scope }))],
    });
  }
  const fallback = `${title}: ${view.currencies.map((c) => `${c.overdue} overdue (${c.accounts} accounts)`).join(", ")}`;
  return { text: fallback, blocks };
}

export const PAGE_SIZE = 20;

export interface PageMetadata {
  asOf: string;
  offset: number;
  scope: TeamFunction | "all";
}

/** The "Show all" modal: 20 accounts a page, Previous / Next, within 100 blocks. */
export function renderDigestPage(view: DigestView, options: DigestRenderOptions & { metadata: PageMetadata }): types.ModalView {
  const first = view.total === 0 ? 0 : view.offset + 1;
  const last = view.offset + view.entries.length;
  const blocks: KnownBlock[] = [
    { type: "context", elements: [{ type: "mrkdwn", text: `Accounts ${first}–${last} of ${view.total} · as of ${formatHumanDate(view.asOf)}` }] },
  ];
  for (const entry of view.entries.slice(0, PAGE_SIZE)) {
    blocks.push({ type: "section", block_id: `entry:${entry.rank}`, text: { type: "mrkdwn", text: entryText(entry, options) } });
  }
  const nav: types.Button[] = [];
  if (view.offset > 0) nav.push(button("Previous 20", ACTIONS.pagePrevious, String(Math.max(0, view.offset - PAGE_SIZE))));
  if (last < view.total) nav.push(button("Next 20", ACTIONS.pageNext, String(last)));
  if (nav.length > 0) blocks.push({ type: "actions", block_id: "pages", elements: nav });
  return {
    type: "modal",
    callback_id: CALLBACKS.digestPages,
    title: { type: "plain_text", text: clip("Overdue accounts", LIMITS.modalTitle) },
    close: { type: "plain_text", text: "Close" },
    private_metadata: JSON.stringify(options.metadata),
    blocks,
  };
}
