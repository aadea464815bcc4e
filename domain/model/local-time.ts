/**
 * The two rules every time setting follows, wherever it is typed (AR_TIMEZONE,
 * AR_DIGEST_TIME, `subscribe … at 8:30 Europe/Paris`): one definition, one behaviour.
 */

/**
 * An IANA zone name (`Europe/Paris`, `America/New_York`) or `UTC`. Abbreviations such as
 * `EST` are refused: they are ambiguous, and in chat a stray word must not read as a zone.
 */
export function isTimeZone(zone: string): boolean {
  // UTC without asking Intl: its first zone loads ICU's data (business-date.ts).
  if (isUtc(zone)) return true;
  if (!zone.includes("/")) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** UTC, however it is written (`UTC`, `utc`): the zone computed without a time-zone database. */
export function isUtc(zone: string): boolean {
  return zone.length === 3 && zone.toUpperCase() === "UTC";
}

const HH_MM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** `8:30` or `08:30` (24-hour) as `08:30`; null when it is not a time of day. */
export function parseLocalTime(text: string): string | null {
  const match = HH_MM.exec(text.trim());
  return match ? `${match[1]!.padStart(2, "0")}:${match[2]}` : null;
}
