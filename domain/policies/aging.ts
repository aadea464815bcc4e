import { BusinessDate, daysBetween } from "../model/business-date";

export const BUCKETS = ["current", "1-30", "31-60", "61-90", "90+"] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Days past due at the end of day D: D − due date. */
export function daysPastDue(dueDate: BusinessDate, asOf: BusinessDate): number {
  return daysBetween(dueDate, asOf);
}

export function bucketFor(dpd: number): Bucket {
  if (dpd <= 0) return "current";
  if (dpd <= 30) return "1-30";
  if (dpd <= 60) return "31-60";
  if (dpd <= 90) return "61-90";
  return "90+";
}

export function emptyBuckets(): Record<Bucket, bigint> {
  return { current: 0n, "1-30": 0n, "31-60": 0n, "61-90": 0n, "90+": 0n };
}
