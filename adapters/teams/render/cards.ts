import { formatHumanDate } from "../../../domain/model/business-date";
import { FUNCTION_LABELS, FUNCTIONS, TeamFunction } from "../../../domain/model/team";
import { Reply } from "../../../bot/commands/dispatch";
import { FormKind } from "../../../bot/commands/grammar";
import { DigestEntryView, DigestView } from "../../../bot/views/digest-view";
import { EscalationView } from "../../../bot/views/escalation-view";
import { AccountCardView } from "../../../bot/views/account-card-view";
import { renderAccountText, renderHomeText } from "../../shell/text-reply";
import { renderStatsText } from "../../shell/text-stats";
import { VERBS } from "../teams-ids";

/** Adaptive Card JSON as Teams takes it (schema 1.5: Action.Execute, the last version Teams renders). */
export type AdaptiveCard = { type: "AdaptiveCard"; version: "1.5"; body: unknown[]; actions?: unknown[]; msteams?: { width?: "Full"; entities?: Mention[] } } & Record<string, unknown>;
export type Mention = { type: "mention"; text: string; mentioned: { id: string; name: string } };

/** A message as the bot sends it: a plain-text summary and the card. */
export interface CardMessage {
  text: string;
  card: AdaptiveCard;
}

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/** Owner email → their Teams id, when Teams knows them (a mention), else absent (the email shows). */
export type OwnerIds = Map<string, string>;

export function card(body: unknown[], actions: unknown[] = [], mentions: Mention[] = []): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: "Full", ...(mentions.length > 0 ? { entities: mentions } : {}) },
  };
}

/**
 * Text as typed by people, in a TextBlock. Teams renders only a small Markdown subset
 * (emphasis, lists, links) and shows backslash escapes literally, so text is not escaped;
 * a mention needs an entity the bot adds, so typed `<at>` markup mentions nobody.
 */
export function plain(text: string): string {
  return text;
}

export function textBlock(text: string, options: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "TextBlock", text, wrap: true, ...options };
}

function heading(text: string): Record<string, unknown> {
  return textBlock(text, { weight: "Bolder", size: "Medium" });
}

function execute(title: string, data: Record<string, unknown>, style?: "positive" | "destructive"): Record<string, unknown> {
  return { type: "Action.Execute", title, verb: data.verb, data, ...(style ? { style } : {}) };
}

/** A button that opens a dialog (task module): only these carry msteams.type task/fetch. */
export function dialogButton(title: string, data: Record<string, unknown>): Record<string, unknown> {
  return { type: "Action.Submit", title, data: { ...data, msteams: { type: "task/fetch" } } };
}

/** What the digest's buttons carry beside the account: enough to draw the same page again. */
export interface DigestContext {
  asOf: string;
  scope: TeamFunction | "all";
  /** The digest page the card belongs to: the channel digest's top accounts, or a "Show all" page. */
  offset: number;
  limit: number;
  paging: boolean;
  /** Which of the page's activities (1-based) when it was split to stay under the size limit. */
  part: number;
}

function ownerText(owner: string, ids: OwnerIds, mentions: Mention[]): string {
  const id = ids.get(owner);
  if (!id) return plain(owner);
  const text = `<at>${owner}</at>`;
  if (!mentions.some((m) => m.text === text)) mentions.push({ type: "mention", text, mentioned: { id, name: owner } });
  return text;
}

