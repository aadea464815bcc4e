import { BusinessDate } from "../../domain/model/business-date";
import { IMPORT_USER_ID, Ledger, LedgerInvoice } from "../../domain/model/ledger";
import { TeamFunction } from "../../domain/model/team";
import { businessDayReader } from "./dates";
import { Sql, dateText, instantText } from "./sql-rows";

/** One row per fact as a JSON array (positional: a fraction of the text of an object per row). */
type AccountRow = [id: number, externalId: string, name: string, tier: string | null];
type InvoiceRow = [id: number, number: string, accountId: number, currency: string, amountMinor: string, issueDate: string, dueDate: string];
type SnapshotRow = [invoiceId: number, asOf: string, balanceMinor: string];
type PaymentRow = [invoiceId: number, paidOn: string, amountMinor: string];
type DisputeRow = [invoiceId: number, openedOn: string, resolvedOn: string | null, openedById: number];
type ClaimRow = [accountId: number, fn: string, owner: string, userId: number, claimedAt: string, releasedAt: string | null];
type PromiseRow = [id: number, accountId: number, currency: string, amountMinor: string, createdOn: string, promisedOn: string, cancelledOn: string | null];
type ActivityRow = [accountId: number, at: string];

interface Rows {
  accounts: AccountRow[];
  invoices: InvoiceRow[];
  snapshots: SnapshotRow[];
  payments: PaymentRow[];
  disputes: DisputeRow[];
  claims: ClaimRow[];
  promises: PromiseRow[];
  activity: ActivityRow[];
}

/**
 * Rows of the accounts' invoices, by `= ANY` of their ids: a join on the invoice would let
 * PostgreSQL's planner hash a scan of the whole table for every group (four times slower at
 * 50 000 accounts) where the ids use the `invoiceId` index.
 */
const OF_INVOICES = `WHERE x."invoiceId" = ANY(ARRAY(SELECT "id" FROM inv))`;

/** `json_agg` of one table's rows, `[]` when there are none. */
function rows(select: string, from: string, orderBy?: string): string {
  return `(SELECT COALESCE(json_agg(json_build_array(${select})${orderBy ? ` ORDER BY ${orderBy}` : ""}), '[]'::json) FROM ${from})`;
}

/**
 * The ledger of some accounts, as the whole-ledger reader (`PrismaLedgerReader.loadLedger`)
 * builds it for every account and in the same orders (invoices, payments, claims and
 * promises by id), in one statement whose result is one JSON text: the escalation sweep
 * reads the portfolio a few thousand accounts at a time, and per row Prisma's model calls
 * and raw-query mapping cost far more than `JSON.parse`. Credit notes and escalations are
 * left out (the sweep reads neither). Instants become business days here, in JS.
 */
export async function selectAccountLedger(db: Sql, accountIds: readonly number[], timeZone: string): Promise<Ledger> {
  const sql = `WITH inv AS (SELECT "id" FROM "Invoice" WHERE "accountId" = ANY($1::int[]))
  SELECT json_build_object(
    'accounts', ${rows(`x."id", x."externalId", x."name", x."tier"`, `"Account" x WHERE x."id" = ANY($1::int[])`, `x."id"`)},
    'invoices', ${rows(
      `x."id", x."number", x."accountId", x."currency", x."amountMinor"::text, ${dateText('x."issueDate"')}, ${dateText('x."dueDate"')}`,
      `"Invoice" x WHERE x."accountId" = ANY($1::int[])`,
      `x."id"`,
    )},
    'snapshots', ${rows(`x."invoiceId", ${dateText('x."asOf"')}, x."balanceMinor"::text`, `"BalanceSnapshot" x ${OF_INVOICES}`)},
    'payments', ${rows(`x."invoiceId", ${dateText('x."paidOn"')}, x."amountMinor"::text`, `"Payment" x ${OF_INVOICES}`, `x."id"`)},
    'disputes', ${rows(`x."invoiceId", ${dateText('x."openedOn"')}, ${dateText('x."resolvedOn"')}, x."openedById"`, `"Dispute" x ${OF_INVOICES}`, `x."id"`)},
    'claims', ${rows(
      `x."accountId", x."function"::text, COALESCE(u."email", u."handle"), x."userId", ${instantText('x."claimedAt"')}, ${instantText('x."releasedAt"')}`,
      `"OwnershipClaim" x JOIN "User" u ON u."id" = x."userId" WHERE x."accountId" = ANY($1::int[])`,
      `x."id"`,
    )},
    'promises', ${rows(
      `x."id", x."accountId", x."currency", x."amountMinor"::text, ${dateText('x."createdOn"')}, ${dateText('x."promisedOn"')}, ${dateText('x."cancelledOn"')}`,
      `"PaymentPromise" x WHERE x."accountId" = ANY($1::int[])`,
      `x."id"`,
    )},
    'activity', ${rows(`x."accountId", ${instantText('x."at"')}`, `"Activity" x WHERE x."human" AND x."accountId" = ANY($1::int[])`)}
  )::text AS "ledger"`;
  const [row] = await db.$queryRawUnsafe<{ ledger: string }[]>(sql, [...accountIds]);
  const r = JSON.parse(row!.ledger) as Rows;

  const byId = new Map<number, LedgerInvoice>();
  for (const [id, number, accountId, currency, amountMinor, issueDate, dueDate] of r.invoices) {
    byId.set(id, { id, number, accountId, currency, amountMinor: BigInt(amountMinor), issueDate, dueDate, snapshots: [], payments: [], disputes: [] });
  }
  for (const [invoiceId, asOf, balanceMinor] of r.snapshots) byId.get(invoiceId)?.snapshots.push({ asOf, balanceMinor: BigInt(balanceMinor) });
  for (const [invoiceId, paidOn, amountMinor] of r.payments) byId.get(invoiceId)?.payments.push({ paidOn, amountMinor: BigInt(amountMinor) });
  for (const [invoiceId, openedOn, resolvedOn, openedById] of r.disputes) {
    byId.get(invoiceId)?.disputes.push({ openedOn, resolvedOn, ...(openedById === IMPORT_USER_ID ? { byImport: true } : {}) });
  }
  const dayAt = businessDayReader(timeZone);
  const humanActivityDays = new Map<number, BusinessDate[]>();
  for (const [accountId, at] of r.activity) {
    const list = humanActivityDays.get(accountId);
    if (list) list.push(dayAt(at));
    else humanActivityDays.set(accountId, [dayAt(at)]);
  }
  return {
    accounts: r.accounts.map(([id, externalId, name, tier]) => ({ id, externalId, name, tier })),
    invoices: [...byId.values()],
    claims: r.claims.map(([accountId, fn, owner, userId, claimedAt, releasedAt]) => ({
      accountId,
      function: fn as TeamFunction,
      owner,
      userId,
      claimedOn: dayAt(claimedAt),
      releasedOn: releasedAt === null ? null : dayAt(releasedAt),
    })),
    promises: r.promises.map(([id, accountId, currency, amountMinor, createdOn, promisedOn, cancelledOn]) => ({
      id,
      accountId,
      currency,
      amountMinor: BigInt(amountMinor),
      createdOn,
      promisedOn,
      cancelledOn,
    })),
    humanActivityDays,
  };
}
