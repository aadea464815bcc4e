import { BusinessDate, addDays, daysBetween, endOfBusinessDay } from "../../domain/model/business-date";
import {
  AccountExposure,
  AgingFigures,
  COUNTBACK_SLICES,
  CurrencyFigures,
  DigestFacts,
  DisputeFacts,
  PromiseFacts,
  RankingFacts,
} from "../../domain/model/ledger-aggregates";
import { TeamFunction } from "../../domain/model/team";
import { BUCKETS, Bucket, emptyBuckets } from "../../domain/policies/aging";
import { PERIOD_DAYS } from "../../domain/policies/ar-metrics";
import { businessDayReader } from "./dates";
import { Sql, dateText, dbTimestamp, instantText, jsonTuples } from "./sql-rows";


/**
 * A condition on an invoice id column, added to each table an open-invoices pass reads: none,
 * or the bounds of one part of the invoices. A range with no lower or no upper end is written
 * with one bound only: a prepared statement's plan for any bounds (PostgreSQL's generic plan)
 * then counts on about a third of the rows, near the half a part holds, where a range unknown
 * at both ends is assumed to hold half a percent (nested loops made for a few hundred rows).
 */
type InvoiceIds = (column: string) => string;
const EVERY_INVOICE: InvoiceIds = () => "";
/** Ids below $2. */
const IDS_BELOW: InvoiceIds = (column) => ` AND ${column} < $2::bigint`;
/** Ids from $2 up to, not including, $3. */
const IDS_BETWEEN: InvoiceIds = (column) => ` AND ${column} >= $2::bigint AND ${column} < $3::bigint`;
/** Ids from $2 up. */
const IDS_FROM: InvoiceIds = (column) => ` AND ${column} >= $2::bigint`;

/** The invoices (of `ids`) with a dispute open at the end of day $1. */
const disputedAt = (ids: InvoiceIds) => `
  disputed AS (
    SELECT DISTINCT "invoiceId" FROM "Dispute"
     WHERE "openedOn" <= $1::date${ids('"invoiceId"')} AND ("resolvedOn" IS NULL OR "resolvedOn" > $1::date)
  )`;

/**
 * Each invoice (of `ids`) issued ≤ $1 with its open balance at the end of day $1 (section 7:
 * the latest snapshot ≤ $1, less the payments after it and ≤ $1; without one, the amount less
 * the payments ≤ $1) and whether a dispute is open on it at $1. One pass over each table.
 */
const openInvoices = (ids: InvoiceIds) => `
  snap AS (
    SELECT DISTINCT ON ("invoiceId") "invoiceId", "asOf", "balanceMinor"
      FROM "BalanceSnapshot" WHERE "asOf" <= $1::date${ids('"invoiceId"')} ORDER BY "invoiceId", "asOf" DESC
  ), paid AS (
    SELECT p."invoiceId", sum(p."amountMinor") AS amount
      FROM "Payment" p LEFT JOIN snap s ON s."invoiceId" = p."invoiceId"
     WHERE p."paidOn" <= $1::date${ids('p."invoiceId"')} AND (s."asOf" IS NULL OR p."paidOn" > s."asOf")
     GROUP BY p."invoiceId"
  ), ${disputedAt(ids)}, open AS (
    SELECT i."accountId", i."currency", i."issueDate", i."amountMinor", i."dueDate", ($1::date - i."dueDate") AS dpd,
           d."invoiceId" IS NOT NULL AS disputed, COALESCE(s."balanceMinor", i."amountMinor") - COALESCE(paid.amount, 0) AS balance
      FROM "Invoice" i
      LEFT JOIN snap s ON s."invoiceId" = i."id"
      LEFT JOIN paid ON paid."invoiceId" = i."id"
      LEFT JOIN disputed d ON d."invoiceId" = i."id"
     WHERE i."issueDate" <= $1::date${ids('i."id"')}
  )`;

/** Per currency, the credits unapplied at the end of day $1 (`credit`). */
const CREDITS = `
  credit_balance AS (
    SELECT DISTINCT ON ("creditNoteId") "creditNoteId", "remainingMinor"
      FROM "CreditBalance" WHERE "asOf" <= $1::date ORDER BY "creditNoteId", "asOf" DESC
  ), credit AS (
    SELECT c."currency", sum(COALESCE(b."remainingMinor", c."amountMinor")) AS unapplied
      FROM "CreditNote" c LEFT JOIN credit_balance b ON b."creditNoteId" = c."id"
     WHERE c."issueDate" <= $1::date GROUP BY c."currency"
  )`;