function entryContainer(entry: DigestEntryView, context: DigestContext, ids: OwnerIds, mentions: Mention[], interactive: boolean): Record<string, unknown> {
  const functions = context.scope === "all" ? FUNCTIONS : [context.scope];
  const owners = functions.map((fn) => `${fn} ${entry.owners[fn] ? ownerText(entry.owners[fn]!, ids, mentions) : "—"}`).join(" · ");
  const overdue = entry.overdue.map((o) => o.display).join(" + ");
  const reasons = [...entry.reasons.map((r) => r.text), entry.amountText].join("; ");
  const items: unknown[] = [
    textBlock(`**${entry.rank}. ${plain(entry.name)}** (${plain(entry.accountId)}) — ${overdue} overdue · ${entry.maxDaysPastDue} days past due`),
    textBlock(`Owners: ${owners}`, { spacing: "None", isSubtle: true }),
    textBlock(`Why: ${plain(reasons)} (score ${entry.score})`, { spacing: "None" }),
  ];
  if (entry.escalation) items.push(textBlock(entry.escalation, { spacing: "None", color: "Attention" }));
  if (interactive) {
    const data = { account: entry.accountId, ...context };
    items.push({
      type: "ActionSet",
      actions: [
        execute("Claim", { verb: VERBS.claim, ...data }, "positive"),
        {
          type: "Action.ShowCard",
          title: "Assign",
          card: {
            type: "AdaptiveCard",
            body: [
              { type: "Input.ChoiceSet", id: "function", label: "Function", value: context.scope === "all" ? "finance" : context.scope, choices: FUNCTIONS.map((fn) => ({ title: FUNCTION_LABELS[fn], value: fn })) },
              { type: "Input.Text", id: "email", label: "New owner's email", placeholder: "lee@example.com", isRequired: true, errorMessage: "Give the new owner's email." },
            ],
            actions: [execute("Assign", { verb: VERBS.assign, ...data })],
          },
        },
        execute("Escalate", { verb: VERBS.escalate, ...data }, "destructive"),
        dialogButton("Note", { verb: VERBS.note, account: entry.accountId }),
        dialogButton("Promise", { verb: VERBS.promise, account: entry.accountId }),
        dialogButton("Dispute", { verb: VERBS.dispute, account: entry.accountId }),
      ],
    });
  }
  return { type: "Container", separator: true, spacing: "Medium", items };
}

function currencyBlocks(view: DigestView): unknown[] {
  return view.currencies.map((c) => {
    const aging = c.aging.map((a) => `${a.bucket}: ${a.amount.replace(`${c.currency} `, "")}`).join(" · ");
    const disputed = c.disputed ? ` · disputed ${c.disputed}` : "";
    return textBlock(`**${c.currency}** ${c.overdue} undisputed overdue · ${c.accounts} account${c.accounts === 1 ? "" : "s"}\n\nAR ${c.ar} — ${aging}${disputed}`, { spacing: "Small" });
  });
}

/** The digest's one-line summary: the `text` of its activity (notifications, screen readers). */
export function digestSummary(view: DigestView): string {
  const totals = view.currencies.map((c) => `${c.overdue} overdue`).join(", ");
  return `Overdue digest — ${formatHumanDate(view.asOf)}: ${view.total} account${view.total === 1 ? "" : "s"}${totals ? `, ${totals}` : ""}`;
}

export interface DigestCardOptions {
  ids: OwnerIds;
  /** `paging`: a "Show all" page (Previous / Next instead of the totals). */
  context: Omit<DigestContext, "part">;
  interactive: boolean;
}

/**
 * A digest as cards: the header (totals and aging per currency) and its accounts, split
 * into as many cards as needed so each activity stays under `maxBytes` (Teams' limit).
 */
