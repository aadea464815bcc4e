import { BusinessDate } from "./business-date";
import { Currency } from "./currency";
import { TeamFunction } from "./team";

/**
 * The facts the policies evaluate at an as-of date. Every fact carries its date, so one
 * load answers any as-of: the policies ignore what had not happened yet.
 */
export interface LedgerInvoice {
  id: number;
  number: string;
  accountId: number;
  currency: Currency;
  amountMinor: bigint;
  issueDate: BusinessDate;
  dueDate: BusinessDate;
  /** ERP balances on import days, any order. */
  snapshots: { asOf: BusinessDate; balanceMinor: bigint }[];
  payments: LedgerPayment[];
  /** `byImport`: opened by an invoices export's disputed column (which may also clear it). */
  disputes: { openedOn: BusinessDate; resolvedOn: BusinessDate | null; byImport?: boolean }[];
}

/**
 * A credit note on an account: what it was issued for, and the part the ERP reported
 * still unapplied on import days. Until applied it lowers the account's AR (section 7).
 */
export interface LedgerCredit {
  id: number;
  number: string;
  accountId: number;
  currency: Currency;
  amountMinor: bigint;
  issueDate: BusinessDate;
  balances: { asOf: BusinessDate; remainingMinor: bigint }[];
}

/** The user id a dispute opened by an import carries (no person opened it). */
export const IMPORT_USER_ID = 0;

export interface LedgerPayment {
  paidOn: BusinessDate;
  amountMinor: bigint;
}

export interface LedgerAccount {
  id: number;
  externalId: string;
  name: string;
  tier: string | null;
}

export interface LedgerClaim {
  accountId: number;
  function: TeamFunction;
  /** Email, or handle when no email is known. */
  owner: string;
  userId: number;
  claimedOn: BusinessDate;
  releasedOn: BusinessDate | null;
}

export interface LedgerPromise {
  id: number;
  accountId: number;
  currency: Currency;
  amountMinor: bigint;
  createdOn: BusinessDate;
  promisedOn: BusinessDate;
  cancelledOn: BusinessDate | null;
}

export interface Ledger {
  accounts: LedgerAccount[];
  invoices: LedgerInvoice[];
  /** Credit notes (absent: none). */
  credits?: LedgerCredit[];
  claims: LedgerClaim[];
  promises: LedgerPromise[];
  /** Days on which a person changed something on the account (not imports). */
  humanActivityDays: Map<number, BusinessDate[]>;
  /** Open escalations per account: the highest level and the day it was sent (absent: none known). */
  escalations?: Map<number, { level: number; since: BusinessDate; until: BusinessDate | null }[]>;
}

export function emptyLedger(): Ledger {
  return { accounts: [], invoices: [], credits: [], claims: [], promises: [], humanActivityDays: new Map() };
}
