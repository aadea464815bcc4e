import { IMPORT_USER_ID, LedgerCredit, LedgerInvoice } from "../../domain/model/ledger";
import { Role, TeamFunction } from "../../domain/model/team";
import { AccountCardFacts, AccountFacts, ClaimRecord, DisputeRecord, TimelineEntry } from "../../domain/ports/workspace.port";
import { Sql, dateText } from "./sql-rows";

/**
 * One account's facts as JSON built by PostgreSQL, each part a scalar subquery on the account
 * id (`id`: `$1`, or a subquery that finds it): the account card is one raw statement instead
 * of a dozen Prisma calls, whose query compiler, not the database, was most of a card's cost
 * under load. BigInts travel as text, dates as `YYYY-MM-DD`, instants as the UTC wall clock
 * of a `TIMESTAMP(3)`.
 */
const list = (element: string, from: string, order: string) => `(SELECT coalesce(json_agg(${element} ORDER BY ${order}), '[]'::json) ${from})`;

const INVOICES = (id: string) =>
  list(
  `json_build_object('id', i."id", 'number', i."number", 'accountId', i."accountId", 'currency', i."currency", 'amountMinor', i."amountMinor"::text,
     'issueDate', ${dateText('i."issueDate"')}, 'dueDate', ${dateText('i."dueDate"')},
     'snapshots', ${list(`json_build_object('asOf', ${dateText('s."asOf"')}, 'balanceMinor', s."balanceMinor"::text)`, `FROM "BalanceSnapshot" s WHERE s."invoiceId" = i."id"`, 's."asOf"')},
     'payments', ${list(`json_build_object('paidOn', ${dateText('p."paidOn"')}, 'amountMinor', p."amountMinor"::text)`, `FROM "Payment" p WHERE p."invoiceId" = i."id"`, 'p."id"')},
     'disputes', ${list(
       `json_build_object('openedOn', ${dateText('d."openedOn"')}, 'resolvedOn', ${dateText('d."resolvedOn"')}, 'openedById', d."openedById")`,
       `FROM "Dispute" d WHERE d."invoiceId" = i."id"`,
       'd."id"',
     )})`,
  `FROM "Invoice" i WHERE i."accountId" = ${id}`,
  'i."id"',
);

const PROMISES = (id: string) =>
  list(
  `json_build_object('id', p."id", 'accountId', p."accountId", 'userId', p."userId", 'currency', p."currency", 'amountMinor', p."amountMinor"::text,
     'createdOn', ${dateText('p."createdOn"')}, 'promisedOn', ${dateText('p."promisedOn"')}, 'cancelledOn', ${dateText('p."cancelledOn"')})`,
  `FROM "PaymentPromise" p WHERE p."accountId" = ${id}`,
  'p."id"',
);

const CREDITS = (id: string) =>
  list(
  `json_build_object('id', c."id", 'number', c."number", 'accountId', c."accountId", 'currency', c."currency", 'amountMinor', c."amountMinor"::text,
     'issueDate', ${dateText('c."issueDate"')},
     'balances', ${list(`json_build_object('asOf', ${dateText('b."asOf"')}, 'remainingMinor', b."remainingMinor"::text)`, `FROM "CreditBalance" b WHERE b."creditNoteId" = c."id"`, 'b."asOf"')})`,
  `FROM "CreditNote" c WHERE c."accountId" = ${id}`,
  'c."id"',
);

const USER = `json_build_object('id', u."id", 'handle', u."handle", 'email', u."email", 'displayName', u."displayName", 'role', u."role")`;

/** Active claims, by function in the enum's order (as Prisma's `orderBy: { function }`). */
const CLAIMS = (id: string) =>
  list(
  `json_build_object('id', c."id", 'accountId', c."accountId", 'function', c."function", 'user', ${USER}, 'claimedAt', c."claimedAt", 'source', c."source")`,
  `FROM "OwnershipClaim" c JOIN "User" u ON u."id" = c."userId" WHERE c."accountId" = ${id} AND c."releasedAt" IS NULL`,
  'c."function", c."id"',
);

