import { BusinessDate, addDays, isBusinessDate, nextWeekday } from "../../domain/model/business-date";
import { CURRENCY_SYMBOLS, isCurrency, SIGN_CURRENCY } from "../../domain/model/currency";
import { isTimeZone, parseLocalTime } from "../../domain/model/local-time";
import { DecimalText } from "../../domain/model/imports";
import { closestWord } from "./closest-word";
import { FUNCTIONS, Role, ROLES, TeamFunction } from "../../domain/model/team";
import { PLAIN_SYNTAX, PlatformSyntax } from "../platform/chat-platform";

/**
 * The chat grammar of ARCHITECTURE.md section 5, parsed in one place into typed commands
 * for Slack, Teams and the shell alike. A malformed command names the wrong part and
 * shows the expected form; nothing is executed.
 */
export type FormKind = "note" | "promise" | "dispute" | "snooze";
export type SubscriptionScope = TeamFunction | "all";
export type RoleTarget = { mention: string } | { email: string } | { handle: string };

export type Command =
  | { kind: "help" }
  | { kind: "digest"; all: boolean }
  | { kind: "mine" }
  | { kind: "stats" }
  | { kind: "account"; query: string; history?: number }
  | { kind: "claim"; query: string; function?: TeamFunction; takeover: boolean }
  | { kind: "release"; query: string; function?: TeamFunction }
  | { kind: "note"; query: string; text: string }
  | { kind: "promise"; query: string; amount: DecimalText; currency?: string; date: DateSpec }
  | { kind: "dispute"; invoice: string; reason: string }
  | { kind: "resolve"; invoice: string }
  | { kind: "escalate"; query: string; reason?: string }
  | { kind: "role"; target: RoleTarget; role: Role }
  | { kind: "subscribe"; scope: SubscriptionScope; time?: string; timeZone?: string }
  | { kind: "unsubscribe" }
  | { kind: "subscribe_escalations" }
  | { kind: "unsubscribe_escalations" }
  | { kind: "snooze"; query: string; date: DateSpec; reason: string }
  /** The buttons of an escalation message (never typed). */
  | { kind: "acknowledge"; escalationId: number }
  | { kind: "reassign"; query: string; function: TeamFunction; email: string }
  | { kind: "form"; form: FormKind; query?: string };

/** `YYYY-MM-DD`, `today`, `tomorrow` or a weekday, resolved against today when run. */
export type DateSpec = string;

export const USAGE = {
  help: "help",
  digest: "digest [all]",
  mine: "mine",
  stats: "stats",
  account: "account <account> [history [page]]",
  claim: "claim <account> [as finance|sales|cs] [takeover]",
  release: "release <account> [as finance|sales|cs]",
  note: "note <account> <text>",
  promise: "promise <account> <amount> [currency] <date>",
  dispute: "dispute <invoice> <reason>",
  resolve: "resolve <invoice>",
  escalate: "escalate <account> [reason]",
  role: "role <@user|email> <viewer|finance|sales|cs|admin>",
  subscribe: "subscribe [finance|sales|cs|all] [at HH:MM] [time zone] | subscribe escalations",
  unsubscribe: "unsubscribe | unsubscribe escalations",
  snooze: "snooze <account> <date> <reason>",
} as const;

const EXAMPLES: Partial<Record<keyof typeof USAGE, string>> = {
  account: "account acme",
  claim: "claim acme as sales",
  note: 'note acme "Called AP, invoice approved"',
  promise: "promise acme 5000 USD fri",
  dispute: "dispute INV-1042 wrong quantity billed",
  escalate: "escalate acme no answer for two weeks",
  role: "role dana@example.com admin",
  subscribe: "subscribe finance at 08:30 Europe/Paris",
  snooze: "snooze acme 2026-12-15 waiting for their new PO",
};

export class GrammarError extends Error {
  constructor(
    problem: string,
    readonly command?: keyof typeof USAGE,
  ) {
    super(
      command
        ? `${problem}\nExpected: ${USAGE[command]}${EXAMPLES[command] ? `, e.g. ${EXAMPLES[command]}` : ""}`
        : `${problem}\nCommands: ${Object.keys(USAGE).join(", ")}. Type help for the forms.`,
    );
  }
}

