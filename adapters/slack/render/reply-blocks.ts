import type { types } from "@slack/bolt";
import { formatHumanDate } from "../../../domain/model/business-date";
import { FUNCTIONS } from "../../../domain/model/team";
import { BUCKETS } from "../../../domain/policies/aging";
import { formatMoney } from "../../../domain/model/money";
import { ArStats } from "../../../domain/usecases/get-ar-stats";
import { AccountCardView, openInvoiceWords } from "../../../bot/views/account-card-view";
import { HomeView } from "../../../bot/views/home-view";
import { ACTIONS } from "../slack-ids";
import { OwnerLabels, ownerLabel } from "./digest-blocks";
import { clip, escapeMrkdwn, LIMITS } from "./limits";

type KnownBlock = types.KnownBlock;

const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) } });

/** The value of the card's "More history" button: which account, which page. */
export interface HistoryButtonValue {
  account: string;
  page: number;
}

function historyButton(view: AccountCardView): KnownBlock[] {
  const more = view.moreTimeline ? /history(?: (\d+))?$/.exec(view.moreTimeline) : null;
  if (!more) return [];
  const value: HistoryButtonValue = { account: view.accountId, page: Number(more[1] ?? 1) };
  return [
    {
      type: "actions",
      block_id: "card_history",
      elements: [{ type: "button", text: { type: "plain_text", text: view.history ? "Next page" : "More history" }, action_id: ACTIONS.cardHistory, value: JSON.stringify(value) }],
    },
  ];
}

/** The account card: balances, open invoices, owners, promise, disputes, timeline, and the form buttons. */
export function renderAccountCard(view: AccountCardView, owners: OwnerLabels): { text: string; blocks: KnownBlock[] } {
  const timelineLines = view.timeline.map((t) => `${t.when} · ${escapeMrkdwn(t.who)} · ${escapeMrkdwn(t.what)}`);
  const note = view.timelineNote ? `\n_${escapeMrkdwn(view.timelineNote)}_` : "";
  const header: KnownBlock = { type: "header", text: { type: "plain_text", text: clip(view.title, LIMITS.headerText) } };
  if (view.history) {
    const blocks: KnownBlock[] = [header, section(`*Timeline*\n${timelineLines.join("\n") || "Nothing recorded yet."}${note}`), ...historyButton(view)];
    return { text: `${view.title}: timeline`, blocks };
  }
  const balances = view.balances.length > 0 ? view.balances.map((b) => `*${b.currency}* open ${b.open} · overdue ${b.overdue}${b.maxDaysPastDue > 0 ? ` (${b.maxDaysPastDue} days)` : ""} · disputed ${b.disputed}${b.credit ? ` · unapplied credit ${b.credit}` : ""}`).join("\n") : "Nothing open.";
  const ownerLine = FUNCTIONS.map((fn) => {
    const owner = view.owners.find((o) => o.function === fn);
    return `${fn} ${owner ? `${ownerLabel(owner.owner, owners)} since ${owner.since}` : "—"}`;
  }).join(" · ");
  const promise = view.openPromises.length > 0 ? view.openPromises.join("; ") : view.brokenPromise ? `none; last broken: ${view.brokenPromise}` : "none";
  const blocks: KnownBlock[] = [header, section(`${view.details ? `_${escapeMrkdwn(view.details)}_\n` : ""}${balances}\n*Owners:* ${ownerLine}${view.priority ? `\n*Priority:* ${escapeMrkdwn(view.priority)}` : ""}`)];
  if (view.openInvoices.length > 0) {
    const invoices = view.openInvoices.map((i) => `• ${escapeMrkdwn(openInvoiceWords(i))}`);
    blocks.push(section(`*Open invoices* (oldest due first)\n${invoices.join("\n")}${view.moreInvoices ? `\n${view.moreInvoices}` : ""}`));
  }
  blocks.push(section(`*Open promise:* ${escapeMrkdwn(promise)}\n*Disputes:* ${escapeMrkdwn(view.disputes.join("; ")) || "none"}`));
  if (timelineLines.length > 0) blocks.push(section(`*Timeline*\n${timelineLines.join("\n")}${note}`));
  blocks.push({
    type: "actions",
    block_id: "card_actions",
    elements: [
      { type: "button", text: { type: "plain_text", text: "Note" }, action_id: ACTIONS.cardNote, value: view.accountId },
      { type: "button", text: { type: "plain_text", text: "Promise" }, action_id: ACTIONS.cardPromise, value: view.accountId },
      { type: "button", text: { type: "plain_text", text: "Dispute" }, action_id: ACTIONS.cardDispute, value: view.accountId },
      ...(view.moreTimeline ? [{ type: "button" as const, text: { type: "plain_text" as const, text: "More history" }, action_id: ACTIONS.cardHistory, value: JSON.stringify({ account: view.accountId, page: 1 } satisfies HistoryButtonValue) }] : []),
    ],
  });
  return { text: view.title, blocks };
}

