import { BusinessDate, addDays, isBusinessDate, nextWeekday } from "../../domain/model/business-date";
import { isCurrency } from "../../domain/model/currency";
import { DecimalText } from "../../domain/model/imports";
import { FUNCTIONS, Role, ROLES, TeamFunction } from "../../domain/model/team";

/**
 * The chat grammar of ARCHITECTURE.md section 5, parsed in one place into typed commands
 * for Slack, Teams and the shell alike. A malformed command names the wrong part and
 * shows the expected form; nothing is executed.
 */
export type FormKind = "note" | "promise" | "dispute";
export type SubscriptionScope = TeamFunction | "all";
export type RoleTarget = { mention: string } | { email: string } | { handle: string };

export type Command =
  | { kind: "help" }
  | { kind: "digest"; all: boolean }
  | { kind: "mine" }
  | { kind: "stats" }
  | { kind: "account"; query: string }
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
  | { kind: "form"; form: FormKind; query?: string };

/** `YYYY-MM-DD`, `today`, `tomorrow` or a weekday, resolved against today when run. */
export type DateSpec = string;

export const USAGE = {
  help: "help",
  digest: "digest",
  mine: "mine",
  stats: "stats",
  account: "account <account>",
  claim: "claim <account> [as finance|sales|cs] [takeover]",
  release: "release <account> [as finance|sales|cs]",
  note: "note <account> <text>",
  promise: "promise <account> <amount> [currency] <date>",
  dispute: "dispute <invoice> <reason>",
  resolve: "resolve <invoice>",
  escalate: "escalate <account> [reason]",
  role: "role <@user|email> <viewer|finance|sales|cs|admin>",
  subscribe: "subscribe [finance|sales|cs|all] [at HH:MM] [time zone]",
  unsubscribe: "unsubscribe",
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

/** Whitespace-separated tokens; "double quotes" (straight or curly, as Slack sends them) group words. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const text = input.trim();
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    if (text[i] === '"' || text[i] === "“" || text[i] === "”") {
      const close = text.slice(i + 1).search(/["“”]/);
      if (close < 0) throw new GrammarError(`A quote opened at “${text.slice(i, i + 20)}” is never closed.`);
      tokens.push({ text: text.slice(i + 1, i + 1 + close), quoted: true });
      i += close + 2;
      continue;
    }
    let end = i;
    while (end < text.length && !/\s/.test(text[end]!)) end++;
    tokens.push({ text: text.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

/** What follows the first n tokens, as typed (quotes included), for free text. */
function restOf(input: string, tokens: Token[], n: number): string {
  let rest = input.trim();
  for (let k = 0; k < n; k++) {
    rest = rest.replace(/^\s+/, "");
    const t = tokens[k]!;
    rest = rest.slice(t.quoted ? t.text.length + 2 : t.text.length);
  }
  return rest.trim();
}

function parseFunction(word: string | undefined, command: keyof typeof USAGE): TeamFunction {
  const fn = word?.toLowerCase();
  if (fn && (FUNCTIONS as readonly string[]).includes(fn)) return fn as TeamFunction;
  throw new GrammarError(word ? `“${word}” is not a function: use finance, sales or cs.` : "“as” needs a function: finance, sales or cs.", command);
}

function expectNoMore(tokens: Token[], from: number, command: keyof typeof USAGE): void {
  if (tokens.length > from) throw new GrammarError(`Unexpected “${tokens[from]!.text}”.`, command);
}

const WEEKDAY = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*$/i;

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
  const match = /^([A-Za-z]{3})?\s*(\d+(?:[.,]\d+)?)\s*([A-Za-z]{3})?$/.exec(joined);
  if (!match || (match[1] && match[3])) {
    throw new GrammarError(`“${joined || "(nothing)"}” is not an amount: write digits with an optional decimal part and currency, like 5000, 5000.50 or 5000 USD.`, "promise");
  }
  const number = match[2]!;
  if (/^\d{1,3},\d{3}$/.test(number)) throw new GrammarError(`“${number}” could be a thousand or one: write ${number.replace(",", "")} or ${number.replace(",", ".")}.`, "promise");
  const code = (match[1] ?? match[3])?.toUpperCase();
  if (code && !isCurrency(code)) throw new GrammarError(`“${code}” is not a currency code such as USD or EUR.`, "promise");
  return { amount: number.replace(",", "."), ...(code ? { currency: code } : {}) };
}

const MENTION = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

function parseRoleTarget(word: string | undefined): RoleTarget {
  if (!word) throw new GrammarError("Say whose role: a @mention or an email.", "role");
  const mention = MENTION.exec(word);
  if (mention) return { mention: mention[1]! };
  const mailto = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/i.exec(word);
  if (mailto) return { email: mailto[1]!.toLowerCase() };
  if (EMAIL.test(word)) return { email: word.toLowerCase() };
  if (/^@?[\w.-]+$/.test(word)) return { handle: word.replace(/^@/, "") };
  throw new GrammarError(`“${word}” is not a @mention or an email.`, "role");
}

