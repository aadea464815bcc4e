import { bucketFor, daysPastDue } from "../../../../domain/policies/aging";

test.each([
  [-5, "current"],
  [0, "current"],
  [1, "1-30"],
  [30, "1-30"],
  [31, "31-60"],
  [60, "31-60"],
  [61, "61-90"],
  [90, "61-90"],
  [91, "90+"],
  [400, "90+"],
])("%i days past due is in bucket %s", (dpd, bucket) => {
  expect(bucketFor(dpd)).toBe(bucket);
});

test("days past due is D minus the due date in calendar days", () => {
  expect(daysPastDue("2026-07-01", "2026-10-30")).toBe(121); // 30 + 31 + 30 + 30 = 121
  expect(daysPastDue("2026-11-19", "2026-10-30")).toBe(-20);
});