/** Per currency, after an open-invoices pass: the open balances by bucket and disputed, and the sales of the period (D − 90, D] (`aged`). */
const AGED = `
  aged AS (
    SELECT "currency",
           sum(balance) FILTER (WHERE dpd <= 0) AS current,
           sum(balance) FILTER (WHERE dpd BETWEEN 1 AND 30) AS d30,
           sum(balance) FILTER (WHERE dpd BETWEEN 31 AND 60) AS d60,
           sum(balance) FILTER (WHERE dpd BETWEEN 61 AND 90) AS d90,
           sum(balance) FILTER (WHERE dpd >= 91) AS d90plus,
           sum(balance) FILTER (WHERE disputed) AS disputed,
           sum("amountMinor") FILTER (WHERE "issueDate" > $1::date - ${PERIOD_DAYS}) AS sales
      FROM open GROUP BY "currency"
  )`;

/** The sums of an `aged` row `a` as text, in AgingRow's names. */
const agedColumns = (a: string) => `
  COALESCE(${a}.current, 0)::text AS "current", COALESCE(${a}.d30, 0)::text AS "d30", COALESCE(${a}.d60, 0)::text AS "d60",
  COALESCE(${a}.d90, 0)::text AS "d90", COALESCE(${a}.d90plus, 0)::text AS "d90plus", COALESCE(${a}.disputed, 0)::text AS "disputed",
  COALESCE(${a}.sales, 0)::text AS "sales"`;

/** Per currency at the end of day $1: the invoices' aging and the unapplied credits. */
const AGING_SQL = `
  WITH ${openInvoices(EVERY_INVOICE)}, ${CREDITS}, ${AGED}
  SELECT COALESCE(a."currency", c."currency") AS "currency", ${agedColumns("a")}, COALESCE(c.unapplied, 0)::text AS "credits"
    FROM aged a FULL JOIN credit c ON c."currency" = a."currency"`;

interface AgingRow {
  currency: string;
  current: string;
  d30: string;
  d60: string;
  d90: string;
  d90plus: string;
  disputed: string;
  credits: string;
  sales: string;
}

/** Buckets at D from an aging row: the unapplied credits lower `current`. */
const bucketsOf = (row: AgingRow): Record<Bucket, bigint> => ({
  current: BigInt(row.current) - BigInt(row.credits),
  "1-30": BigInt(row.d30),
  "31-60": BigInt(row.d60),
  "61-90": BigInt(row.d90),
  "90+": BigInt(row.d90plus),
});

/** Sales per currency in each 30-day slice back from $1 (slice k: issued in ($1 − 30(k+1), $1 − 30k]). */
const SALES_SQL = `
  SELECT "currency", (($1::date - "issueDate") / 30)::int AS "slice", sum("amountMinor")::text AS "amount"
    FROM "Invoice"
   WHERE "issueDate" <= $1::date AND "issueDate" > $1::date - $2::int
   GROUP BY "currency", 2`;

/** Each currency's sums at the end of day D: three aggregate queries, nothing per invoice. */
export async function selectCurrencyFigures(db: Sql, asOf: BusinessDate): Promise<CurrencyFigures[]> {
  const periodStart = addDays(asOf, -PERIOD_DAYS);
  const [atD, atPeriodStart, sales] = await Promise.all([
    db.$queryRawUnsafe<AgingRow[]>(AGING_SQL, asOf),
    db.$queryRawUnsafe<AgingRow[]>(AGING_SQL, periodStart),
    db.$queryRawUnsafe<{ currency: string; slice: number; amount: string }[]>(SALES_SQL, asOf, 30 * COUNTBACK_SLICES),
  ]);
  const figures = new Map<string, CurrencyFigures>();
  const of = (currency: string) => {
    let entry = figures.get(currency);
    if (!entry) {
      entry = {
        currency,
        buckets: emptyBuckets(),
        disputed: 0n,
        sales90: 0n,
        salesSlices: Array.from({ length: COUNTBACK_SLICES }, () => 0n),
        arPeriodStart: 0n,
      };
      figures.set(currency, entry);
    }
    return entry;
  };
  for (const row of atD) {
    const entry = of(row.currency);
    entry.buckets = bucketsOf(row);
    entry.disputed = BigInt(row.disputed);
    entry.sales90 = BigInt(row.sales);
  }
  for (const row of atPeriodStart) {
    of(row.currency).arPeriodStart = [row.current, row.d30, row.d60, row.d90, row.d90plus].reduce((sum, v) => sum + BigInt(v), 0n) - BigInt(row.credits);
  }
  for (const row of sales) of(row.currency).salesSlices[row.slice] = BigInt(row.amount);
  return [...figures.values()];
}