export function parseCommand(input: string): Command {
  const tokens = tokenize(input);
  const [head, ...args] = tokens;
  if (!head) return { kind: "help" };
  const verb = head.text.toLowerCase();
  const q = args[0]?.text;
  switch (verb) {
    case "help":
    case "?":
      return { kind: "help" };
    case "digest":
      if (args.length === 1 && args[0]!.text.toLowerCase() === "all") return { kind: "digest", all: true };
      expectNoMore(tokens, 1, "digest");
      return { kind: "digest", all: false };
    case "mine":
    case "stats":
    case "unsubscribe":
      expectNoMore(tokens, 1, verb);
      return { kind: verb };
    case "account":
      if (!q) throw new GrammarError("Say which account.", "account");
      expectNoMore(tokens, 2, "account");
      return { kind: "account", query: q };
    case "claim":
    case "release": {
      if (!q) throw new GrammarError("Say which account.", verb);
      let fn: TeamFunction | undefined;
      let takeover = false;
      for (let k = 1; k < args.length; k++) {
        const word = args[k]!.text.toLowerCase();
        if (word === "as") fn = parseFunction(args[++k]?.text, verb);
        else if (word === "takeover" && verb === "claim") takeover = true;
        else throw new GrammarError(`Unexpected “${args[k]!.text}”${k === 1 && !args[k]!.quoted && word !== "takeover" ? " (quote account names with spaces)" : ""}.`, verb);
      }
      return verb === "claim" ? { kind: "claim", query: q, ...(fn ? { function: fn } : {}), takeover } : { kind: "release", query: q, ...(fn ? { function: fn } : {}) };
    }
    case "note": {
      if (!q) return { kind: "form", form: "note" };
      const text = restOf(input, tokens, 2);
      if (!text) return { kind: "form", form: "note", query: q };
      return { kind: "note", query: q, text: args.length === 2 && args[1]!.quoted ? args[1]!.text : text };
    }
    case "promise": {
      if (!q) return { kind: "form", form: "promise" };
      if (args.length === 1) return { kind: "form", form: "promise", query: q };
      const last = args[args.length - 1]!.text;
      if (args.length < 3) {
        throw new GrammarError(isDateSpec(last) ? "The amount is missing." : `The date is missing (after “${last}”).`, "promise");
      }
      if (!isDateSpec(last)) throw new GrammarError(`“${last}” is not a date: use YYYY-MM-DD, today, tomorrow or a weekday (mon…sun).`, "promise");
      const money = parseAmountWords(args.slice(1, -1).map((t) => t.text));
      return { kind: "promise", query: q, ...money, date: last.toLowerCase() };
    }
    case "dispute": {
      if (!q) return { kind: "form", form: "dispute" };
      const reason = restOf(input, tokens, 2);
      if (!reason) return { kind: "form", form: "dispute", query: q };
      return { kind: "dispute", invoice: q, reason: args.length === 2 && args[1]!.quoted ? args[1]!.text : reason };
    }
    case "resolve":
      if (!q) throw new GrammarError("Say which invoice.", "resolve");
      expectNoMore(tokens, 2, "resolve");
      return { kind: "resolve", invoice: q };
    case "escalate": {
      if (!q) throw new GrammarError("Say which account.", "escalate");
      const reason = restOf(input, tokens, 2);
      return { kind: "escalate", query: q, ...(reason ? { reason: args.length === 2 && args[1]!.quoted ? args[1]!.text : reason } : {}) };
    }
    case "role": {
      const target = parseRoleTarget(q);
      const role = args[1]?.text.toLowerCase();
      if (!role) throw new GrammarError("Say which role.", "role");
      if (!(ROLES as readonly string[]).includes(role)) throw new GrammarError(`“${args[1]!.text}” is not a role: viewer, finance, sales, cs or admin.`, "role");
      expectNoMore(tokens, 3, "role");
      return { kind: "role", target, role: role as Role };
    }
    case "subscribe": {
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
        const hhmm = HHMM.exec(args[k + 1]?.text ?? "");
        if (!hhmm) throw new GrammarError(`“${args[k + 1]?.text ?? ""}” is not a time: use HH:MM, 24-hour.`, "subscribe");
        time = `${hhmm[1]!.padStart(2, "0")}:${hhmm[2]}`;
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
    default:
      throw new GrammarError(`“${head.text}” is not a command.`);
  }
}

export function isTimeZone(zone: string): boolean {
  if (!zone.includes("/") && zone.toUpperCase() !== "UTC") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
