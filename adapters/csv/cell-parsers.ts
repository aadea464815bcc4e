import { BusinessDate, businessDateAt, isBusinessDate } from "../../domain/model/business-date";
import { CURRENCY_SYMBOLS, isCurrency, SIGN_CURRENCY } from "../../domain/model/currency";
import { DecimalText } from "../../domain/model/imports";
import { Delimiter } from "./csv-file";

export type DateFormat = "DMY" | "MDY";
export type CellResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const SLASH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** A time after the date: `08:46:22`, `8:46 AM`, `T08:46:22.000Z`, `08:46+02:00`. */
const TIME_PART = /^(.*?)(?:[ T]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(AM|PM)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

export interface DateOptions {
  format?: DateFormat;
  /** `UTC` when the column's header says its times are UTC. */
  zone?: "UTC" | null;
  /** AR_TIMEZONE: the calendar day a zoned time falls on. */
  timeZone?: string;
}

/** The date part of a cell that may carry a time. */
function datePart(text: string): string {
  const match = TIME_PART.exec(text.trim());
  return match ? match[1]!.trim() : text.trim();
}

export function isAmbiguousSlashDate(text: string): boolean {
  return SLASH_DATE.test(datePart(text));
}

function fullYear(y: string): string {
  // Two-digit years are this century's (an export's invoice dates are never 1900s).
  return y.length === 2 ? `20${y}` : y;
}

function dateOf(y: string, m: string, d: string): CellResult<BusinessDate> {
  const iso = `${fullYear(y)}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  return isBusinessDate(iso) ? { ok: true, value: iso } : { ok: false, reason: "no such calendar date" };
}

function monthNumber(name: string): string | null {
  const index = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return index < 0 || name.length > 9 ? null : String(index + 1);
}

function calendarDate(value: string, format: DateFormat | undefined): CellResult<BusinessDate> {
  let match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value);
  if (match) return dateOf(match[1]!, match[2]!, match[3]!);
  match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  if (match) return dateOf(match[3]!, match[2]!, match[1]!);
  match = SLASH_DATE.exec(value);
  if (match) {
    if (!format) return { ok: false, reason: "slash dates need --date-format DMY or MDY" };
    return format === "DMY" ? dateOf(match[3]!, match[2]!, match[1]!) : dateOf(match[3]!, match[1]!, match[2]!);
  }
  // `8 Jun 2026`, `08-Jun-2026`, `Jun 8, 2026`: the month's name leaves no doubt.
  match = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})$/.exec(value);
  if (match && monthNumber(match[2]!)) return dateOf(match[3]!, monthNumber(match[2]!)!, match[1]!);
  match = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/.exec(value);
  if (match && monthNumber(match[1]!)) return dateOf(match[3]!, monthNumber(match[1]!)!, match[2]!);
  return { ok: false, reason: "expected a date like 2026-11-20, 2026/11/20 or 20.11.2026" };
}

/**
 * `YYYY-MM-DD`, `YYYY/MM/DD`, `DD.MM.YYYY`, `8 Jun 2026`; `D/M/YYYY` or `M/D/YYYY` (also
 * with a two-digit year) with a date format. A time after the date is allowed: when it
 * carries a zone (in the cell, or `(UTC)` in the header) the date is the calendar day in
 * AR_TIMEZONE, otherwise the date as written.
 */
export function parseDate(text: string, options: DateFormat | DateOptions | undefined): CellResult<BusinessDate> {
  const value = text.trim();
  // Most exports write ISO dates: what the general reading below returns for them, at once.
  if (value.length === 10 && isBusinessDate(value)) return { ok: true, value };
  const opts: DateOptions = typeof options === "string" ? { format: options } : options ?? {};
  const timed = TIME_PART.exec(value);
  const date = calendarDate(timed ? timed[1]!.trim() : value, opts.format);
  if (!date.ok || !timed) return date;
  let hours = Number(timed[2]);
  const minutes = Number(timed[3]);
  const seconds = Number(timed[4] ?? "0");
  const meridiem = timed[5]?.toUpperCase();
  if (meridiem && (hours < 1 || hours > 12)) return { ok: false, reason: "not a time of day" };
  if (meridiem === "PM" && hours < 12) hours += 12;
  if (meridiem === "AM" && hours === 12) hours = 0;
  if (hours > 23 || minutes > 59 || seconds > 59) return { ok: false, reason: "not a time of day" };
  const zoneText = timed[6]?.toUpperCase() ?? (opts.zone === "UTC" ? "Z" : null);
  if (!zoneText || !opts.timeZone) return date;
  const offset = zoneText === "Z" || zoneText === "UTC" || zoneText === "GMT" ? "Z" : zoneText.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const hh = String(hours).padStart(2, "0");
  const mm = String(minutes).padStart(2, "0");
  const ss = String(seconds).padStart(2, "0");
  const instant = new Date(`${date.value}T${hh}:${mm}:${ss}${offset}`);
  if (Number.isNaN(instant.getTime())) return { ok: false, reason: "not a time of day" };
  return { ok: true, value: businessDateAt(instant, opts.timeZone) };
}

export interface ParsedMoneyCell {
  decimal: DecimalText;
  /** The currency the cell itself names: an ISO code ("USD 1,200.00") or an unambiguous sign ("€"). */
  currency: string | null;
}

/**
 * Frees an amount cell of currency signs, an ISO code and grouping separators. Comma files
 * use a decimal point; semicolon files a decimal comma (section 6). A grouping mark is only
 * accepted where it groups thousands ("1.234,56" in a semicolon file, never "1234.56"), or
 * lakhs and crores as in India ("1,00,000.00": pairs of digits before the last three).
 */
/** A plain amount in each kind of file: digits and the file's decimal mark, nothing else. */
const PLAIN_AMOUNT = { ",": /^\d+(\.\d+)?$/, ";": /^\d+(,\d+)?$/ };

export function parseAmount(text: string, delimiter: Delimiter): CellResult<ParsedMoneyCell> {
  let value = text.trim();
  // What the general reading below returns for a plain amount, at once.
  if (PLAIN_AMOUNT[delimiter].test(value)) return { ok: true, value: { decimal: value.replace(",", "."), currency: null } };
  const signs = [...new Set(value.match(CURRENCY_SYMBOLS) ?? [])];
  const fromSign = signs.map((sign) => SIGN_CURRENCY[sign]).find(Boolean) ?? null;
  value = value.replace(CURRENCY_SYMBOLS, "").trim();
  let currency: string | null = fromSign;
  const code = /^([A-Za-z]{3})\s*(.*)$|^(.*?)\s*([A-Za-z]{3})$/.exec(value);
  if (code) {
    const found = (code[1] ?? code[4] ?? "").toUpperCase();
    if (!isCurrency(found)) return { ok: false, reason: "not a number" };
    if (currency && currency !== found) return { ok: false, reason: `the cell says both ${currency} and ${found}` };
    currency = found;
    value = (code[2] ?? code[3] ?? "").trim();
  }
  let negative = false;
  if (/^\(.*\)$/.test(value)) {
    negative = true;
    value = value.slice(1, -1).trim();
  }
  if (value.startsWith("-")) {
    negative = !negative;
    value = value.slice(1).trim();
  } else if (value.endsWith("-")) {
    negative = !negative;
    value = value.slice(0, -1).trim();
  }
  const decimalMark = delimiter === "," ? "." : ",";
  const groupMark = delimiter === "," ? "," : ".";
  value = value.replace(/[\s'\u00a0\u202f]/g, "");
  if (value.includes(groupMark)) {
    const escapedGroup = groupMark === "." ? "\\." : ",";
    const escapedDecimal = decimalMark === "." ? "\\." : ",";
    const thousands = `\\d{1,3}(${escapedGroup}\\d{3})+`;
    const lakhs = `\\d{1,2}(${escapedGroup}\\d{2})+${escapedGroup}\\d{3}`;
    const grouped = new RegExp(`^(${thousands}|${lakhs})(${escapedDecimal}\\d+)?$`);
    if (!grouped.test(value)) return { ok: false, reason: `not a number (this file uses '${decimalMark}' for decimals)` };
    value = value.split(groupMark).join("");
  }
  const pattern = decimalMark === "." ? /^\d+(\.\d+)?$/ : /^\d+(,\d+)?$/;
  if (!pattern.test(value)) {
    return { ok: false, reason: value === "" ? "empty amount" : `not a number (this file uses '${decimalMark}' for decimals)` };
  }
  const decimal = value.replace(",", ".");
  return { ok: true, value: { decimal: negative ? `-${decimal}` : decimal, currency } };
}

export function parseCurrency(text: string): CellResult<string> {
  const code = text.trim().toUpperCase();
  return isCurrency(code) ? { ok: true, value: code } : { ok: false, reason: "not an ISO-4217 currency code" };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseEmail(text: string): CellResult<string> {
  const email = text.trim().toLowerCase();
  return EMAIL.test(email) ? { ok: true, value: email } : { ok: false, reason: "not an email address" };
}
