import { Currency, minorDigits } from "./currency";

/** Integer minor units with a currency. Never a float. */
export interface Money {
  minor: bigint;
  currency: Currency;
}

export type ParsedAmount = { ok: true; minor: bigint } | { ok: false; reason: string };

/**
 * Reads a plain decimal ("1234.5", "1234,50", "12") already stripped of symbols and grouping.
 * `decimalSeparator` says which character separates the fraction.
 */
const DECIMAL = { ".": /^(-?)(\d+)(?:\.(\d+))?$/, ",": /^(-?)(\d+)(?:,(\d+))?$/ };

export function parseDecimal(text: string, currency: Currency, decimalSeparator: "." | ","): ParsedAmount {
  const pattern = DECIMAL[decimalSeparator];
  const match = pattern.exec(text);
  if (!match) return { ok: false, reason: "not a number" };
  const [, sign, whole, fraction = ""] = match as unknown as [string, string, string, string | undefined];
  const digits = minorDigits(currency);
  if (fraction.length > digits) {
    return {
      ok: false,
      reason: digits === 0 ? `${currency} has no decimals` : `${currency} has ${digits} decimals at most (no rounding)`,
    };
  }
  const minor = BigInt(whole + fraction.padEnd(digits, "0"));
  return { ok: true, minor: sign === "-" ? -minor : minor };
}

/** Decimal string in major units: 140000n USD → "1400.00". */
export function formatMinor(minor: bigint, currency: Currency): string {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const abs = (negative ? -minor : minor).toString().padStart(digits + 1, "0");
  const whole = abs.slice(0, abs.length - digits);
  const fraction = digits > 0 ? `.${abs.slice(abs.length - digits)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** "USD 1,400.00" for people. */
export function formatMoney(minor: bigint, currency: Currency): string {
  const [whole, fraction] = formatMinor(minor, currency).split(".") as [string, string | undefined];
  const negative = whole.startsWith("-");
  const grouped = (negative ? whole.slice(1) : whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${currency} ${negative ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

export function sumMinor(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}
