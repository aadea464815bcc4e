import { IMPORT_USER_ID, LedgerCredit } from "../../domain/model/ledger";
import { StoredInvoice } from "../../domain/ports/import-store.port";
import { Sql, dateText } from "./sql-rows";

/** Which invoices or credit notes: by number, or all of them. */
export type LedgerScope = { numbers: string[] } | "all";

interface InvoiceRow {
  id: number;
  number: string;
  accountId: number;
  accountExternalId: string;
  currency: string;
  amountMinor: bigint;
  issueDate: string;
  dueDate: string;
}

/**
 * Invoices with their snapshots, payments and disputes in four flat queries by `= ANY`,
 * joined in memory: what an import checks each batch against.
 */
export async function selectInvoices(db: Sql, scope: LedgerScope): Promise<StoredInvoice[]> {
  const columns = `i."id", i."number", i."accountId", a."externalId" AS "accountExternalId", i."currency", i."amountMinor",
            ${dateText('i."issueDate"')} AS "issueDate", ${dateText('i."dueDate"')} AS "dueDate"`;
  // By number: one unique-index probe per number, then the account by its key. Written so
  // that the plan does not depend on statistics: on tables not analyzed since an import
  // filled them (autovacuum off, or not yet run) `= ANY` over the join planned sequential
  // scans of both tables, 20 ms per batch of 1 000 numbers and growing with the ledger.
  const invoices =
    scope === "all"
      ? await db.$queryRawUnsafe<InvoiceRow[]>(`SELECT ${columns} FROM "Invoice" i JOIN "Account" a ON a."id" = i."accountId" ORDER BY i."id"`)
      : await db.$queryRawUnsafe<InvoiceRow[]>(
          `SELECT ${columns}
             FROM (SELECT DISTINCT n FROM unnest($1::text[]) AS n) k
             CROSS JOIN LATERAL (SELECT * FROM "Invoice" WHERE "number" = k.n OFFSET 0) i
             CROSS JOIN LATERAL (SELECT "externalId" FROM "Account" WHERE "id" = i."accountId" OFFSET 0) a
            ORDER BY i."id"`,
          scope.numbers,
        );
  if (invoices.length === 0) return [];
  const byId = new Map<number, StoredInvoice>();
  // Field by field: a spread of the driver's row objects was a third of a re-import's time here.
  for (const i of invoices) {
    byId.set(i.id, {
      id: i.id,
      number: i.number,
      accountId: i.accountId,
      accountExternalId: i.accountExternalId,
      currency: i.currency,
      amountMinor: i.amountMinor,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      snapshots: [],
      payments: [],
      disputes: [],
    });
  }
  // Facts of the invoices just read: by id when scoped, so each query uses its invoice index.
  // The range (implied by the list) is what makes PostgreSQL use that index on a table
  // without statistics: for = ANY alone it scanned the whole table (12 ms a batch against
  // 1.4 ms at 60 000 payments). A batch's invoices are mostly neighbours by id.
  const ofInvoices = scope === "all" ? "" : `WHERE "invoiceId" = ANY($1::int[]) AND "invoiceId" BETWEEN $2::int AND $3::int`;
  const ids = scope === "all" ? [] : factsArgs([...byId.keys()]);
  // Independent reads: concurrent on PostgreSQL's pool (PGlite runs them one after another).
  const [snapshots, payments, disputes] = await Promise.all([
    db.$queryRawUnsafe<{ invoiceId: number; asOf: string; balanceMinor: bigint }[]>(
      `SELECT "invoiceId", ${dateText('"asOf"')} AS "asOf", "balanceMinor" FROM "BalanceSnapshot" ${ofInvoices}`,
      ...ids,
    ),
    // In id order, sorted here: ORDER BY "id" made PostgreSQL walk the whole primary key
    // filtering by invoice when the table had no statistics yet (35 ms a batch at 60 000 payments).
    db.$queryRawUnsafe<{ id: number; invoiceId: number; identity: string; paidOn: string; amountMinor: bigint }[]>(
      `SELECT "id", "invoiceId", "identity", ${dateText('"paidOn"')} AS "paidOn", "amountMinor" FROM "Payment" ${ofInvoices}`,
      ...ids,
    ).then(byIdOrder),
    db.$queryRawUnsafe<{ id: number; invoiceId: number; openedOn: string; resolvedOn: string | null; openedById: number }[]>(
      `SELECT "id", "invoiceId", ${dateText('"openedOn"')} AS "openedOn", ${dateText('"resolvedOn"')} AS "resolvedOn", "openedById" FROM "Dispute" ${ofInvoices}`,
      ...ids,
    ).then(byIdOrder),
  ]);
  for (const s of snapshots) byId.get(s.invoiceId)?.snapshots.push({ asOf: s.asOf, balanceMinor: s.balanceMinor });
  for (const p of payments) byId.get(p.invoiceId)?.payments.push({ identity: p.identity, paidOn: p.paidOn, amountMinor: p.amountMinor });
  for (const d of disputes) {
    byId.get(d.invoiceId)?.disputes.push({ openedOn: d.openedOn, resolvedOn: d.resolvedOn, ...(d.openedById === IMPORT_USER_ID ? { byImport: true } : {}) });
  }
  return [...byId.values()];
}

function factsArgs(ids: number[]): [number[], number, number] {
  let low = ids[0]!;
  let high = ids[0]!;
  for (const id of ids) {
    if (id < low) low = id;
    if (id > high) high = id;
  }
  return [ids, low, high];
}

function byIdOrder<Row extends { id: number }>(rows: Row[]): Row[] {
  return rows.sort((a, b) => a.id - b.id);
}

/** Credit notes by number with the unapplied part reported on each import day, and their account's external id. */
export async function selectCredits(db: Sql, numbers: string[]): Promise<(LedgerCredit & { accountExternalId: string })[]> {
  const credits = await db.$queryRawUnsafe<(Omit<LedgerCredit, "balances"> & { accountExternalId: string })[]>(
    `SELECT c."id", c."number", c."accountId", a."externalId" AS "accountExternalId", c."currency", c."amountMinor", ${dateText('c."issueDate"')} AS "issueDate"
       FROM "CreditNote" c JOIN "Account" a ON a."id" = c."accountId" WHERE c."number" = ANY($1::text[]) ORDER BY c."id"`,
    numbers,
  );
  if (credits.length === 0) return [];
  const byId = new Map(credits.map((c) => [c.id, { ...c, balances: [] as LedgerCredit["balances"] }]));
  const balances = await db.$queryRawUnsafe<{ creditNoteId: number; asOf: string; remainingMinor: bigint }[]>(
    `SELECT "creditNoteId", ${dateText('"asOf"')} AS "asOf", "remainingMinor" FROM "CreditBalance" WHERE "creditNoteId" = ANY($1::int[])`,
    [...byId.keys()],
  );
  for (const b of balances) byId.get(b.creditNoteId)?.balances.push({ asOf: b.asOf, remainingMinor: b.remainingMinor });
  return [...byId.values()];
}