interface Token {
  text: string;
  quoted: boolean;
}

const QUOTE = /["“”]/;
const QUOTE_SHOWN = 30;

/**
 * The first token of `text` and what follows it as typed: a whitespace-free word, or a
 * "double-quoted" string (straight or curly quotes, as Slack sends them).
 */
function nextToken(text: string, command?: keyof typeof USAGE): { token: Token; rest: string } | null {
  const t = text.replace(/^\s+/, "");
  if (!t) return null;
  if (QUOTE.test(t[0]!)) {
    const close = t.slice(1).search(QUOTE);
    if (close < 0) {
      const shown = t.length > QUOTE_SHOWN ? `${t.slice(0, QUOTE_SHOWN)}…` : t;
      throw new GrammarError(`A quote opened at “${shown}” is never closed.`, command);
    }
    return { token: { text: t.slice(1, 1 + close), quoted: true }, rest: t.slice(close + 2) };
  }
  const end = t.search(/\s/);
  return end < 0 ? { token: { text: t, quoted: false }, rest: "" } : { token: { text: t.slice(0, end), quoted: false }, rest: t.slice(end) };
}

/** Every token of `input`; an unclosed quote is the error of `command` when there is one. */
export function tokenize(input: string, command?: keyof typeof USAGE): Token[] {
  const tokens: Token[] = [];
  let rest = input;
  for (let next = nextToken(rest, command); next; next = nextToken(rest, command)) {
    tokens.push(next.token);
    rest = next.rest;
  }
  return tokens;
}

/** Note text and reasons: the rest of the line as typed; one fully quoted string loses its quotes. */
function freeText(rest: string): string {
  const text = rest.trim();
  const whole = /^["“”]([^"“”]*)["“”]$/.exec(text);
  return whole ? whole[1]!.trim() : text;
}

function shown(token: Token): string {
  return token.quoted ? `"${token.text}"` : token.text;
}

/** `account Bluth Company`: the answer is the same command with the name quoted. */
function quoteNameError(command: keyof typeof USAGE, nameWords: Token[], after: Token[]): GrammarError {
  const name = nameWords.map((t) => t.text).join(" ");
  return new GrammarError(`Quote account names with spaces: ${[command, `"${name}"`, ...after.map(shown)].join(" ")}`, command);
}

function parseFunction(word: string | undefined, command: keyof typeof USAGE): TeamFunction {
  const fn = word?.toLowerCase();
  if (fn && (FUNCTIONS as readonly string[]).includes(fn)) return fn as TeamFunction;
  throw new GrammarError(word ? `“${word}” is not a function: use finance, sales or cs.` : "“as” needs a function: finance, sales or cs.", command);
}

function expectNoMore(tokens: Token[], from: number, command: keyof typeof USAGE): void {
  if (tokens.length > from) throw new GrammarError(`Unexpected “${tokens[from]!.text}”.`, command);
}

const WEEKDAY = /^(mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/i;
/** Shaped like `YYYY-MM-DD`, whether or not it is a calendar day (2026-02-30 is not). */
const DATE_SHAPED = /^\d{4}-\d{2}-\d{2}$/;

export function isDateSpec(text: string): boolean {
  const t = text.toLowerCase();
  return isBusinessDate(t) || t === "today" || t === "tomorrow" || WEEKDAY.test(t);
}

/** A date spec against today: weekdays mean the next one, never today. */
export function resolveDate(spec: DateSpec, today: BusinessDate): BusinessDate {
  const t = spec.toLowerCase();
  if (t === "today") return today;
  if (t === "tomorrow") return addDays(today, 1);
  if (WEEKDAY.test(t)) return nextWeekday(today, t.slice(0, 3))!;
  return t;
}

/** `<amount>`: digits with an optional `.` or `,` decimal part and a currency before or after. */
export function parseAmountWords(words: string[]): { amount: DecimalText; currency?: string } {
  const joined = words.join(" ").trim();
  // A currency sign as in CSV cells: $500, 500€, £1200.50. One that names a single currency
  // (€, £) is that currency; $ and ¥ name none, so the account's currency applies.
  const signs = [...new Set(joined.match(CURRENCY_SYMBOLS) ?? [])];
  const fromSign = signs.map((sign) => SIGN_CURRENCY[sign]).find(Boolean);
  const bare = joined.replace(CURRENCY_SYMBOLS, "").trim();
  const match = /^([A-Za-z]{3})?\s*(\d+(?:[.,]\d+)?)\s*([A-Za-z]{3})?$/.exec(bare);
  if (!match || (match[1] && match[3]) || signs.length > 1) {
    throw new GrammarError(`“${joined || "(nothing)"}” is not an amount: write digits with an optional decimal part and currency, like 5000, $5000, 5000.50 or 5000 USD.`, "promise");
  }
  const number = match[2]!;
  if (/^\d{1,3},\d{3}$/.test(number)) throw new GrammarError(`“${number}” could be a thousand or one: write ${number.replace(",", "")} or ${number.replace(",", ".")}.`, "promise");
  const written = (match[1] ?? match[3])?.toUpperCase();
  if (written && !isCurrency(written)) throw new GrammarError(`“${written}” is not a currency code such as USD or EUR.`, "promise");
  if (written && fromSign && written !== fromSign) throw new GrammarError(`“${joined}” says both ${fromSign} and ${written}.`, "promise");
  const code = written ?? fromSign;
  return { amount: number.replace(",", "."), ...(code ? { currency: code } : {}) };
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function parseRoleTarget(word: string | undefined, syntax: PlatformSyntax): RoleTarget {
  if (!word) throw new GrammarError("Say whose role: a @mention or an email.", "role");
  const mention = syntax.decodeMention(word);
  if (mention) return { mention };
  const decorated = syntax.decodeEmail(word);
  if (decorated) return { email: decorated.toLowerCase() };
  if (EMAIL.test(word)) return { email: word.toLowerCase() };
  if (/^@?[\w.-]+$/.test(word)) return { handle: word.replace(/^@/, "") };
  throw new GrammarError(`“${word}” is not a @mention or an email.`, "role");
}

/** The amount words of a promise, or null when they are not an amount. */
function tryAmount(words: Token[]): ReturnType<typeof parseAmountWords> | null {
  try {
    return parseAmountWords(words.map((t) => t.text));
  } catch (error) {
    if (error instanceof GrammarError) return null;
    throw error;
  }
}

/** A word that can belong to a name but not to an amount: no digits, not a currency code. */
function isNameWord(token: Token): boolean {
  return !token.quoted && !/\d/.test(token.text) && !isCurrency(token.text.toUpperCase());
}

function parseAccountCommand(rest: string): Command {
  const args = tokenize(rest, "account");
  if (!args[0]) throw new GrammarError("Say which account.", "account");
  // `account acme history [page]`: the whole timeline, a page at a time.
  const historyAt = args.findIndex((t, k) => k > 0 && !t.quoted && t.text.toLowerCase() === "history");
  if (historyAt > 0) {
    if (historyAt > 1) throw quoteNameError("account", args.slice(0, historyAt), args.slice(historyAt));
    const page = args[2]?.text;
    if (page !== undefined && !/^[1-9]\d{0,5}$/.test(page)) throw new GrammarError(`“${page}” is not a page number: account ${args[0].text} history 2`, "account");
    expectNoMore(args, 3, "account");
    return { kind: "account", query: args[0].text, history: page ? Number(page) : 1 };
  }
  if (args.length > 1) {
    if (args.every((t) => !t.quoted)) throw quoteNameError("account", args, []);
    throw new GrammarError(`Unexpected “${args[1]!.text}”.`, "account");
  }
  return { kind: "account", query: args[0].text };
}

function parseClaimOrRelease(verb: "claim" | "release", rest: string): Command {
  const args = tokenize(rest, verb);
  const q = args[0];
  if (!q) throw new GrammarError("Say which account.", verb);
  const keyword = args.findIndex((t, k) => k > 0 && !t.quoted && ["as", "takeover"].includes(t.text.toLowerCase()));
  const nameEnd = keyword < 0 ? args.length : keyword;
  if (nameEnd > 1 && args.slice(0, nameEnd).every((t) => !t.quoted)) throw quoteNameError(verb, args.slice(0, nameEnd), args.slice(nameEnd));
  let fn: TeamFunction | undefined;
  let takeover = false;
  for (let k = 1; k < args.length; k++) {
    const word = args[k]!.text.toLowerCase();
    if (word === "as") fn = parseFunction(args[++k]?.text, verb);
    else if (word === "takeover" && verb === "claim") takeover = true;
    else throw new GrammarError(`Unexpected “${args[k]!.text}”.`, verb);
  }
  return verb === "claim" ? { kind: "claim", query: q.text, ...(fn ? { function: fn } : {}), takeover } : { kind: "release", query: q.text, ...(fn ? { function: fn } : {}) };
}

function parsePromise(rest: string): Command {
  const [q, ...words] = tokenize(rest, "promise");
  if (!q) return { kind: "form", form: "promise" };
  if (words.length === 0) return { kind: "form", form: "promise", query: q.text };
  const last = words[words.length - 1]!.text;
  const notCalendar = DATE_SHAPED.test(last) && !isDateSpec(last);
  if (words.length === 1) {
    if (isDateSpec(last)) throw new GrammarError("The amount is missing.", "promise");
    if (notCalendar) throw new GrammarError(`The amount is missing, and “${last}” is not a calendar date.`, "promise");
    throw new GrammarError(`The date is missing (after “${last}”).`, "promise");
  }
  if (notCalendar) throw new GrammarError(`“${last}” is not a calendar date.`, "promise");
  if (!isDateSpec(last)) throw new GrammarError(`“${last}” is not a date: use YYYY-MM-DD, today, tomorrow or a weekday (mon…sun).`, "promise");
  const amountWords = words.slice(0, -1);
  const money = tryAmount(amountWords);
  if (money) return { kind: "promise", query: q.text, ...money, date: last.toLowerCase() };
  // `promise Bluth Company 100 fri`: name words, then an amount.
  for (let k = 1; !q.quoted && k < amountWords.length && isNameWord(amountWords[k - 1]!); k++) {
    if (tryAmount(amountWords.slice(k))) throw quoteNameError("promise", [q, ...amountWords.slice(0, k)], words.slice(k));
  }
  return { kind: "promise", query: q.text, ...parseAmountWords(amountWords.map((t) => t.text)), date: last.toLowerCase() };
}

/** note, dispute, escalate: one token names the account or invoice; the rest of the line is free text. */
function parseWithFreeText(verb: "note" | "dispute" | "escalate", rest: string): Command {
  const first = nextToken(rest, verb);
  if (!first) {
    if (verb === "escalate") throw new GrammarError("Say which account.", "escalate");
    return { kind: "form", form: verb };
  }
  const q = first.token.text;
  const text = freeText(first.rest);
  switch (verb) {
    case "note":
      return text ? { kind: "note", query: q, text } : { kind: "form", form: "note", query: q };
    case "dispute":
      return text ? { kind: "dispute", invoice: q, reason: text } : { kind: "form", form: "dispute", query: q };
    case "escalate":
      return { kind: "escalate", query: q, ...(text ? { reason: text } : {}) };
  }
}

function parseRole(rest: string, syntax: PlatformSyntax): Command {
  const args = tokenize(rest, "role");
  const target = parseRoleTarget(args[0]?.text, syntax);
  const role = args[1]?.text.toLowerCase();
  if (!role) throw new GrammarError("Say which role.", "role");
  if (!(ROLES as readonly string[]).includes(role)) throw new GrammarError(`“${args[1]!.text}” is not a role: viewer, finance, sales, cs or admin.`, "role");
  expectNoMore(args, 2, "role");
  return { kind: "role", target, role: role as Role };
}

/** snooze <q> <date> <reason>: one token names the account, then a date, then the reason as typed. */
function parseSnooze(rest: string): Command {
  const first = nextToken(rest, "snooze");
  if (!first) return { kind: "form", form: "snooze" };
  const second = nextToken(first.rest, "snooze");
  if (!second) return { kind: "form", form: "snooze", query: first.token.text };
  const date = second.token.text;
  if (DATE_SHAPED.test(date) && !isDateSpec(date)) throw new GrammarError(`“${date}” is not a calendar date.`, "snooze");
  if (!isDateSpec(date)) {
    if (!first.token.quoted && second.rest.trim().split(/\s+/).some((w) => isDateSpec(w))) {
      throw new GrammarError(`“${date}” is not a date. A name of several words goes in quotes: snooze "${first.token.text} ${date}" <date> <reason>.`, "snooze");
    }
    throw new GrammarError(`“${date}” is not a date: use YYYY-MM-DD, today, tomorrow or a weekday (mon…sun).`, "snooze");
  }
  const reason = freeText(second.rest);
  if (!reason) throw new GrammarError("Give a reason: why wait until then?", "snooze");
  return { kind: "snooze", query: first.token.text, date: date.toLowerCase(), reason };
}

function parseSubscribe(rest: string): Command {
  const args = tokenize(rest, "subscribe");
  if (args[0]?.text.toLowerCase() === "escalations") {
    expectNoMore(args, 1, "subscribe");
    return { kind: "subscribe_escalations" };
  }
  let scope: SubscriptionScope = "all";
  let time: string | undefined;
  let timeZone: string | undefined;
  let k = 0;
  const first = args[0]?.text.toLowerCase();
  if (first && (first === "all" || (FUNCTIONS as readonly string[]).includes(first))) {
    scope = first as SubscriptionScope;
    k = 1;
  }
  if (args[k]?.text.toLowerCase() === "at") {
    time = parseLocalTime(args[k + 1]?.text ?? "") ?? undefined;
    if (!time) throw new GrammarError(`“${args[k + 1]?.text ?? ""}” is not a time: use HH:MM, 24-hour.`, "subscribe");
    k += 2;
  }
  if (args[k]) {
    timeZone = args[k]!.text;
    if (!isTimeZone(timeZone)) throw new GrammarError(`“${timeZone}” is not a time zone: use an IANA name such as Europe/Paris.`, "subscribe");
    k++;
  }
  expectNoMore(args, k, "subscribe");
  return { kind: "subscribe", scope, ...(time ? { time } : {}), ...(timeZone ? { timeZone } : {}) };
}

/**
 * The verb first, then its arguments: free text (note, reasons) is never tokenized, so a
 * stray quote in it is just a character. `syntax` reads the platform's mention and email
 * markup (the shell has none).
 */
export function parseCommand(input: string, syntax: PlatformSyntax = PLAIN_SYNTAX): Command {
  const line = input.trim();
  const head = /^\S+/.exec(line)?.[0];
  if (!head) return { kind: "help" };
  const verb = head.toLowerCase();
  const rest = line.slice(head.length);
  switch (verb) {
    case "help":
    case "?":
      return { kind: "help" };
    case "digest": {
      const args = tokenize(rest, "digest");
      if (args.length === 1 && args[0]!.text.toLowerCase() === "all") return { kind: "digest", all: true };
      expectNoMore(args, 0, "digest");
      return { kind: "digest", all: false };
    }
    case "unsubscribe": {
      const args = tokenize(rest, verb);
      if (args[0]?.text.toLowerCase() === "escalations") {
        expectNoMore(args, 1, verb);
        return { kind: "unsubscribe_escalations" };
      }
      expectNoMore(args, 0, verb);
      return { kind: verb };
    }
    case "mine":
    case "stats":
      expectNoMore(tokenize(rest, verb), 0, verb);
      return { kind: verb };
    case "snooze":
      return parseSnooze(rest);
    case "account":
      return parseAccountCommand(rest);
    case "claim":
    case "release":
      return parseClaimOrRelease(verb, rest);
    case "note":
    case "dispute":
    case "escalate":
      return parseWithFreeText(verb, rest);
    case "promise":
      return parsePromise(rest);
    case "resolve": {
      const args = tokenize(rest, "resolve");
      if (!args[0]) throw new GrammarError("Say which invoice.", "resolve");
      expectNoMore(args, 1, "resolve");
      return { kind: "resolve", invoice: args[0].text };
    }
    case "role":
      return parseRole(rest, syntax);
    case "subscribe":
      return parseSubscribe(rest);
    default: {
      const guess = closestWord(verb, Object.keys(USAGE));
      throw new GrammarError(`“${head}” is not a command.${guess ? ` Did you mean “${guess}”?` : ""}`);
    }
  }
}
