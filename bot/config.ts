import { z } from "zod";
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


function wholeNumber(min: number, max: number, unit: string) {
  const message = `expected a whole number of ${unit} from ${min} to ${max}`;
  return z.coerce.number({ invalid_type_error: message }).int(message).min(min, message).max(max, message);
}

const organizationSchema = z.object({
  AR_TIMEZONE: z.string().trim().default("UTC").refine(isTimeZone, "not an IANA time zone (e.g. Europe/Paris)"),
  AR_CURRENCY: z
    .string()
    .trim()
    .default("USD")
    .transform((v) => v.toUpperCase())
    .refine(isCurrency, "not an ISO-4217 currency code"),
  AR_DIGEST_TIME: z
    .string()
    .trim()
    .default("09:00")
    .refine((v) => parseLocalTime(v) !== null, "expected HH:MM (24 h)")
    .transform((v) => parseLocalTime(v)!),
  // 20 at most: a channel digest stays a glance, and within every platform's message size.
  AR_DIGEST_TOP: wholeNumber(1, 20, "accounts").default(10),
  AR_STALL_DAYS: wholeNumber(1, 365, "days").default(7),
  AR_PROMISE_GRACE_DAYS: wholeNumber(0, 60, "days").default(1),
  AR_STALL_DAYS_STRATEGIC: wholeNumber(1, 365, "days").default(3),
  AR_ESCALATE_AFTER_DAYS: wholeNumber(1, 90, "days").default(3),
  AR_DISPUTE_SLA_DAYS: wholeNumber(1, 365, "days").default(10),
  AR_ESCALATION_DAILY_LIMIT: wholeNumber(1, 1000, "escalations").default(25),
  AR_ESCALATION_TIME: z
    .string()
    .trim()
    .default("10:00")
    .refine((v) => parseLocalTime(v) !== null, "expected HH:MM (24 h)")
    .transform((v) => parseLocalTime(v)!),
  AR_ADMINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((emails) => emails.every((e) => /^[^\s@]+@[^\s@]+$/.test(e)), "expected comma-separated email addresses"),
  AR_DEFAULT_ROLE: z
    .string()
    .trim()
    .default("finance")
    .refine((v) => isRole(v), "expected viewer, finance, sales, cs or admin")
    .transform((v) => v as Role),
  NODE_ENV: z.string().optional(),
  ARBOT_NOW: z.string().optional(),
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
] as const satisfies readonly (keyof z.input<typeof organizationSchema>)[];
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

function firstIssue(error: z.ZodError): ConfigError {
  const issue = error.issues[0]!;
  return new ConfigError(String(issue.path[0] ?? "environment"), issue.message);
}

/** Empty strings count as unset, as in most deployment tools. */
export function present(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
}

/**
 * Validates the variables a command uses (section 3: only those). The others are not read:
 * they keep their defaults in the result, so a command must name every variable it reads.
 */
export function loadOrganizationConfig(env: Env = process.env, uses: readonly OrganizationVariable[] = ORGANIZATION_VARIABLES): OrganizationConfig {
  const unused = new Set<string>(ORGANIZATION_VARIABLES.filter((name) => !uses.includes(name)));
  const parsed = organizationSchema.safeParse(Object.fromEntries(Object.entries(present(env)).filter(([name]) => !unused.has(name))));
  if (!parsed.success) throw firstIssue(parsed.error);
  const c = parsed.data;
  let fixedNow: Date | null = null;
  if (c.ARBOT_NOW && c.NODE_ENV === "test") {
    fixedNow = new Date(c.ARBOT_NOW);
    if (Number.isNaN(fixedNow.getTime())) throw new ConfigError("ARBOT_NOW", "expected an ISO instant like 2026-10-30T12:00:00Z");
  }
  return {
    timeZone: c.AR_TIMEZONE,
    currency: c.AR_CURRENCY,
    digestTime: c.AR_DIGEST_TIME,
    digestTop: c.AR_DIGEST_TOP,
    stallDays: c.AR_STALL_DAYS,
    promiseGraceDays: c.AR_PROMISE_GRACE_DAYS,
    stallDaysStrategic: c.AR_STALL_DAYS_STRATEGIC,
    escalateAfterDays: c.AR_ESCALATE_AFTER_DAYS,
    disputeSlaDays: c.AR_DISPUTE_SLA_DAYS,
    escalationDailyLimit: c.AR_ESCALATION_DAILY_LIMIT,
    escalationTime: c.AR_ESCALATION_TIME,
    admins: c.AR_ADMINS,
    defaultRole: c.AR_DEFAULT_ROLE,
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