/** Header, currencies, a "more" line and promises stay within a message's 50 blocks. */
const MAX_STATS_CURRENCIES = 40;

export function renderStats(stats: ArStats): { text: string; blocks: KnownBlock[] } {
  const show = (v: number | null, unit = "") => (v === null ? "n/a" : `${v.toFixed(1)}${unit}`);
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: `AR metrics — ${formatHumanDate(stats.asOf)}` } }];
  const shown = stats.currencies.slice(0, MAX_STATS_CURRENCIES);
  for (const m of shown) {
    const money = (v: bigint) => formatMoney(v, m.currency);
    blocks.push(
      section(
        `*${m.currency}* AR ${money(m.ar)} · overdue ${money(m.overdue)} · disputed ${money(m.disputed)}\n` +
          `${BUCKETS.map((b) => `${b}: ${money(m.buckets[b])}`).join(" · ")}\n` +
          `DSO ${show(m.dsoStandard)} · countback ${show(m.dsoCountback)} · best ${show(m.dsoBestPossible)} · ADD ${show(m.add)} · CEI ${show(m.cei, "%")}`,
      ),
    );
  }
  if (stats.currencies.length > shown.length) {
    blocks.push(section(`…and ${stats.currencies.length - shown.length} more currencies: \`arbot stats\` on the command line lists every one.`));
  }
  const p = stats.promises;
  blocks.push(section(`Promises: ${p.open} open, ${p.kept} kept, ${p.broken} broken (90 days)${p.keptRate === null ? "" : ` · kept rate ${(p.keptRate * 100).toFixed(1)}%`}\nDisputes: ${stats.disputes.open} open${stats.disputes.oldestDays === null ? "" : `, oldest ${stats.disputes.oldestDays} days`}`));
  return { text: `AR metrics — ${formatHumanDate(stats.asOf)}`, blocks };
}

const MAX_HOME_LINES = 25;

function listSection(title: string, lines: string[], empty: string): KnownBlock {
  const shown = lines.slice(0, MAX_HOME_LINES);
  const more = lines.length > shown.length ? `\n…and ${lines.length - shown.length} more` : "";
  return section(`*${title}*\n${shown.length > 0 ? shown.map((l) => `• ${escapeMrkdwn(l)}`).join("\n") + more : empty}`);
}

/** App Home: my accounts by function, promises due this week, open escalations (≤ 100 blocks). */
export function renderHome(view: HomeView): types.HomeView {
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: "Your collections" } }];
  for (const fn of FUNCTIONS) {
    const mine = view.accounts.filter((a) => a.function === fn).map((a) => `${a.name} (${a.accountId}): ${a.overdue} overdue · since ${a.since}`);
    if (mine.length > 0) blocks.push(listSection(`As ${fn} owner`, mine, ""));
  }
  if (view.accounts.length === 0) blocks.push(section("You own no account yet. Claim one from the digest, or type `/ar claim <account>`."));
  blocks.push(listSection("Promises due this week", view.promisesDue, "None."));
  blocks.push(listSection("Open escalations", view.escalations, "None."));
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `As of ${formatHumanDate(view.asOf)} · /ar help for the commands` }] });
  return { type: "home", blocks };
}
