import { BusinessDate } from "../model/business-date";
import { Cell, ImportReport, ImportSource, InvoiceKey, InvoiceRow, RowOrRejection, emptyReport, isCreditType, isNotReceivableStatus, isPaidStatus, isPaymentType, isVoidStatus, recordSignature } from "../model/imports";
import { formatMinor, parseDecimal } from "../model/money";
import { creditRemainingAt, openBalanceAt, staysNonNegativeFrom } from "../policies/open-balance";
import { Clock } from "../ports/clock.port";
import {
  AccountRef,
  CreditFields,
  ImportActor,
  ImportChanges,
  ImportStore,
  InvoiceAsGiven,
  InvoiceFields,
  InvoiceRef,
  StoredAccount,
  StoredCredit,
  StoredInvoice,
  emptyChanges,
} from "../ports/import-store.port";
import { RowRefused, inBatches, pipelined, unique } from "./import-batches";

export interface ImportOptions {
  file: string;
  dryRun: boolean;
  actor: ImportActor;
  onProgress?: (rowsDone: number) => void;
}

interface Deps {
  store: ImportStore;
  clock: Clock;
}

/** Resolves the account a row names: stored, created earlier in this run, or new. */
class AccountResolver {
  /** External ids of the accounts this run creates, kept for the run: a dry run never stores them. */
  private readonly createdIds = new Set<string>();
  private readonly createdByName = new Map<string, string[]>();
  private byId = new Map<string, StoredAccount>();
  private byName = new Map<string, StoredAccount[]>();

  constructor(private readonly store: ImportStore) {}

  /** The stored accounts a batch's rows name; read ahead of the batch, used once it is its turn. */
  async read(rows: InvoiceRow[]): Promise<StoredAccounts> {
    // Loops rather than flatMap: an array per row was a tenth of a re-import's garbage.
    const nameSet = new Set<string>();
    const idSet = new Set<string>();
    for (const r of rows) {
      if (r.accountId) idSet.add(r.accountId.value);
      else if (r.accountName) nameSet.add(r.accountName.value);
    }
    const names = [...nameSet];
    // A name-keyed account is created with its name as id: that id may exist already.
    const ids = unique([...idSet, ...names]);
    const [withIds, withNames] = await Promise.all([this.store.accountsByExternalId(ids), this.store.accountsByName(names)]);
    const byName = new Map<string, StoredAccount[]>();
    for (const account of withNames) {
      const key = account.name.toLowerCase();
      byName.set(key, [...(byName.get(key) ?? []), account]);
    }
    return { byId: new Map(withIds.map((a) => [a.externalId, a])), byName };
  }

  use(stored: StoredAccounts): void {
    this.byId = stored.byId;
    this.byName = stored.byName;
  }

  /** The account a row belongs to, without writing anything yet. */
  lookup(row: InvoiceRow): AccountTarget {
    if (row.accountId) {
      const id = row.accountId.value;
      const known = this.withId(id);
      if (known) return { ref: known, key: id };
      // No name in the file: the id is the name until an accounts file gives one.
      return { ref: { externalId: id }, key: id, create: { name: row.accountName?.value ?? id, unnamed: !row.accountName } };
    }
    const name = row.accountName!;
    const matches = this.withName(name.value);
    if (matches.length > 1) throw new RowRefused(name.column, name.text, "several accounts have this name; add an account id column");
    const known = matches[0] ?? this.withId(name.value);
    if (known) return { ref: known, key: name.value };
    return { ref: { externalId: name.value }, key: name.value, create: { name: name.value } };
  }

  /** Records the creation of a new account once per run. */
  commit(target: AccountTarget, changes: ImportChanges, warnings: string[], line: number): AccountRef {
    if (target.create && !this.createdIds.has(target.key)) {
      if (target.create.unnamed) warnings.push(`line ${line}: new account ${target.key} has no name in this file; created with its id as its name`);
      changes.newAccounts.push({ externalId: target.key, name: target.create.name, segment: null, tier: null, region: null });
      changes.activities.push({ account: target.ref, kind: "account_created", subject: null, before: null, after: { name: target.create.name } });
      this.createdIds.add(target.key);
      const name = target.create.name.toLowerCase();
      this.createdByName.set(name, [...(this.createdByName.get(name) ?? []), target.key]);
    }
    return target.ref;
  }