/**
 * What a digest reads of the invoices `ids` names, in one pass over them (`open`, which both
 * parts use, is computed once): `exposures`, per account and currency, the undisputed
 * overdue > 0 and the oldest due date, as `[accountId, externalId, name, tier, currency,
 * amount, oldestDue]` (tens of thousands of rows without their keys repeated in each);
 * `aging`, the `aged` sums of each currency. Sums of separate parts add up.
 */
const digestPart = (ids: InvoiceIds) => `
  WITH ${openInvoices(ids)}, ${AGED}, overdue AS (
    SELECT "accountId", "currency", sum(balance) AS amount, min("dueDate") AS "oldestDue"
      FROM open WHERE NOT disputed AND dpd >= 1 AND balance > 0
     GROUP BY "accountId", "currency"
  )
  SELECT (SELECT COALESCE(json_agg(json_build_array(o."accountId", a."externalId", a."name", a."tier", o."currency", o.amount::text,
                                                    ${dateText('o."oldestDue"')}) ORDER BY o."accountId", o."currency"), '[]')
            FROM overdue o JOIN "Account" a ON a."id" = o."accountId")::text AS "exposures",
         (SELECT COALESCE(json_agg(r), '[]') FROM (SELECT a."currency", ${agedColumns("a")}, '0' AS "credits" FROM aged a) r)::text AS "aging"`;

// Each text built once, at load, as the driver finds it among its prepared statements.
const DIGEST_ALL = digestPart(EVERY_INVOICE);
const DIGEST_FIRST = digestPart(IDS_BELOW);
const DIGEST_MIDDLE = digestPart(IDS_BETWEEN);
const DIGEST_LAST = digestPart(IDS_FROM);

type ExposureTuple = [accountId: number, externalId: string, name: string, tier: string | null, currency: string, amount: string, oldestDue: string];

/** The rest of a digest's sums, from the few rows they read: credits per currency, and each account's disputed invoices issued ≤ $1. */
const DIGEST_REST_SQL = `
  WITH ${CREDITS}, ${disputedAt(EVERY_INVOICE)}
  SELECT (SELECT COALESCE(json_agg(json_build_array("currency", unapplied::text)), '[]') FROM credit)::text AS "credits",
         (SELECT COALESCE(json_agg(json_build_array("accountId", n)), '[]')
            FROM (SELECT i."accountId", count(*)::int AS n FROM "Invoice" i JOIN disputed d ON d."invoiceId" = i."id"
                   WHERE i."issueDate" <= $1::date GROUP BY i."accountId") x)::text AS "disputes"`;

/**
 * The statements and bounds of a digest's `parts` over the invoices: parts of about equal
 * width over the ids there are, the first without a lower end and the last without an upper
 * one, so that together they hold every invoice, an invoice added meanwhile included.
 */
async function digestParts(db: Sql, parts: number): Promise<{ statement: string; bounds: number[] }[]> {
  if (parts <= 1) return [{ statement: DIGEST_ALL, bounds: [] }];
  const [ids] = await db.$queryRawUnsafe<{ low: number | null; high: number | null }[]>(`SELECT min("id") AS "low", max("id") AS "high" FROM "Invoice"`);
  const low = ids?.low ?? 0;
  const width = Math.ceil(((ids?.high ?? 0) - low + 1) / parts);
  const split = (k: number) => low + k * width;
  return Array.from({ length: parts }, (_, k) =>
    k === 0 ? { statement: DIGEST_FIRST, bounds: [split(1)] } : k === parts - 1 ? { statement: DIGEST_LAST, bounds: [split(k)] } : { statement: DIGEST_MIDDLE, bounds: [split(k), split(k + 1)] },
  );
}

