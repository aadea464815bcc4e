import { BusinessDate, addDays } from "../../domain/model/business-date";
import { Ledger, LedgerAccount, LedgerClaim, LedgerInvoice, LedgerPromise, emptyLedger } from "../../domain/model/ledger";

let nextId = 1;

/** Invoices for policy tests: amounts in minor units, dates relative to an as-of day. */
export const InvoiceMother = {
  of(fields: Partial<LedgerInvoice> & { amountMinor: bigint; issueDate: BusinessDate; dueDate: BusinessDate }): LedgerInvoice {
    const id = fields.id ?? nextId++;
    return {
      id,
      number: `INV-${id}`,
      accountId: 1,
      currency: "USD",
      snapshots: [],
      payments: [],
      disputes: [],
      ...fields,
    };
  },
  /** Issued 30 days before its due date, `dpd` days past due at `asOf`. */
  overdue(dpd: number, amountMinor: bigint, asOf: BusinessDate, fields: Partial<LedgerInvoice> = {}): LedgerInvoice {
    const dueDate = addDays(asOf, -dpd);
    return InvoiceMother.of({ amountMinor, dueDate, issueDate: addDays(dueDate, -30), ...fields });
  },
};

export const AccountMother = {
  of(id: number, fields: Partial<LedgerAccount> = {}): LedgerAccount {
    return { id, externalId: `C${String(id).padStart(3, "0")}`, name: `Account ${id}`, tier: null, ...fields };
  },
};

export const ClaimMother = {
  finance(accountId: number, owner: string, claimedOn: BusinessDate, releasedOn: BusinessDate | null = null): LedgerClaim {
    return { accountId, function: "finance", owner, userId: 1, claimedOn, releasedOn };
  },
};

export const PromiseMother = {
  of(fields: Partial<LedgerPromise> & { amountMinor: bigint; createdOn: BusinessDate; promisedOn: BusinessDate }): LedgerPromise {
    return { id: nextId++, accountId: 1, currency: "USD", cancelledOn: null, ...fields };
  },
};

export function ledgerOf(parts: Partial<Ledger>): Ledger {
  return { ...emptyLedger(), ...parts };
}
