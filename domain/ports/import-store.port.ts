import { ImportKind } from "../model/imports";
import { BusinessDate } from "../model/business-date";
import { LedgerCredit, LedgerInvoice, LedgerPayment } from "../model/ledger";
import { Role, TeamFunction } from "../model/team";

export interface StoredAccount {
  id: number;
  externalId: string;
  name: string;
  segment: string | null;
  tier: string | null;
  region: string | null;
}

export interface StoredInvoice extends LedgerInvoice {
  accountExternalId: string;
  payments: StoredInvoicePayment[];
}

/** A payment of a stored invoice, with the identity that says which file row it is (section 6). */
export interface StoredInvoicePayment extends LedgerPayment {
  identity: string;
}

export interface StoredCredit extends LedgerCredit {
  accountExternalId: string;
}

export type CreditRef = { id: number } | { number: string };
export type CreditFields = { currency: string; amountMinor: bigint; issueDate: BusinessDate };

export interface StoredClaim {
  id: number;
  accountId: number;
  function: TeamFunction;
  userId: number;
  userEmail: string | null;
  userHandle: string;
  /** `chat` or `import`. */
  source: string;
}

/** An account already stored, or one created earlier in the same change set by its key. */
export type AccountRef = { id: number } | { externalId: string };
export type InvoiceRef = { id: number } | { number: string };

export type AccountFields = { name: string; segment: string | null; tier: string | null; region: string | null };
export type InvoiceFields = { currency: string; amountMinor: bigint; issueDate: BusinessDate; dueDate: BusinessDate };

export interface ActivityDraft {
  account: AccountRef | null;
  kind: string;
  subject: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Everything one batch of an import writes, applied in one transaction. */
export interface ImportChanges {
  newAccounts: ({ externalId: string } & AccountFields)[];
  /** `externalId`: a name-keyed account adopting the id an accounts file gives it. */
  accountUpdates: { id: number; data: Partial<AccountFields & { externalId: string }> }[];
  newUsers: { email: string; role: Role }[];
  claims: { account: AccountRef; function: TeamFunction; userEmail: string; replacesClaimId: number | null }[];
  newInvoices: ({ number: string; account: AccountRef } & InvoiceFields)[];
  invoiceUpdates: { id: number; account?: AccountRef; data: Partial<InvoiceFields> }[];
  snapshots: { invoice: InvoiceRef; asOf: BusinessDate; balanceMinor: bigint }[];
  newPayments: { invoiceId: number; identity: string; reference: string | null; paidOn: BusinessDate; amountMinor: bigint; currency: string }[];
  newCredits: ({ number: string; account: AccountRef } & CreditFields)[];
  creditUpdates: { id: number; account?: AccountRef; data: Partial<CreditFields> }[];
  /** The unapplied part of a credit the ERP reports on the import day. */
  creditBalances: { credit: CreditRef; asOf: BusinessDate; remainingMinor: bigint }[];
  /** An export's disputed column: open a dispute from the import day, or clear one an import opened. */
  disputes: { invoice: InvoiceRef; account: AccountRef; open: boolean; on: BusinessDate }[];
  /** Invoices an invoices export says were paid in full on a day (a settled date). */
  settlements: { invoice: InvoiceRef; identity: string; paidOn: BusinessDate; amountMinor: bigint; currency: string }[];
  activities: ActivityDraft[];
}

export function emptyChanges(): ImportChanges {
  return { newAccounts: [], accountUpdates: [], newUsers: [], claims: [], newInvoices: [], invoiceUpdates: [], snapshots: [], newPayments: [], settlements: [], newCredits: [], creditUpdates: [], creditBalances: [], disputes: [], activities: [] };
}

/** A batch that writes nothing (a re-import of unchanged rows): no transaction, no change to tell anyone about. */
export function changesNothing(changes: ImportChanges): boolean {
  return Object.values(changes).every((list: unknown[]) => list.length === 0);
}

export interface ImportActor {
  /** `import:invoices.csv`. */
  label: string;
  platform: string;
}

/** An invoice as a file row gives it, its account by external id. */
export interface InvoiceAsGiven extends InvoiceFields {
  number: string;
  accountExternalId: string;
}

/**
 * How an invoice as given compares with what is stored under its number: `same` when stored
 * exactly as given (same account, currency, amount and dates, and no credit note has the
 * number), `differs` when stored otherwise (or a credit note has the number), `absent` when
 * the number is stored nowhere.
 */
export type Comparison = "same" | "differs" | "absent";

export interface ImportStore {
  /**
   * Each invoice compared with what is stored, in the list's order. Compared in the
   * database, so that an unchanged row costs no read of its invoice and its facts, and a
   * number stored nowhere (a new invoice) no read at all.
   */
  compareInvoices(invoices: InvoiceAsGiven[]): Promise<Comparison[]>;
  accountsByExternalId(externalIds: string[]): Promise<StoredAccount[]>;
  accountsByName(names: string[]): Promise<StoredAccount[]>;
  invoicesByNumber(numbers: string[]): Promise<StoredInvoice[]>;
  creditsByNumber(numbers: string[]): Promise<StoredCredit[]>;
  activeClaims(accountIds: number[]): Promise<StoredClaim[]>;
  existingUserEmails(emails: string[]): Promise<string[]>;
  /** Every invoice with its facts, for `--full`. */
  allInvoices(): Promise<StoredInvoice[]>;
  apply(changes: ImportChanges, actor: ImportActor): Promise<void>;
  /**
   * Runs an import as the only one writing to this database, across processes: two imports
   * at once (one from cron, one by hand) would each find a row missing and both add it.
   * `waiting` is called once when another import holds the turn; this one then waits for it.
   */
  exclusively<T>(work: () => Promise<T>, waiting?: () => void): Promise<T>;
  /**
   * After an import that wrote many rows: the database re-reads its statistics, so the next
   * queries are planned for the ledger as it now is (not, say, as an empty one).
   */
  refreshStatistics(kind: ImportKind): Promise<void>;
}

/** `inner`, with each batch's write going through `apply` (given inner's own); everything else as inner's. */
export function withApply(inner: ImportStore, apply: (changes: ImportChanges, actor: ImportActor, write: ImportStore["apply"]) => Promise<void>): ImportStore {
  const write: ImportStore["apply"] = (changes, actor) => inner.apply(changes, actor);
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === "apply") return (changes: ImportChanges, actor: ImportActor) => apply(changes, actor, write);
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
