import { BusinessDate, isBusinessDate } from "../../domain/model/business-date";
import { CURRENCY_SYMBOLS, isCurrency } from "../../domain/model/currency";
import { DecimalText } from "../../domain/model/imports";
import { Delimiter } from "./csv-file";

export type DateFormat = "DMY" | "MDY";
export type CellResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const SLASH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export function isAmbiguousSlashDate(text: string): boolean {
  return SLASH_DATE.test(text.trim());
}

function dateOf(y: string, m: string, d: string): CellResult<BusinessDate> {
  const iso = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  return isBusinessDate(iso) ? { ok: true, value: iso } : { ok: false, reason: "no such calendar date" };
}

/** `YYYY-MM-DD`, `YYYY/MM/DD`, `DD.MM.YYYY`; `D/M/YYYY` or `M/D/YYYY` with a date format. */
export function parseDate(text: string, format: DateFormat | undefined): CellResult<BusinessDate> {
  const value = text.trim();
  let match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value);
  if (match) return dateOf(match[1]!, match[2]!, match[3]!);
  match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  if (match) return dateOf(match[3]!, match[2]!, match[1]!);
  match = SLASH_DATE.exec(value);
  if (match) {
    if (!format) return { ok: false, reason: "slash dates need --date-format DMY or MDY" };
    return format === "DMY" ? dateOf(match[3]!, match[2]!, match[1]!) : dateOf(match[3]!, match[1]!, match[2]!);
  }
  return { ok: false, reason: "expected a date like 2026-11-20, 2026/11/20 or 20.11.2026" };
}

export interface ParsedMoneyCell {
  decimal: DecimalText;
  /** The currency the cell itself names: an ISO code ("USD 1,200.00") or an unambiguous sign ("€"). */
  currency: string | null;
}

/** Signs that name one currency only ($ and ¥ are shared by several and name none). */
const SIGN_CURRENCY: Record<string, string> = { "€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "₫": "VND", "₱": "PHP", "₦": "NGN", "₴": "UAH", "฿": "THB" };

/**
 * Frees an amount cell of currency signs, an ISO code and grouping separators. Comma files
 * use a decimal point; semicolon files a decimal comma (section 6). A grouping mark is only
 * accepted where it groups thousands ("1.234,56" in a semicolon file, never "1234.56"), or
 * lakhs and crores as in India ("1,00,000.00": pairs of digits before the last three).
 */
export function parseAmount(text: string, delimiter: Delimiter): CellResult<ParsedMoneyCell> {
  let value = text.trim();
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