const OPEN_DISPUTES = (id: string) =>
  list(
  `json_build_object('id', d."id", 'invoiceId', d."invoiceId", 'invoiceNumber', i."number", 'accountId', d."accountId", 'reason', d."reason",
     'openedById', d."openedById", 'opener', coalesce(u."email", u."handle"), 'openedAt', d."openedAt", 'openedOn', ${dateText('d."openedOn"')})`,
  `FROM "Dispute" d JOIN "Invoice" i ON i."id" = d."invoiceId" LEFT JOIN "User" u ON u."id" = d."openedById" WHERE d."accountId" = ${id} AND d."resolvedAt" IS NULL`,
  'd."openedAt", d."id"',
);

/** One page of the timeline, newest first: `$2` entries after skipping `$3`. */
const TIMELINE = (id: string) => `(SELECT coalesce(json_agg(json_build_object('at', a."at", 'actor', a."actor", 'platform', a."platform", 'kind', a."kind", 'subject', a."subject", 'before', a."before", 'after', a."after") ORDER BY a."at" DESC, a."id" DESC), '[]'::json)
   FROM (SELECT * FROM "Activity" WHERE "accountId" = ${id} ORDER BY "at" DESC, "id" DESC LIMIT $2::int OFFSET $3::int) a)`;

const TIMELINE_TOTAL = (id: string) => `(SELECT count(*)::int FROM "Activity" WHERE "accountId" = ${id})`;

const FACTS = (id: string) => `${INVOICES(id)}::text AS "invoices", ${PROMISES(id)}::text AS "promises", ${CREDITS(id)}::text AS "credits"`;

type Row<K extends string> = Record<K, string>;

/** A `TIMESTAMP(3)` read through JSON: the UTC wall clock, no offset. */
const instant = (value: string) => new Date(`${value}Z`);

interface InvoiceJson extends Omit<LedgerInvoice, "amountMinor" | "snapshots" | "payments" | "disputes"> {
  amountMinor: string;
  snapshots: { asOf: string; balanceMinor: string }[];
  payments: { paidOn: string; amountMinor: string }[];
  disputes: { openedOn: string; resolvedOn: string | null; openedById: number }[];
}

function toFacts(row: Row<"invoices" | "promises" | "credits">): AccountFacts {
  const invoices = (JSON.parse(row.invoices) as InvoiceJson[]).map(
    (i): LedgerInvoice => ({
      ...i,
      amountMinor: BigInt(i.amountMinor),
      snapshots: i.snapshots.map((s) => ({ asOf: s.asOf, balanceMinor: BigInt(s.balanceMinor) })),
      payments: i.payments.map((p) => ({ paidOn: p.paidOn, amountMinor: BigInt(p.amountMinor) })),
      disputes: i.disputes.map((d) => ({ openedOn: d.openedOn, resolvedOn: d.resolvedOn, ...(d.openedById === IMPORT_USER_ID ? { byImport: true } : {}) })),
    }),
  );
  const promises = (JSON.parse(row.promises) as (Omit<AccountFacts["promises"][number], "amountMinor"> & { amountMinor: string })[]).map((p) => ({ ...p, amountMinor: BigInt(p.amountMinor) }));
  const credits = (JSON.parse(row.credits) as (Omit<LedgerCredit, "amountMinor" | "balances"> & { amountMinor: string; balances: { asOf: string; remainingMinor: string }[] })[]).map(
    (c): LedgerCredit => ({ ...c, amountMinor: BigInt(c.amountMinor), balances: c.balances.map((b) => ({ asOf: b.asOf, remainingMinor: BigInt(b.remainingMinor) })) }),
  );
  return { invoices, promises, credits };
}

function toClaims(text: string): ClaimRecord[] {
  type Json = Omit<ClaimRecord, "claimedAt" | "function" | "user"> & { function: string; claimedAt: string; user: ClaimRecord["user"] & { role: string } };
  return (JSON.parse(text) as Json[]).map((c) => ({ ...c, function: c.function as TeamFunction, user: { ...c.user, role: c.user.role as Role }, claimedAt: instant(c.claimedAt) }));
}