  private withId(externalId: string): AccountRef | undefined {
    const stored = this.byId.get(externalId);
    if (stored) return { id: stored.id };
    return this.createdIds.has(externalId) ? { externalId } : undefined;
  }

  /** Names match ignoring case, stored or created in this run, as the next run will see them. */
  private withName(name: string): AccountRef[] {
    const stored = this.byName.get(name.toLowerCase()) ?? [];
    // Once a batch is applied, an account this run created is also stored: count it once.
    const created = (this.createdByName.get(name.toLowerCase()) ?? []).filter((id) => !stored.some((a) => a.externalId === id));
    return [...stored.map((a): AccountRef => ({ id: a.id })), ...created.map((externalId): AccountRef => ({ externalId }))];
  }
}

interface StoredAccounts {
  byId: Map<string, StoredAccount>;
  byName: Map<string, StoredAccount[]>;
}

interface AccountTarget {
  ref: AccountRef;
  key: string;
  create?: { name: string; unnamed?: boolean };
}

function sameAccount(ref: AccountRef, invoice: { accountId: number }): boolean {
  return "id" in ref && ref.id === invoice.accountId;
}

/** What a row is, from its status, type and sign. */
type RowKind = "invoice" | "credit" | "draft" | "void";

function kindOf(row: InvoiceRow): RowKind {
  // Each status by itself, without a list of the two: this runs several times for every row.
  const status = row.status && isNotReceivableStatus(row.status.value) ? row.status : row.paymentStatus && isNotReceivableStatus(row.paymentStatus.value) ? row.paymentStatus : null;
  if (status) return isVoidStatus(status.value) ? "void" : "draft";
  if (row.type && (isCreditType(row.type.value) || isPaymentType(row.type.value))) return "credit";
  if (row.amount.value.startsWith("-")) return "credit";
  return "invoice";
}

function decimal(cell: Cell<string>, currency: string): bigint {
  const parsed = parseDecimal(cell.value, currency, ".");
  if (!parsed.ok) throw new RowRefused(cell.column, cell.text, parsed.reason);
  return parsed.minor;
}

function isPaid(row: InvoiceRow): boolean {
  return (!!row.status && isPaidStatus(row.status.value)) || (!!row.paymentStatus && isPaidStatus(row.paymentStatus.value));
}

/** The invoice's amount and the open balance the export gives (null: none given). */
function readMoney(row: InvoiceRow) {
  const currency = row.currency.value;
  const amount = decimal(row.amount, currency);
  if (amount <= 0n) throw new RowRefused(row.amount.column, row.amount.text, "amount must be greater than 0");
  let balance: bigint | null = null;
  if (row.balance) {
    balance = decimal(row.balance, currency);
    if (balance < 0n) throw new RowRefused(row.balance.column, row.balance.text, "a negative balance is a credit, not an open balance");
    if (balance > amount) throw new RowRefused(row.balance.column, row.balance.text, "balance is larger than the invoice amount");
  } else if (row.amountPaid) {
    // Stripe and Xero give what was paid: the balance is the rest.
    const paid = decimal(row.amountPaid, currency);
    if (paid < 0n) throw new RowRefused(row.amountPaid.column, row.amountPaid.text, "amount paid cannot be negative");
    if (paid > amount) throw new RowRefused(row.amountPaid.column, row.amountPaid.text, "amount paid is larger than the invoice amount");
    balance = amount - paid;
  } else if (!row.settledDate && isPaid(row)) {
    balance = 0n;
  }
  return { currency, amountMinor: amount, balanceMinor: balance };
}

function describe(fields: InvoiceFields): Record<string, string> {
  return { amount: formatMinor(fields.amountMinor, fields.currency), currency: fields.currency, issueDate: fields.issueDate, dueDate: fields.dueDate };
}

/** The invoice-level cells of a row, which every line item of one invoice repeats. */
const INVOICE_LEVEL = ["accountId", "accountName", "issueDate", "dueDate", "amount", "balance", "amountPaid", "currency", "status", "paymentStatus", "type", "disputed", "settledDate"] as const;

