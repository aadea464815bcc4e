import { isCurrency } from "../domain/model/currency";
import { isTimeZone, parseLocalTime } from "../domain/model/local-time";
import { isRole, Role } from "../domain/model/team";

/** A variable that stops a command (exit 78), named in one line. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/**
 * How each organization variable is read from its text (set and not blank): its value, or
 * why it is refused. Plain functions rather than a schema library: loading one was 15 ms of
 * every command's start.
 */
type Reader<T> = (text: string) => { value: T } | { refused: string };

function wholeNumber(min: number, max: number, unit: string): Reader<number> {
  const refused = `expected a whole number of ${unit} from ${min} to ${max}`;
  return (text) => {
    const value = Number(text);
    return Number.isInteger(value) && value >= min && value <= max ? { value } : { refused };
  };
}

function localTime(text: string): { value: string } | { refused: string } {
  const value = parseLocalTime(text.trim());
  return value !== null ? { value } : { refused: "expected HH:MM (24 h)" };
}

const READERS = {
  AR_TIMEZONE: (text: string) => (isTimeZone(text.trim()) ? { value: text.trim() } : { refused: "not an IANA time zone (e.g. Europe/Paris)" }),
  AR_CURRENCY: (text: string) => {
    const code = text.trim().toUpperCase();
    return isCurrency(code) ? { value: code } : { refused: "not an ISO-4217 currency code" };
  },
  AR_DIGEST_TIME: localTime,
  // 20 at most: a channel digest stays a glance, and within every platform's message size.
  AR_DIGEST_TOP: wholeNumber(1, 20, "accounts"),
  AR_STALL_DAYS: wholeNumber(1, 365, "days"),
  AR_PROMISE_GRACE_DAYS: wholeNumber(0, 60, "days"),
  AR_STALL_DAYS_STRATEGIC: wholeNumber(1, 365, "days"),
  AR_ESCALATE_AFTER_DAYS: wholeNumber(1, 90, "days"),
  AR_DISPUTE_SLA_DAYS: wholeNumber(1, 365, "days"),
  AR_ESCALATION_DAILY_LIMIT: wholeNumber(1, 1000, "escalations"),
  AR_ESCALATION_TIME: localTime,
  AR_ADMINS: (text: string) => {
    const emails = text
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean);
    return emails.every((e) => /^[^\s@]+@[^\s@]+$/.test(e)) ? { value: emails } : { refused: "expected comma-separated email addresses" };
  },
  AR_DEFAULT_ROLE: (text: string) => {
    const role = text.trim();
    return isRole(role) ? { value: role as Role } : { refused: "expected viewer, finance, sales, cs or admin" };
  },
} satisfies Record<string, Reader<unknown>>;

type Readers = typeof READERS;
type ValueOf<Name extends keyof Readers> = Extract<ReturnType<Readers[Name]>, { value: unknown }>["value"];

/** What an unset variable means (made for each load: a caller may change its copy's lists). */
const defaults = (): { [Name in keyof Readers]: ValueOf<Name> } => ({
  AR_TIMEZONE: "UTC",
  AR_CURRENCY: "USD",
  AR_DIGEST_TIME: "09:00",
  AR_DIGEST_TOP: 10,
  AR_STALL_DAYS: 7,
  AR_PROMISE_GRACE_DAYS: 1,
  AR_STALL_DAYS_STRATEGIC: 3,
  AR_ESCALATE_AFTER_DAYS: 3,
  AR_DISPUTE_SLA_DAYS: 10,
  AR_ESCALATION_DAILY_LIMIT: 25,
  AR_ESCALATION_TIME: "10:00",
  AR_ADMINS: [],
  AR_DEFAULT_ROLE: "finance",
});

/** The organization's variables; each command names those it uses (section 3). */
export const ORGANIZATION_VARIABLES = [
  "AR_TIMEZONE",
  "AR_CURRENCY",
  "AR_DIGEST_TIME",
  "AR_DIGEST_TOP",
  "AR_STALL_DAYS",
  "AR_PROMISE_GRACE_DAYS",
  "AR_STALL_DAYS_STRATEGIC",
  "AR_ESCALATE_AFTER_DAYS",
  "AR_DISPUTE_SLA_DAYS",
  "AR_ESCALATION_DAILY_LIMIT",
  "AR_ESCALATION_TIME",
  "AR_ADMINS",
  "AR_DEFAULT_ROLE",
] as const satisfies readonly (keyof Readers)[];
export type OrganizationVariable = (typeof ORGANIZATION_VARIABLES)[number];

export interface OrganizationConfig {
  timeZone: string;
  currency: string;
  digestTime: string;
  digestTop: number;
  stallDays: number;
  promiseGraceDays: number;
  stallDaysStrategic: number;
  escalateAfterDays: number;
  disputeSlaDays: number;
  /** Escalations one person (or the escalation channel) hears about in one sweep at most. */
  escalationDailyLimit: number;
  /** Local HH:MM of the daily sweep on business days. */
  escalationTime: string;
  admins: string[];
  defaultRole: Role;
  /** ARBOT_NOW, honoured only when NODE_ENV=test. */
  fixedNow: Date | null;
}

export type Env = Record<string, string | undefined>;

/** Empty strings count as unset, as in most deployment tools. */
export function present(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
}

/**
 * Validates the variables a command uses (section 3: only those). The others are not read:
 * they keep their defaults in the result, so a command must name every variable it reads.
 */
export function loadOrganizationConfig(env: Env = process.env, uses: readonly OrganizationVariable[] = ORGANIZATION_VARIABLES): OrganizationConfig {
  const given = present(env);
  // In the documented order, so that of several bad values the first is named.
  const c: Record<OrganizationVariable, unknown> = defaults();
  for (const name of ORGANIZATION_VARIABLES) {
    const text = given[name];
    if (text === undefined || !uses.includes(name)) continue;
    const read = (READERS[name] as Reader<unknown>)(text);
    if ("refused" in read) throw new ConfigError(name, read.refused);
    c[name] = read.value;
  }
  const values = c as { [Name in OrganizationVariable]: ValueOf<Name> };
  let fixedNow: Date | null = null;
  if (given.ARBOT_NOW && given.NODE_ENV === "test") {
    fixedNow = new Date(given.ARBOT_NOW);
    if (Number.isNaN(fixedNow.getTime())) throw new ConfigError("ARBOT_NOW", "expected an ISO instant like 2026-10-30T12:00:00Z");
  }
  return {
    timeZone: values.AR_TIMEZONE,
    currency: values.AR_CURRENCY,
    digestTime: values.AR_DIGEST_TIME,
    digestTop: values.AR_DIGEST_TOP,
    stallDays: values.AR_STALL_DAYS,
    promiseGraceDays: values.AR_PROMISE_GRACE_DAYS,
    stallDaysStrategic: values.AR_STALL_DAYS_STRATEGIC,
    escalateAfterDays: values.AR_ESCALATE_AFTER_DAYS,
    disputeSlaDays: values.AR_DISPUTE_SLA_DAYS,
    escalationDailyLimit: values.AR_ESCALATION_DAILY_LIMIT,
    escalationTime: values.AR_ESCALATION_TIME,
    admins: values.AR_ADMINS,
    defaultRole: values.AR_DEFAULT_ROLE,
    fixedNow,
  };
}

export function loadPort(env: Env = process.env): number {
  const raw = present(env).PORT;
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError("PORT", "expected a TCP port number (0–65535)");
  return port;
}