export function renderDigestCards(view: DigestView, options: DigestCardOptions, maxBytes: number): CardMessage[] {
  const context = { ...options.context, part: 1 };
  const header: unknown[] = [heading(context.paging ? `All overdue accounts — ${formatHumanDate(view.asOf)}` : `Overdue digest — ${formatHumanDate(view.asOf)}`)];
  if (!context.paging) header.push(...currencyBlocks(view));
  if (view.total === 0) header.push(textBlock("Nothing overdue: no account has an undisputed overdue balance."));
  const shown = view.entries.length;
  const footer: unknown[] = [];
  const actions: unknown[] = [];
  if (context.paging) {
    footer.push(textBlock(`Accounts ${view.offset + 1}–${view.offset + shown} of ${view.total}`, { isSubtle: true }));
    if (view.offset > 0) actions.push(execute("Previous", { verb: VERBS.page, ...context, part: 1, offset: Math.max(0, view.offset - context.limit) }));
    if (view.offset + shown < view.total) actions.push(execute("Next", { verb: VERBS.page, ...context, part: 1, offset: view.offset + context.limit }));
  } else if (view.total > shown) {
    footer.push(textBlock(`Top ${shown} of ${view.total} accounts with undisputed overdue balances.`, { isSubtle: true }));
    actions.push(execute(`Show all ${view.total}`, { verb: VERBS.page, ...context, part: 1, paging: true, offset: 0, limit: PAGE_SIZE }));
  }
  const summary = digestSummary(view);
  const build = (entries: DigestEntryView[], first: boolean, last: boolean, part: number, parts: number): CardMessage => {
    const mentions: Mention[] = [];
    const body = [...(first ? header : [textBlock(`Overdue digest — ${formatHumanDate(view.asOf)} (continued, part ${part} of ${parts})`, { isSubtle: true })])];
    body.push(...entries.map((e) => entryContainer(e, { ...context, part }, options.ids, mentions, options.interactive)));
    if (last) body.push(...footer);
    return { text: parts > 1 ? `${summary} (part ${part} of ${parts})` : summary, card: card(body, last ? actions : [], mentions) };
  };
  // Greedy packing: as many accounts per card as fit; an account alone always fits.
  const groups: DigestEntryView[][] = [[]];
  for (const entry of view.entries) {
    const current = groups.at(-1)!;
    const trial = build([...current, entry], groups.length === 1, true, 1, 1);
    if (current.length > 0 && activityBytes(trial) > maxBytes) groups.push([entry]);
    else current.push(entry);
  }
  return groups.map((entries, i) => build(entries, i === 0, i === groups.length - 1, i + 1, groups.length));
}

/** "Show all": accounts per page. */
export const PAGE_SIZE = 10;

/** The size Teams counts: the whole activity's JSON, UTF-8 (with room for the envelope botbuilder adds). */
export function activityBytes(message: CardMessage): number {
  const activity = { type: "message", text: message.text, attachments: [{ contentType: CARD_CONTENT_TYPE, content: message.card }] };
  return Buffer.byteLength(JSON.stringify(activity), "utf8") + ENVELOPE_BYTES;
}

/** from, recipient, conversation, serviceUrl, ids: what botbuilder adds around the attachments. */
export const ENVELOPE_BYTES = 1500;

function linesBlock(text: string): unknown[] {
  return text.split("\n").map((line, i) => textBlock(plain(line.replace(/^ +/, (s) => "\u00a0".repeat(s.length))), { spacing: i === 0 ? "Default" : "None", fontType: "Monospace" }));
}

function accountButtons(accountId: string): unknown[] {
  return [dialogButton("Note", { verb: VERBS.note, account: accountId }), dialogButton("Promise", { verb: VERBS.promise, account: accountId }), dialogButton("Dispute", { verb: VERBS.dispute, account: accountId })];
}

export function renderAccountCard(view: AccountCardView): CardMessage {
  const [title, ...rest] = renderAccountText(view).split("\n");
  return { text: view.title, card: card([heading(plain(title!)), ...linesBlock(rest.join("\n"))], view.history ? [] : accountButtons(view.accountId)) };
}

const FORM_TITLES: Record<FormKind, string> = { note: "Add a note", promise: "Record a promise to pay", dispute: "Open a dispute", snooze: "Snooze escalations" };

/** A reply to a command, as a card with its plain-text summary. */
export function renderReplyCard(reply: Exclude<Reply, { kind: "duplicate" | "digest" }>, invocation: string): CardMessage {
  switch (reply.kind) {
    case "help":
      return { text: "arbot commands", card: card([heading("arbot commands"), ...linesBlock(reply.text)]) };
    case "error": {
      const body: unknown[] = [textBlock(plain(reply.message), { color: "Attention" })];
      if (reply.candidates?.length) body.push(...reply.candidates.map((c) => textBlock(`${plain(c.id)} — ${plain(c.name)}`, { spacing: "None" })));
      return { text: reply.message, card: card(body) };
    }
    case "stats":
      return { text: "AR stats", card: card([heading("AR stats"), ...linesBlock(renderStatsText(reply.stats))]) };
    case "account":
      return renderAccountCard(reply.view);
    case "home":
      return { text: "Your collections", card: card([heading("Your collections"), ...linesBlock(renderHomeText(reply.view))]) };
    case "form": {
      const title = FORM_TITLES[reply.form];
      return {
        text: `${title}: press the button to open the form.`,
        card: card([textBlock(`${title}: press the button to open the form (or type ${invocation} ${reply.form} with its arguments).`)], [
          dialogButton(title, { verb: reply.form, ...(reply.query ? { query: reply.query } : {}) }),
        ]),
      };
    }
    case "done":
      return { text: reply.text, card: card([textBlock(plain(reply.text))]) };
  }
}

