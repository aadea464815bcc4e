import { BusinessDate, businessDateAt, isWeekday, wallClockAt } from "../model/business-date";
import { Subscription } from "../model/subscription";

/** Minutes after local midnight of an instant in a zone. */
function localMinutes(instant: Date, timeZone: string): number {
  const local = wallClockAt(instant, timeZone);
  return local.hours * 60 + local.minutes;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * Whether a channel's digest is due at an instant, and for which local date (section 9):
 * business days only (Mon–Fri in the channel's zone); from the local time on, the same
 * local day only, so a late run still posts that day and never the next. A local time that
 * a DST change skips is reached at the first valid instant after it; one it repeats is
 * served once, because the run row is per local date.
 */
export function digestDue(subscription: Pick<Subscription, "localTime" | "timeZone">, now: Date): { due: boolean; localDate: BusinessDate } {
  const localDate = businessDateAt(now, subscription.timeZone);
  const due = isWeekday(localDate) && localMinutes(now, subscription.timeZone) >= minutesOf(subscription.localTime);
  return { due, localDate };
}

export const DIGEST_LEASE_MS = 10 * 60_000;