/**
 * The invoice-level cells as one text, in INVOICE_LEVEL's order. Field by field, not by
 * `row[field]` over the list: made for every row, the lookup by a changing key was most of
 * its cost (50 ms of a re-import of 85 000 rows).
 */
function invoiceLevel(row: InvoiceRow): string {
  return [
    cellText(row.accountId),
    cellText(row.accountName),
    row.issueDate.value,
    cellText(row.dueDate),
    row.amount.value,
    cellText(row.balance),
    cellText(row.amountPaid),
    row.currency.value,
    cellText(row.status),
    cellText(row.paymentStatus),
    cellText(row.type),
    cellText(row.disputed),
    cellText(row.settledDate),
  ].join("\u0001");
}

function cellText(cell: Cell<string | boolean> | null | undefined): string {
  return cell ? String(cell.value) : "";
}

/** The signature of a row that has none (built by hand rather than read from a file). */
const NO_SIGNATURE = recordSignature([]);

interface FirstRow {
  line: number;
  /** Null when the first row was refused. */
  level: string | null;
  signature: number;
}

/**
 * A later row of an invoice already seen: merged when it is another line item with the
 * same invoice-level cells, refused citing both lines otherwise.
 */
function sameInvoiceAs(first: FirstRow, row: InvoiceRow): "merged" {
  if (first.level === null || (row.signature ?? NO_SIGNATURE) === first.signature) {
    throw new RowRefused(row.number.column, row.number.text, `invoice repeated: first on line ${first.line}`);
  }
  const level = invoiceLevel(row);
  if (level === first.level) return "merged";
  const before = first.level.split("\u0001");
  const after = level.split("\u0001");
  const index = INVOICE_LEVEL.findIndex((_, i) => before[i] !== after[i]);
  const cell = row[INVOICE_LEVEL[index]!];
  const column = cell?.column ?? INVOICE_LEVEL[index]!;
  throw new RowRefused(
    column,
    cell?.text ?? "",
    `line items of invoice ${row.number.value} disagree: ${column} is "${before[index]}" on line ${first.line} and "${after[index] ?? ""}" on line ${row.line}`,
  );
}

/**
 * Imports an invoices export (section 6): creates or updates invoices by number, creates
 * unknown accounts that the row names, records the ERP balance as a dated snapshot when it
 * differs from ours, and with `full` closes open invoices the file no longer lists. Report
 * rows, drafts and voided documents are skipped (a voided known invoice is closed); line
 * items of one invoice are merged.
 */
