import type { TZDate } from "@date-fns/tz";
import { isUtc } from "./local-time";

/**
 * A calendar day in the organization's time zone, as `YYYY-MM-DD`. Lexicographic order is
 * date order, so plain string comparison works. Arithmetic goes through UTC noon-free
 * epoch days, which no time zone or DST change can shift.
 */
export type BusinessDate = string & { readonly __brand?: "BusinessDate" };

const MS_PER_DAY = 86_400_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number of the digits `from` to `to` (excluded) of `value`, or -1 when one is not 0–9. */
function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A real Gregorian date from the year 100 on, written `YYYY-MM-DD` (read per cell by imports,
 * by character codes: no Date object, no match array).
 */
export function isBusinessDate(value: string): value is BusinessDate {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const y = digits(value, 0, 4);
  const m = digits(value, 5, 7);
  const d = digits(value, 8, 10);
  // Years 0–99 are not read as such by Date.UTC: never a business date (as before).
  if (y < 100 || m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

export function businessDate(value: string): BusinessDate {
  if (!isBusinessDate(value)) throw new RangeError(`not a calendar date: ${value}`);
  return value;
}

export function toEpochDay(date: BusinessDate): number {
  // Read as numbers rather than through Date.parse: the ranking does this per account.
  // Date.UTC reads years 0–99 as 1900–1999, so those few go the slow way.
  const year = Number(date.slice(0, 4));
  if (year < 100) return Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
  return Date.UTC(year, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

export function fromEpochDay(day: number): BusinessDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** b − a in calendar days. */
export function daysBetween(a: BusinessDate, b: BusinessDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: BusinessDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWeekday(date: BusinessDate): boolean {
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6;
}

/** The date `count` business days (Mon–Fri) after `date`. */
export function addBusinessDays(date: BusinessDate, count: number): BusinessDate {
  let current = date;
  let left = count;
  while (left > 0) {
    current = addDays(current, 1);
    if (isWeekday(current)) left--;
  }
  return current;
}

/*
 * UTC (`isUtc`), however AR_TIMEZONE writes it, is computed with Date's own UTC fields. Any
 * other zone goes through @date-fns/tz, loaded at its first use, whose first offset loads
 * ICU's zone data into the process (about 25 ms, and 8 ms to load the library): a command of
 * a UTC organization (the default) pays neither.
 */
let zoned: typeof TZDate | undefined;
function tzDate(): typeof TZDate {
  return (zoned ??= (require("@date-fns/tz") as typeof import("@date-fns/tz")).TZDate);
}

/** The wall clock of an instant in a time zone: month 1–12. */
export function wallClockAt(instant: Date, timeZone: string): { year: number; month: number; day: number; hours: number; minutes: number } {
  if (isUtc(timeZone)) {
    return { year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1, day: instant.getUTCDate(), hours: instant.getUTCHours(), minutes: instant.getUTCMinutes() };
  }
  const local = new (tzDate())(instant.getTime(), timeZone);
  return { year: local.getFullYear(), month: local.getMonth() + 1, day: local.getDate(), hours: local.getHours(), minutes: local.getMinutes() };
}

/** The calendar day an instant falls on in a time zone. */
export function businessDateAt(instant: Date, timeZone: string): BusinessDate {
  const local = wallClockAt(instant, timeZone);
  const m = String(local.month).padStart(2, "0");
  const d = String(local.day).padStart(2, "0");
  return `${String(local.year).padStart(4, "0")}-${m}-${d}`;
}

/** The first instant after the end of a business day in a time zone (its next midnight). */
export function endOfBusinessDay(date: BusinessDate, timeZone: string): Date {
  const next = addDays(date, 1);
  const [y, m, d] = next.split("-").map(Number) as [number, number, number];
  if (isUtc(timeZone)) return new Date(`${next}T00:00:00Z`);
  return new Date(new (tzDate())(y, m - 1, d, 0, 0, 0, timeZone).getTime());
}

export function minDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a < b ? a : b;
}

export function maxDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a > b ? a : b;
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** `sun`…`sat`: the next such day strictly after `today`. */
export function nextWeekday(today: BusinessDate, name: string): BusinessDate | null {
  const target = WEEKDAYS.indexOf(name.slice(0, 3).toLowerCase());
  if (target < 0) return null;
  const ahead = ((target - dayOfWeek(today) + 7) % 7) || 7;
  return addDays(today, ahead);
}

/** "3 Nov 2026" for people. */
export function formatHumanDate(date: BusinessDate): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return `${d} ${months[m - 1]} ${y}`;
}
