import { ConfigError, loadOrganizationConfig } from "../../../bot/config";

function refusal(env: Record<string, string>, uses?: Parameters<typeof loadOrganizationConfig>[1]): string {
  try {
    loadOrganizationConfig(env, uses);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

test("unset or blank variables take their documented defaults", () => {
  const blank = { AR_TIMEZONE: " ", AR_DIGEST_TOP: "" };
  for (const env of [{}, blank]) {
    expect(loadOrganizationConfig(env)).toEqual({
      timeZone: "UTC",
      currency: "USD",
      digestTime: "09:00",
      digestTop: 10,
      stallDays: 7,
      promiseGraceDays: 1,
      stallDaysStrategic: 3,
      escalateAfterDays: 3,
      disputeSlaDays: 10,
      escalationDailyLimit: 25,
      escalationTime: "10:00",
      admins: [],
      defaultRole: "finance",
      fixedNow: null,
    });
  }
});

test("values are read as people type them: trimmed, codes in capitals, times padded, emails in lower case", () => {
  const config = loadOrganizationConfig({
    AR_TIMEZONE: " Europe/Paris ",
    AR_CURRENCY: " eur",
    AR_DIGEST_TIME: "8:30",
    AR_DIGEST_TOP: " 20 ",
    AR_STALL_DAYS: "365",
    AR_PROMISE_GRACE_DAYS: "0",
    AR_STALL_DAYS_STRATEGIC: "2",
    AR_ESCALATE_AFTER_DAYS: "90",
    AR_DISPUTE_SLA_DAYS: "1",
    AR_ESCALATION_DAILY_LIMIT: "1000",
    AR_ESCALATION_TIME: " 07:05 ",
    AR_ADMINS: " Dana@Example.com, ,lee@example.com ",
    AR_DEFAULT_ROLE: " viewer ",
  });
  expect(config).toMatchObject({
    timeZone: "Europe/Paris",
    currency: "EUR",
    digestTime: "08:30",
    digestTop: 20,
    stallDays: 365,
    promiseGraceDays: 0,
    stallDaysStrategic: 2,
    escalateAfterDays: 90,
    disputeSlaDays: 1,
    escalationDailyLimit: 1000,
    escalationTime: "07:05",
    admins: ["dana@example.com", "lee@example.com"],
    defaultRole: "viewer",
  });
  expect(loadOrganizationConfig({ AR_TIMEZONE: "utc" }).timeZone).toBe("utc");
});

test("a bad value names its variable and what is expected", () => {
  expect(refusal({ AR_TIMEZONE: "EST" })).toBe("AR_TIMEZONE: not an IANA time zone (e.g. Europe/Paris)");
  expect(refusal({ AR_TIMEZONE: "Mars/Olympus" })).toBe("AR_TIMEZONE: not an IANA time zone (e.g. Europe/Paris)");
  expect(refusal({ AR_CURRENCY: "EURO" })).toBe("AR_CURRENCY: not an ISO-4217 currency code");
  expect(refusal({ AR_DIGEST_TIME: "9am" })).toBe("AR_DIGEST_TIME: expected HH:MM (24 h)");
  expect(refusal({ AR_ESCALATION_TIME: "24:00" })).toBe("AR_ESCALATION_TIME: expected HH:MM (24 h)");
  for (const value of ["0", "21", "2.5", "ten", "1 0"]) expect(refusal({ AR_DIGEST_TOP: value })).toBe("AR_DIGEST_TOP: expected a whole number of accounts from 1 to 20");
  expect(refusal({ AR_PROMISE_GRACE_DAYS: "-1" })).toBe("AR_PROMISE_GRACE_DAYS: expected a whole number of days from 0 to 60");
  expect(refusal({ AR_ESCALATION_DAILY_LIMIT: "1001" })).toBe("AR_ESCALATION_DAILY_LIMIT: expected a whole number of escalations from 1 to 1000");
  expect(refusal({ AR_ADMINS: "dana@example.com, lee" })).toBe("AR_ADMINS: expected comma-separated email addresses");
  expect(refusal({ AR_DEFAULT_ROLE: "boss" })).toBe("AR_DEFAULT_ROLE: expected viewer, finance, sales, cs or admin");
  // Several bad values: the first in the documented order is named.
  expect(refusal({ AR_DEFAULT_ROLE: "boss", AR_STALL_DAYS: "0", AR_CURRENCY: "EURO" })).toBe("AR_CURRENCY: not an ISO-4217 currency code");
});

test("only the variables a command uses are read; the others keep their defaults", () => {
  const env = { AR_CURRENCY: "EURO", AR_STALL_DAYS: "14" };
  expect(loadOrganizationConfig(env, ["AR_STALL_DAYS"])).toMatchObject({ currency: "USD", stallDays: 14 });
  expect(refusal(env, ["AR_CURRENCY"])).toBe("AR_CURRENCY: not an ISO-4217 currency code");
});

test("ARBOT_NOW fixes the clock in tests only, and must be an instant", () => {
  expect(loadOrganizationConfig({ ARBOT_NOW: "2026-10-30T12:00:00Z" }).fixedNow).toBeNull();
  expect(loadOrganizationConfig({ ARBOT_NOW: "2026-10-30T12:00:00Z", NODE_ENV: "test" }).fixedNow).toEqual(new Date("2026-10-30T12:00:00Z"));
  expect(refusal({ ARBOT_NOW: "soon", NODE_ENV: "test" })).toBe("ARBOT_NOW: expected an ISO instant like 2026-10-30T12:00:00Z");
});