export async function importInvoices(deps: Deps, source: ImportSource<InvoiceRow, InvoiceKey>, options: ImportOptions & { full?: boolean }): Promise<ImportReport> {
  const report = emptyReport("invoices", options.file, options.dryRun);
  report.warnings.push(...source.warnings);
  report.columns = source.headers;
  report.skipped = source.skipped ?? 0;
  report.rows = report.skipped;
  report.credits = { created: 0, updated: 0, unchanged: 0 };
  const today = deps.clock.today();
  const firstRows = new Map<string, FirstRow>();
  const voided = new Set<string>();
  /** The numbers the file names, for `--full` to close the others: kept only then. */
  const listed = options.full ? new Set<string>() : null;
  const accounts = new AccountResolver(deps.store);

  /**
   * What a batch reads before it is decided: its accounts, its invoices compared in the
   * database, the stored invoices of the other rows with their facts, and credit notes.
   */
  const lookups = async (rows: InvoiceRow[]) => {
    // Rows that only state an invoice are compared with it in the database; other rows, and
    // those whose number is stored and not as given, read the stored invoice with its facts
    // and the credit note of their number. A compared number stored nowhere needs neither.
    const given: InvoiceAsGiven[] = [];
    const givenRows: InvoiceRow[] = [];
    const toRead = new Set<string>();
    for (const row of rows) {
      const invoice = asGiven(row);
      if (invoice) {
        given.push(invoice);
        givenRows.push(row);
      } else toRead.add(row.number.value);
    }
    // Independent lookups, made at once.
    const [storedAccounts, compared] = await Promise.all([accounts.read(rows), deps.store.compareInvoices(given)]);
    const same = new Set<InvoiceRow>();
    for (let index = 0; index < compared.length; index++) {
      if (compared[index] === "same") same.add(givenRows[index]!);
      else if (compared[index] === "differs") toRead.add(given[index]!.number);
    }
    // A number stored as an invoice exactly as given has no credit note (compared above).
    const [storedInvoices, storedCredits] = await Promise.all([deps.store.invoicesByNumber([...toRead]), deps.store.creditsByNumber([...toRead])]);
    return { storedAccounts, same, stored: new Map(storedInvoices.map((i) => [i.number, i])), credits: new Map(storedCredits.map((c) => [c.number, c])) };
  };

  // Pipelined (`pipelined`): nothing a batch decides depends on whether the batches before
  // it are written, as accounts they create are known to `accounts` by key and a number seen
  // before is a repeat whatever is stored. A void row is the exception: it closes the stored
  // invoice and leaves its number open to a later row, so a batch holding a void row, or a
  // number a void row of an earlier batch named, makes its lookups once the batch before is
  // written.
  /** Numbers of void rows in the batches looked up so far (in file order). */
  const voidedEarlier = new Set<string>();
  await pipelined(inBatches(source.rows()), {
    look: (batch: RowOrRejection<InvoiceRow, InvoiceKey>[], previousWritten) => {
      const rows: InvoiceRow[] = [];
      for (const item of batch) if ("row" in item) rows.push(item.row);
      const waits = rows.some((row) => kindOf(row) === "void" || voidedEarlier.has(row.number.value));
      for (const row of rows) if (kindOf(row) === "void" && row.number.value !== "") voidedEarlier.add(row.number.value);
      return waits ? previousWritten.then(() => lookups(rows)) : lookups(rows);
    },
    decide: (batch, { storedAccounts, same, stored, credits }) => {
      report.rows += batch.length;
      accounts.use(storedAccounts);
      const changes = emptyChanges();
      // In file order, so that a refused row's number counts as seen from its own line on.
      for (const item of batch) {
        if ("rejection" in item) {
          report.rejected.push(item.rejection);
          if (item.key.number) {
            listed?.add(item.key.number.value);
            if (!firstRows.has(item.key.number.value)) firstRows.set(item.key.number.value, { line: item.rejection.line, level: null, signature: 0 });
          }
          continue;
        }
        const row = item.row;
        const kind = kindOf(row);
        // Drafts and voided documents are no receivables; a voided invoice arbot has open is closed.
        if (kind === "draft" || kind === "void") {
          if (row.number.value !== "") listed?.add(row.number.value);
          if (kind === "void" && row.number.value !== "" && !voided.has(row.number.value)) {
            voided.add(row.number.value);
            report[closeVoided(row, stored.get(row.number.value), changes, today)]++;
          } else report.skipped++;
          continue;
        }
        listed?.add(row.number.value);
        try {
          const first = firstRows.get(row.number.value);
          if (first) {
            report[sameInvoiceAs(first, row)]++;
            continue;
          }
          // Seen from its own line on, even when it is refused below (its level stays null).
          const seen: FirstRow = { line: row.line, level: null, signature: row.signature ?? NO_SIGNATURE };
          firstRows.set(row.number.value, seen);
          if (kind === "credit") {
            if (stored.has(row.number.value)) throw new RowRefused(row.number.column, row.number.text, "an invoice has this number: a credit note needs its own");
            const outcome = applyCredit(row, credits.get(row.number.value), accounts, changes, today, report.warnings);
            report.credits![outcome]++;
          } else {
            if (credits.has(row.number.value)) throw new RowRefused(row.number.column, row.number.text, "a credit note has this number: an invoice needs its own");
            report[applyRow(row, same.has(row) ? SAME : stored.get(row.number.value), accounts, changes, today, report.warnings)]++;
          }
          seen.level = invoiceLevel(row);
        } catch (error) {
          if (!(error instanceof RowRefused)) throw error;
          report.rejected.push({ line: row.line, column: error.column, value: error.value, reason: error.message });
        }
      }
      options.onProgress?.(report.rows);
      return changes;
    },
    write: (changes) => (options.dryRun ? Promise.resolve() : deps.store.apply(changes, options.actor)),
  });

  if (options.full) {
    const changes = emptyChanges();
    report.closed = [];
    for (const invoice of await deps.store.allInvoices()) {
      if (listed!.has(invoice.number)) continue;
      const balance = openBalanceAt(invoice, today);
      if (balance <= 0n) continue;
      report.closed.push(invoice.number);
      changes.snapshots.push({ invoice: { id: invoice.id }, asOf: today, balanceMinor: 0n });
      changes.activities.push({
        account: { id: invoice.accountId },
        kind: "invoice_closed",
        subject: invoice.number,
        before: { balance: formatMinor(balance, invoice.currency) },
        after: { balance: formatMinor(0n, invoice.currency), why: "missing from a --full export" },
      });
    }
    if (!options.dryRun && report.closed.length > 0) await deps.store.apply(changes, options.actor);
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

/** A voided or cancelled invoice that arbot still has open is closed, on its timeline. */
function closeVoided(row: InvoiceRow, existing: StoredInvoice | undefined, changes: ImportChanges, today: BusinessDate): "updated" | "skipped" {
  if (!existing) return "skipped";
  const balance = openBalanceAt(existing, today);
  if (balance <= 0n) return "skipped";
  changes.snapshots.push({ invoice: { id: existing.id }, asOf: today, balanceMinor: 0n });
  changes.activities.push({
    account: { id: existing.accountId },
    kind: "invoice_closed",
    subject: existing.number,
    before: { balance: formatMinor(balance, existing.currency) },
    after: { balance: formatMinor(0n, existing.currency), why: `${(row.status ?? row.paymentStatus)!.value.toLowerCase()} in the export` },
  });
  return "updated";
}

/** The row's invoice is stored exactly as the row gives it (compared in the database). */
const SAME = "same";

/**
 * The invoice a row gives when that is all it says (no balance, payment, settlement or
 * dispute cell, not a credit, draft or void, and an account id): null for any other row.
 */
function asGiven(row: InvoiceRow): InvoiceAsGiven | null {
  if (!row.accountId || !row.dueDate || row.balance || row.amountPaid || row.settledDate || row.disputed || isPaid(row) || kindOf(row) !== "invoice") return null;
  const amount = parseDecimal(row.amount.value, row.currency.value, ".");
  if (!amount.ok) return null;
  return { number: row.number.value, accountExternalId: row.accountId.value, currency: row.currency.value, amountMinor: amount.minor, issueDate: row.issueDate.value, dueDate: row.dueDate.value };
}

function applyRow(
  row: InvoiceRow,
  existing: StoredInvoice | typeof SAME | undefined,
  accounts: AccountResolver,
  changes: ImportChanges,
  today: BusinessDate,
  warnings: string[],
): "created" | "updated" | "unchanged" {
  const money = readMoney(row);
  const dueDate = row.dueDate!;
  if (dueDate.value < row.issueDate.value) throw new RowRefused(dueDate.column, dueDate.text, "due date is before the issue date");
  const fields: InvoiceFields = { currency: money.currency, amountMinor: money.amountMinor, issueDate: row.issueDate.value, dueDate: dueDate.value };
  const number = row.number.value;
  if (row.settledDate) {
    if (row.settledDate.value > today) throw new RowRefused(row.settledDate.column, row.settledDate.text, "settled date is after today");
    if (row.settledDate.value < fields.issueDate) throw new RowRefused(row.settledDate.column, row.settledDate.text, "settled date is before the issue date");
  }

  const target = accounts.lookup(row);
  if (existing === SAME) {
    // Checked as any row is; the account the row names is the invoice's, stored, so nothing is created.
    if (!("id" in target.ref)) throw new Error(`invoice ${number} is stored as given, yet its account ${target.key} is not`);
    return "unchanged";
  }
  if (!existing) {
    const ref = accounts.commit(target, changes, warnings, row.line);
    changes.newInvoices.push({ number, account: ref, ...fields });
    const after = { ...describe(fields), ...(money.balanceMinor !== null ? { balance: formatMinor(money.balanceMinor, fields.currency) } : {}) };
    changes.activities.push({ account: ref, kind: "invoice_added", subject: number, before: null, after });
    if (money.balanceMinor !== null && money.balanceMinor !== money.amountMinor) {
      changes.snapshots.push({ invoice: { number }, asOf: today, balanceMinor: money.balanceMinor });
    }
    if (row.settledDate && money.balanceMinor === null) settle({ number }, ref, number, fields, fields.amountMinor, row.settledDate.value, changes);
    const open = money.balanceMinor ?? (row.settledDate ? 0n : money.amountMinor);
    disputeChange(row, { number }, ref, undefined, open, today, changes);
    return "created";
  }

  const accountChanged = !sameAccount(target.ref, existing);
  const currencyChanged = existing.currency !== fields.currency;
  if ((accountChanged || currencyChanged) && existing.payments.length > 0) {
    const [column, text] = currencyChanged
      ? [row.currency.column, row.currency.text]
      : [row.accountId?.column ?? row.accountName!.column, row.accountId?.text ?? row.accountName!.text];
    throw new RowRefused(column, text, `invoice has payments: its ${currencyChanged ? "currency" : "account"} cannot change`);
  }
  // A lower amount must still cover what was paid, on every day (a later ERP balance can hide it today).
  if (existing.amountMinor !== fields.amountMinor && !staysNonNegativeFrom({ ...existing, ...fields }, fields.issueDate, today)) {
    throw new RowRefused(row.amount.column, row.amount.text, "the invoice has been paid more than this amount; check the export");
  }
  const ref = accounts.commit(target, changes, warnings, row.line);
  const data: Partial<InvoiceFields> = {};
  if (currencyChanged) data.currency = fields.currency;
  if (existing.amountMinor !== fields.amountMinor) data.amountMinor = fields.amountMinor;
  if (existing.issueDate !== fields.issueDate) data.issueDate = fields.issueDate;
  if (existing.dueDate !== fields.dueDate) data.dueDate = fields.dueDate;
  const changed = accountChanged || Object.keys(data).length > 0;
  if (changed) {
    const before = describe(existing);
    const after = describe(fields);
    changes.invoiceUpdates.push({ id: existing.id, ...(accountChanged ? { account: ref } : {}), data });
    changes.activities.push({
      account: ref,
      kind: "invoice_updated",
      subject: number,
      before: accountChanged ? { ...before, account: existing.accountExternalId } : before,
      after: accountChanged ? { ...after, account: row.accountId?.value ?? row.accountName!.value } : after,
    });
  }
  let reported = false;
  if (money.balanceMinor !== null) {
    const ours = openBalanceAt({ ...existing, ...fields }, today);
    if (ours !== money.balanceMinor) {
      reported = true;
      changes.snapshots.push({ invoice: { id: existing.id }, asOf: today, balanceMinor: money.balanceMinor });
      changes.activities.push({
        account: ref,
        kind: "balance_reported",
        subject: number,
        before: { balance: formatMinor(ours, fields.currency) },
        after: { balance: formatMinor(money.balanceMinor, fields.currency) },
      });
    }
  } else if (row.settledDate) {
    const open = openBalanceAt({ ...existing, ...fields }, row.settledDate.value);
    if (open > 0n) {
      settle({ id: existing.id }, ref, number, fields, open, row.settledDate.value, changes);
      reported = true;
    }
  }
  // Only a disputed column needs the balance after this row (most exports have none).
  const disputed = row.disputed
    ? disputeChange(row, { id: existing.id }, ref, existing, money.balanceMinor ?? (row.settledDate ? 0n : openBalanceAt({ ...existing, ...fields }, today)), today, changes)
    : false;
  return changed || reported || disputed ? "updated" : "unchanged";
}

/** A settled date: the invoice was paid in full that day, recorded as a payment. */
function settle(invoice: InvoiceRef, account: AccountRef, number: string, fields: InvoiceFields, amountMinor: bigint, paidOn: BusinessDate, changes: ImportChanges): void {
  changes.settlements.push({ invoice, identity: `settled|${number}|${paidOn}`, paidOn, amountMinor, currency: fields.currency });
  changes.activities.push({ account, kind: "payment_received", subject: number, before: null, after: { amount: formatMinor(amountMinor, fields.currency), currency: fields.currency, paidOn, reference: null, why: "settled date in the export" } });
}

function describeCredit(fields: CreditFields, remaining: bigint): Record<string, string> {
  return { amount: formatMinor(fields.amountMinor, fields.currency), currency: fields.currency, issueDate: fields.issueDate, unapplied: formatMinor(remaining, fields.currency) };
}

/**
 * A credit note (a negative amount, or a type naming a credit): stored as a credit on the
 * account, its unapplied part lowering AR in the `current` bucket (section 7). The sign the
 * export writes does not matter; the unapplied part comes from the balance column, else
 * amount − amount paid (applied), else zero for a paid/fully applied status, else the whole.
 */
function applyCredit(
  row: InvoiceRow,
  existing: StoredCredit | undefined,
  accounts: AccountResolver,
  changes: ImportChanges,
  today: BusinessDate,
  warnings: string[],
): "created" | "updated" | "unchanged" {
  const currency = row.currency.value;
  const abs = (value: bigint) => (value < 0n ? -value : value);
  const amountMinor = abs(decimal(row.amount, currency));
  if (amountMinor === 0n) throw new RowRefused(row.amount.column, row.amount.text, "a credit note of 0 credits nothing");
  let remaining = amountMinor;
  if (row.balance) remaining = abs(decimal(row.balance, currency));
  else if (row.amountPaid) remaining = amountMinor - abs(decimal(row.amountPaid, currency));
  else if (isPaid(row)) remaining = 0n;
  if (remaining < 0n || remaining > amountMinor) {
    const cell = row.balance ?? row.amountPaid!;
    throw new RowRefused(cell.column, cell.text, "the unapplied part is larger than the credit note");
  }
  const fields: CreditFields = { currency, amountMinor, issueDate: row.issueDate.value };
  const number = row.number.value;
  const target = accounts.lookup(row);
  const ref = accounts.commit(target, changes, warnings, row.line);
  if (!existing) {
    changes.newCredits.push({ number, account: ref, ...fields });
    if (remaining !== amountMinor) changes.creditBalances.push({ credit: { number }, asOf: today, remainingMinor: remaining });
    changes.activities.push({ account: ref, kind: "credit_added", subject: number, before: null, after: describeCredit(fields, remaining) });
    return "created";
  }
  const accountChanged = !sameAccount(target.ref, existing);
  const data: Partial<CreditFields> = {};
  if (existing.currency !== fields.currency) data.currency = fields.currency;
  if (existing.amountMinor !== fields.amountMinor) data.amountMinor = fields.amountMinor;
  if (existing.issueDate !== fields.issueDate) data.issueDate = fields.issueDate;
  const ours = creditRemainingAt({ ...existing, ...fields }, today);
  if (!accountChanged && Object.keys(data).length === 0 && ours === remaining) return "unchanged";
  if (accountChanged || Object.keys(data).length > 0) changes.creditUpdates.push({ id: existing.id, ...(accountChanged ? { account: ref } : {}), data });
  if (ours !== remaining) changes.creditBalances.push({ credit: { id: existing.id }, asOf: today, remainingMinor: remaining });
  changes.activities.push({
    account: ref,
    kind: "credit_updated",
    subject: number,
    before: describeCredit(existing, creditRemainingAt(existing, today)),
    after: describeCredit(fields, remaining),
  });
  return "updated";
}

/**
 * A disputed column: yes opens a dispute from the import day on an invoice with something
 * open and no dispute yet; no clears a dispute an import opened (one a person opened in
 * chat stays until a person resolves it).
 */
function disputeChange(row: InvoiceRow, invoice: InvoiceRef, account: AccountRef, existing: StoredInvoice | undefined, open: bigint, today: BusinessDate, changes: ImportChanges): boolean {
  if (!row.disputed) return false;
  const current = existing?.disputes.find((d) => d.resolvedOn === null);
  if (row.disputed.value) {
    if (current || open <= 0n) return false;
    changes.disputes.push({ invoice, account, open: true, on: today });
    changes.activities.push({ account, kind: "dispute_opened", subject: row.number.value, before: null, after: { reason: "disputed in the ERP export", by: "import" } });
    return true;
  }
  if (!current?.byImport) return false;
  changes.disputes.push({ invoice, account, open: false, on: today });
  changes.activities.push({ account, kind: "dispute_resolved", subject: row.number.value, before: null, after: { by: "import", why: "no longer disputed in the ERP export" } });
  return true;
}
