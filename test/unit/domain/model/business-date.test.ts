import { TZDate } from "@date-fns/tz";
import { addBusinessDays, businessDateAt, endOfBusinessDay, isBusinessDate, nextWeekday, wallClockAt } from "../../../../domain/model/business-date";

test("calendar dates are validated, not rolled over", () => {
  expect(isBusinessDate("2026-02-28")).toBe(true);
  expect(isBusinessDate("2026-02-29")).toBe(false);
  expect(isBusinessDate("2026-13-01")).toBe(false);
});

test("a business date is exactly a real Gregorian YYYY-MM-DD from the year 100 on, as Date.UTC reads it", () => {
  // The reference: the pattern, then the calendar as Date.UTC has it (no roll-over).
  const real = (value: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return false;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const at = new Date(Date.UTC(2000, mo - 1, d));
    at.setUTCFullYear(y);
    return y >= 100 && at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
  };
  const cases = ["2024-02-29", "2100-02-29", "2000-02-29", "1900-02-29", "0099-12-31", "0100-01-01", "9999-12-31", "2026-04-31", "2026-00-10", "2026-01-00",
    "2026-1-01", "2026-01-1", " 2026-01-01", "2026-01-01 ", "2026/01/01", "2026-01-01T00:00", "+026-01-01", "２０２６-01-01", "2026-0a-01", "", "2026-01-0-"];
  for (let day = 0; day < 800; day++) cases.push(new Date(Date.UTC(2023, 0, 1 + day)).toISOString().slice(0, 10));
  // Strings of digits and dashes around the shape, seeded so a failure repeats.
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 5000; i++) {
    const length = 9 + Math.floor(next() * 3);
    let text = "";
    for (let j = 0; j < length; j++) text += j === 4 || j === 7 ? (next() < 0.9 ? "-" : "5") : "0123456789-"[Math.floor(next() * (next() < 0.95 ? 10 : 11))];
    cases.push(text);
  }
  for (const value of cases) expect([value, isBusinessDate(value)]).toEqual([value, real(value)]);
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

test("UTC, however it is written, reads the same wall clock, day and midnight as the time-zone library gives it", () => {
  // Instants around midnight, month and year ends, a leap day and the years 100 and 9999.
  const instants = [Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.UTC(2028, 1, 29, 12, 30), Date.UTC(100, 0, 1, 0, 0), Date.UTC(9999, 11, 31, 23, 59)];
  for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 86_400_000 / 3 + 60_000 * 7) instants.push(ms);
  for (const ms of instants) {
    const library = new TZDate(ms, "UTC");
    const expected = { year: library.getFullYear(), month: library.getMonth() + 1, day: library.getDate(), hours: library.getHours(), minutes: library.getMinutes() };
    for (const zone of ["UTC", "utc", "Utc"]) expect([ms, wallClockAt(new Date(ms), zone)]).toEqual([ms, expected]);
    expect(businessDateAt(new Date(ms), "UTC")).toBe(businessDateAt(new Date(ms), "Etc/UTC"));
  }
  for (const date of ["2026-02-28", "2028-02-28", "2026-12-31", "0100-01-01"]) {
    expect(endOfBusinessDay(date, "UTC").getTime()).toBe(endOfBusinessDay(date, "Etc/UTC").getTime());
  }
  expect(endOfBusinessDay("2028-02-28", "utc").toISOString()).toBe("2028-02-29T00:00:00.000Z");
});

test("business days skip weekends; weekday names mean the next one", () => {
  expect(addBusinessDays("2026-11-20", 2)).toBe("2026-11-24"); // Fri + 2 business days = Tue
  expect(addBusinessDays("2026-11-18", 2)).toBe("2026-11-20"); // Wed → Fri
  expect(nextWeekday("2026-11-20", "fri")).toBe("2026-11-27"); // the next Friday, not today
  expect(nextWeekday("2026-11-20", "mon")).toBe("2026-11-23");
  expect(nextWeekday("2026-11-20", "xyz")).toBeNull();
});
