import { addBusinessDays, businessDateAt, endOfBusinessDay, isBusinessDate, nextWeekday } from "../../../../domain/model/business-date";

test("calendar dates are validated, not rolled over", () => {
  expect(isBusinessDate("2026-02-28")).toBe(true);
  expect(isBusinessDate("2026-02-29")).toBe(false);
  expect(isBusinessDate("2026-13-01")).toBe(false);
});

test("an instant falls on the local day of the organization's zone", () => {
  const instant = new Date("2026-11-20T23:30:00Z");
  expect(businessDateAt(instant, "UTC")).toBe("2026-11-20");
  expect(businessDateAt(instant, "Europe/Paris")).toBe("2026-11-21");
  expect(businessDateAt(instant, "America/Los_Angeles")).toBe("2026-11-20");
});

test("the end of a business day is the next local midnight, DST included", () => {
  // Paris leaves summer time on 2026-10-25: that day lasts 25 hours.
  expect(endOfBusinessDay("2026-10-24", "Europe/Paris").toISOString()).toBe("2026-10-24T22:00:00.000Z");
  expect(endOfBusinessDay("2026-10-25", "Europe/Paris").toISOString()).toBe("2026-10-25T23:00:00.000Z");
});

test("business days skip weekends; weekday names mean the next one", () => {
  expect(addBusinessDays("2026-11-20", 2)).toBe("2026-11-24"); // Fri + 2 business days = Tue
  expect(addBusinessDays("2026-11-18", 2)).toBe("2026-11-20"); // Wed → Fri
  expect(nextWeekday("2026-11-20", "fri")).toBe("2026-11-27"); // the next Friday, not today
  expect(nextWeekday("2026-11-20", "mon")).toBe("2026-11-23");
  expect(nextWeekday("2026-11-20", "xyz")).toBeNull();
});
