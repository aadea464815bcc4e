import { BusinessDate, businessDateAt } from "../../domain/model/business-date";

/** `@db.Date` columns arrive as UTC midnights. */
export function fromDbDate(value: Date): BusinessDate {
  return value.toISOString().slice(0, 10);
}

export function toDbDate(value: BusinessDate): Date {
  return new Date(`${value}T00:00:00.000Z`);
}

export function fromDbDateOrNull(value: Date | null): BusinessDate | null {
  return value === null ? null : fromDbDate(value);
}

/** The business day an instant falls on, or null. */
export function dayOf(instant: Date | null, timeZone: string): BusinessDate | null {
  return instant === null ? null : businessDateAt(instant, timeZone);
}

/**
 * `instant → business day` in `timeZone`, remembering each instant's answer: an import claims
 * thousands of accounts at one instant, so the same instants come back many times.
 */
export function businessDayReader(timeZone: string): (instant: string) => BusinessDate {
  const days = new Map<string, BusinessDate>();
  return (instant) => {
    let day = days.get(instant);
    if (day === undefined) days.set(instant, (day = dayOf(new Date(instant), timeZone)!));
    return day;
  };
}

/** Splits long `IN (…)` lists so no query carries more parameters than PostgreSQL allows. */
export function chunks<T>(items: T[], size = 5000): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