/** Promises made by D and the payments on the same account and currency that can count toward them. */
export async function selectPromiseFacts(db: Sql, asOf: BusinessDate): Promise<PromiseFacts> {
  const [promises, payments] = await Promise.all([
    db.$queryRawUnsafe<{ id: number; accountId: number; currency: string; amountMinor: string; createdOn: string; promisedOn: string; cancelledOn: string | null }[]>(
      `SELECT "id", "accountId", "currency", "amountMinor"::text AS "amountMinor", ${dateText('"createdOn"')} AS "createdOn",
              ${dateText('"promisedOn"')} AS "promisedOn", ${dateText('"cancelledOn"')} AS "cancelledOn"
         FROM "PaymentPromise" WHERE "createdOn" <= $1::date ORDER BY "id"`,
      asOf,
    ),
    db.$queryRawUnsafe<{ accountId: number; currency: string; paidOn: string; amountMinor: string }[]>(
      `WITH promised AS (
         SELECT "accountId", "currency", min("createdOn") AS since FROM "PaymentPromise" WHERE "createdOn" <= $1::date GROUP BY "accountId", "currency"
       )
       SELECT i."accountId", i."currency", ${dateText('p."paidOn"')} AS "paidOn", p."amountMinor"::text AS "amountMinor"
         FROM promised g
         JOIN "Invoice" i ON i."accountId" = g."accountId" AND i."currency" = g."currency"
         JOIN "Payment" p ON p."invoiceId" = i."id"
        WHERE p."paidOn" >= g.since AND p."paidOn" <= $1::date
        ORDER BY p."id"`,
      asOf,
    ),
  ]);
  return {
    promises: promises.map((p) => ({ ...p, amountMinor: BigInt(p.amountMinor) })),
    payments: payments.map((p) => ({ ...p, amountMinor: BigInt(p.amountMinor) })),
  };
}

/**
 * A digest's facts at the end of day D: the exposures and each currency's aging from one
 * pass over the invoices, in `parts` ranges of ids summed side by side; beside it the
 * claims, last human activity and open escalations, kept for the exposed accounts only.
 * Instants become business days in `timeZone` here, as the whole-ledger reader does.
 */