function toDisputes(text: string): DisputeRecord[] {
  type Json = Omit<DisputeRecord, "openedAt" | "openedBy"> & { openedAt: string; openedById: number; opener: string | null };
  return (JSON.parse(text) as Json[]).map(({ openedById, opener, ...d }) => ({
    ...d,
    openedBy: openedById === IMPORT_USER_ID ? "the ERP export" : opener ?? "someone",
    openedAt: instant(d.openedAt),
  }));
}

function toTimeline(text: string): TimelineEntry[] {
  return (JSON.parse(text) as (Omit<TimelineEntry, "at"> & { at: string })[]).map((a) => ({ ...a, at: instant(a.at) }));
}

// Whole statements built once: each request passes the same text, which the driver finds
// among its prepared statements without hashing kilobytes of a string made anew.
const FACTS_SQL = `SELECT ${FACTS("$1")}`;
const CLAIMS_SQL = `SELECT ${CLAIMS("$1")}::text AS "claims"`;
/** The card's parts; `$2` and `$3` are the timeline's page. */
const CARD = (id: string) =>
  `${FACTS(id)}, ${CLAIMS(id)}::text AS "claims", ${OPEN_DISPUTES(id)}::text AS "disputes", ${TIMELINE(id)}::text AS "timeline", ${TIMELINE_TOTAL(id)} AS "total"`;
const CARD_SQL = `SELECT ${CARD("$1")}`;

type CardKey = "invoices" | "promises" | "credits" | "claims" | "disputes" | "timeline" | "total";
type CardRow = Row<CardKey>;

async function one<K extends string>(db: Sql, statement: string, ...args: unknown[]): Promise<Row<K>> {
  const [row] = await db.$queryRawUnsafe<Row<K>[]>(statement, ...args);
  return row!;
}

function toCard(row: CardRow): AccountCardFacts {
  return { ...toFacts(row), claims: toClaims(row.claims), disputes: toDisputes(row.disputes), timeline: toTimeline(row.timeline), timelineTotal: Number(row.total) };
}

/** The account's invoices (with snapshots, payments, disputes), promises and credit notes. */
export async function selectAccountFacts(db: Sql, accountId: number): Promise<AccountFacts> {
  return toFacts(await one(db, FACTS_SQL, accountId));
}

export async function selectActiveClaims(db: Sql, accountId: number): Promise<ClaimRecord[]> {
  return toClaims((await one<"claims">(db, CLAIMS_SQL, accountId)).claims);
}

/** Everything an account card shows, in one statement. */
export async function selectAccountCard(db: Sql, accountId: number, timeline: { limit: number; offset: number }): Promise<AccountCardFacts> {
  return toCard(await one(db, CARD_SQL, accountId, timeline.limit, timeline.offset));
}

/**
 * A statement that finds accounts and reads the card of the one it finds: `columns` of the
 * accounts `where` names (on `$1`, ordered by name then id, at most `$4`), and the card's
 * parts (page `$2`, `$3`) of the only one, when there is only one. A card asked for by
 * customer id is then one round trip, not two. Build it once, at load.
 */
export function cardOfMatchStatement(columns: string, where: string): string {
  const only = `(SELECT "id" FROM named WHERE (SELECT count(*) FROM named) = 1)`;
  return `WITH named AS (SELECT ${columns} FROM "Account" WHERE ${where} ORDER BY "name", "id" LIMIT $4::int)
    SELECT (SELECT coalesce(json_agg(named ORDER BY named."name", named."id"), '[]'::json) FROM named)::text AS "named", ${CARD(only)}`;
}

/** The accounts a `cardOfMatchStatement` found, and the card when it found one. */
export async function selectCardOfMatch<A>(
  db: Sql,
  statement: string,
  query: string,
  limit: number,
  timeline: { limit: number; offset: number },
): Promise<{ matches: A[]; card: AccountCardFacts | null }> {
  const row = await one<CardKey | "named">(db, statement, query, timeline.limit, timeline.offset, limit);
  const matches = JSON.parse(row.named) as A[];
  return { matches, card: matches.length === 1 ? toCard(row) : null };
}