/** An escalation message: what is wrong, the facts, the ask, and I'm on it / Snooze / Reassign. */
export function renderEscalationCard(view: EscalationView, sentences: string[]): CardMessage {
  const body = sentences.map((s, i) => textBlock(plain(s), i === 0 ? { weight: "Bolder" } : { spacing: "Small" }));
  const actions =
    view.escalationId === null
      ? []
      : [
          execute("I'm on it", { verb: VERBS.ack, escalation: view.escalationId, account: view.accountId }, "positive"),
          dialogButton("Snooze", { verb: VERBS.snooze, account: view.accountId }),
          dialogButton("Reassign", { verb: VERBS.reassign, account: view.accountId }),
        ];
  return { text: sentences[0] ?? view.accountName, card: card(body, actions) };
}

/** Values typed in a dialog, by field id, and the errors next to them. */
export interface DialogState {
  account?: { externalId: string; name: string };
  query?: string;
  tomorrow: string;
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

function input(type: string, id: string, label: string, state: DialogState, extra: Record<string, unknown> = {}): unknown[] {
  const value = state.values?.[id];
  const error = state.errors?.[id];
  return [
    { type, id, label, ...(value ? { value } : {}), ...extra },
    ...(error ? [textBlock(plain(error), { color: "Attention", spacing: "None", size: "Small" })] : []),
  ];
}

/** The form of a dialog (task module): the fields of section 5, each error under its field. */
export function renderDialogCard(form: FormKind | "reassign", state: DialogState): AdaptiveCard {
  const body: unknown[] = [];
  if (state.account) body.push(textBlock(`**${plain(state.account.name)}** (${plain(state.account.externalId)})`));
  else if (form !== "dispute") body.push(...input("Input.Text", "account", "Account (its id or part of its name)", { ...state, values: { account: state.query ?? "", ...state.values } }));
  switch (form) {
    case "note":
      body.push(...input("Input.Text", "note_text", "Note", state, { isMultiline: true, maxLength: 3000 }));
      break;
    case "promise":
      body.push(...input("Input.Text", "amount", "Amount", state, { placeholder: "1200.50" }));
      body.push(...input("Input.Text", "currency", "Currency (optional)", state, { placeholder: "USD", maxLength: 3 }));
      body.push(...input("Input.Date", "promised_on", "Promised by", { ...state, values: { promised_on: state.tomorrow, ...state.values } }));
      break;
    case "dispute":
      body.push(...input("Input.Text", "invoice", "Invoice number", { ...state, values: { invoice: state.query ?? "", ...state.values } }));
      body.push(...input("Input.Text", "reason", "Reason", state, { isMultiline: true, maxLength: 500 }));
      break;
    case "snooze":
      body.push(...input("Input.Date", "promised_on", "No escalations until", state));
      body.push(...input("Input.Text", "reason", "Reason", state, { maxLength: 500 }));
      break;
    case "reassign":
      body.push(...input("Input.ChoiceSet", "function", "Function", { ...state, values: { function: "finance", ...state.values } }, { choices: FUNCTIONS.map((fn) => ({ title: FUNCTION_LABELS[fn], value: fn })) }));
      body.push(...input("Input.Text", "owner_email", "New owner's email", state, { placeholder: "lee@example.com" }));
      break;
  }
  const data = { verb: form, ...(state.account ? { account: state.account.externalId } : {}) };
  return card(body, [{ type: "Action.Submit", title: "Save", data }]);
}

export const DIALOG_TITLES: Record<FormKind | "reassign", string> = { ...FORM_TITLES, reassign: "Reassign the account" };