export async function selectDigestFacts(db: Sql, asOf: BusinessDate, timeZone: string, parts = 1): Promise<DigestFacts> {
  // The first instant of the next day in the organization's zone: "on or before D" is "before it".
  const endOfDay = dbTimestamp(endOfBusinessDay(asOf, timeZone));
  // Claims with a margin of days either side; ownersAt then reads their exact business days.
  const claimedBefore = dbTimestamp(endOfBusinessDay(addDays(asOf, 2), timeZone));
  const releasedFrom = dbTimestamp(endOfBusinessDay(addDays(asOf, -2), timeZone));
  // All at once rather than the people facts after the exposures: they are small per account,
  // and the ones of accounts without exposure are dropped below, before any object is made.
  const sumParts = async () => {
    const statements = await digestParts(db, parts);
    return Promise.all(statements.map(async ({ statement, bounds }) => (await db.$queryRawUnsafe<{ exposures: string; aging: string }[]>(statement, asOf, ...bounds))[0]!));
  };
  const [sums, [rest], promiseFacts, [claimRows], activity, escalations] = await Promise.all([
    sumParts(),
    db.$queryRawUnsafe<{ credits: string; disputes: string }[]>(DIGEST_REST_SQL, asOf),
    selectPromiseFacts(db, asOf),
    // The claims and their owners' names in one statement, so both see the same claims; a
    // name once per person, not once per claim.
    db.$queryRawUnsafe<{ claims: string; owners: string }[]>(
      `WITH c AS (
         SELECT "id", "accountId", "function", "userId", "claimedAt", "releasedAt" FROM "OwnershipClaim"
          WHERE "claimedAt" < $1::timestamp AND ("releasedAt" IS NULL OR "releasedAt" >= $2::timestamp)
       )
       SELECT (SELECT COALESCE(json_agg(json_build_array(c."accountId", c."function"::text, c."userId", ${instantText('c."claimedAt"')}, ${instantText('c."releasedAt"')})
                        ORDER BY c."id"), '[]') FROM c)::text AS "claims",
              (SELECT COALESCE(json_agg(json_build_array(u."id", COALESCE(u."email", u."handle"))), '[]')
                 FROM "User" u WHERE u."id" IN (SELECT "userId" FROM c))::text AS "owners"`,
      claimedBefore,
      releasedFrom,
    ),
    jsonTuples<[accountId: number, at: string]>(
      db,
      `SELECT json_build_array("accountId", ${instantText('max("at")')}) AS "tuple" FROM "Activity"
        WHERE "human" AND "accountId" IS NOT NULL AND "at" < $1::timestamp GROUP BY "accountId"`,
      endOfDay,
    ),
    db.$queryRawUnsafe<{ accountId: number; level: number; createdAt: string }[]>(
      `SELECT DISTINCT ON ("accountId") "accountId", "level", ${instantText('"createdAt"')} AS "createdAt" FROM "Escalation"
        WHERE "state" <> 'nobody' AND "createdAt" < $1::timestamp AND ("resolvedAt" IS NULL OR "resolvedAt" >= $1::timestamp)
        ORDER BY "accountId", "level" DESC, "createdAt" DESC`,
      endOfDay,
    ),
  ]);
  const disputedInvoices = new Map(JSON.parse(rest!.disputes) as [accountId: number, invoices: number][]);
  const exposures = new Map<number, AccountExposure>();
  // Each part's rows by account and currency; an account with invoices in several parts
  // has its sums added, its oldest due date the earliest.
  for (const part of sums) {
    for (const [accountId, externalId, name, tier, currency, amount, oldestDue] of JSON.parse(part.exposures) as ExposureTuple[]) {
      let exposure = exposures.get(accountId);
      if (!exposure) {
        exposure = { accountId, externalId, name, tier, overdue: new Map<string, bigint>(), maxDaysPastDue: 0, oldestDue, disputedInvoices: disputedInvoices.get(accountId) ?? 0 };
        exposures.set(accountId, exposure);
      }
      exposure.overdue.set(currency, (exposure.overdue.get(currency) ?? 0n) + BigInt(amount));
      if (oldestDue < exposure.oldestDue) exposure.oldestDue = oldestDue;
    }
  }
  // An account's currencies stay in the order its rows came: the views sort them.
  for (const exposure of exposures.values()) exposure.maxDaysPastDue = daysBetween(exposure.oldestDue, asOf);
  const claims = JSON.parse(claimRows!.claims) as [accountId: number, fn: TeamFunction, userId: number, claimedAt: string, releasedAt: string | null][];
  const ownerOf = new Map(JSON.parse(claimRows!.owners) as [userId: number, owner: string][]);
  const dayAt = businessDayReader(timeZone);
  const exposedClaims: RankingFacts["claims"] = [];
  for (const [accountId, fn, userId, claimedAt, releasedAt] of claims) {
    if (!exposures.has(accountId)) continue;
    exposedClaims.push({
      accountId,
      function: fn,
      owner: ownerOf.get(userId)!,
      userId,
      claimedOn: dayAt(claimedAt),
      releasedOn: releasedAt === null ? null : dayAt(releasedAt),
    });
  }
  const lastHumanActivity = new Map<number, BusinessDate>();
  for (const [accountId, at] of activity) if (exposures.has(accountId)) lastHumanActivity.set(accountId, dayAt(at));
  const ranking: RankingFacts = {
    ...promiseFacts,
    exposures: [...exposures.values()],
    claims: exposedClaims,
    lastHumanActivity,
    escalations: new Map(escalations.filter((e) => exposures.has(e.accountId)).map((e) => [e.accountId, { level: e.level, since: dayAt(e.createdAt) }])),
  };
  const currencies = new Map<string, AgingFigures>();
  const figuresOf = (currency: string): AgingFigures => {
    let figures = currencies.get(currency);
    if (!figures) currencies.set(currency, (figures = { currency, buckets: emptyBuckets(), disputed: 0n, sales90: 0n }));
    return figures;
  };
  for (const part of sums) {
    for (const row of JSON.parse(part.aging) as AgingRow[]) {
      const figures = figuresOf(row.currency);
      const buckets = bucketsOf(row);
      for (const bucket of BUCKETS) figures.buckets[bucket] += buckets[bucket];
      figures.disputed += BigInt(row.disputed);
      figures.sales90 += BigInt(row.sales);
    }
  }
  for (const [currency, credits] of JSON.parse(rest!.credits) as [currency: string, credits: string][]) figuresOf(currency).buckets.current -= BigInt(credits);
  return { ranking, currencies: [...currencies.values()] };
}

/** Disputes open at the end of day D, on any invoice, and the day the oldest was opened. */
export async function selectDisputeFacts(db: Sql, asOf: BusinessDate): Promise<DisputeFacts> {
  const [row] = await db.$queryRawUnsafe<{ open: number; oldest: string | null }[]>(
    `SELECT count(*)::int AS "open", ${dateText('min("openedOn")')} AS "oldest" FROM "Dispute"
      WHERE "openedOn" <= $1::date AND ("resolvedOn" IS NULL OR "resolvedOn" > $1::date)`,
    asOf,
  );
  return { open: row?.open ?? 0, oldestOpenedOn: row?.oldest ?? null };
}
