import { IMPORT_USER_ID } from "../../domain/model/ledger";
import { TeamFunction } from "../../domain/model/team";
import { Clock } from "../../domain/ports/clock.port";
import {
  AccountRef,
  ImportActor,
  ImportChanges,
  ImportStore,
  InvoiceRef,
  StoredAccount,
  StoredClaim,
  StoredCredit,
  StoredInvoice,
  StoredPayment,
} from "../../domain/ports/import-store.port";
import { chunks, fromDbDate, toDbDate } from "./dates";
import { Prisma, PrismaClient } from "./generated/client";
import { loadCredits, loadInvoices } from "./prisma-ledger-reader";

type Tx = Prisma.TransactionClient;

const TRANSACTION_OPTIONS = { maxWait: 20_000, timeout: 300_000 };

export class PrismaImportStore implements ImportStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  async accountsByExternalId(externalIds: string[]): Promise<StoredAccount[]> {
    if (externalIds.length === 0) return [];
    return this.prisma.account.findMany({ where: { externalId: { in: externalIds } }, select: accountFields });
  }

  /** Case-insensitively, as people type names (and as chat matches them). */
  async accountsByName(names: string[]): Promise<StoredAccount[]> {
    if (names.length === 0) return [];
    const found: StoredAccount[] = [];
    for (const part of chunks(names, 500)) {
      found.push(...(await this.prisma.account.findMany({ where: { name: { in: part, mode: "insensitive" } }, select: accountFields })));
    }
    return found;
  }

  async invoicesByNumber(numbers: string[]): Promise<StoredInvoice[]> {
    if (numbers.length === 0) return [];
    return loadInvoices(this.prisma, { number: { in: numbers } });
  }

  async creditsByNumber(numbers: string[]): Promise<StoredCredit[]> {
    if (numbers.length === 0) return [];
    const credits = await loadCredits(this.prisma, { number: { in: numbers } });
    if (credits.length === 0) return [];
    const accounts = await this.prisma.account.findMany({ where: { id: { in: [...new Set(credits.map((c) => c.accountId))] } }, select: { id: true, externalId: true } });
    const externalIds = new Map(accounts.map((a) => [a.id, a.externalId]));
    return credits.map((c) => ({ ...c, accountExternalId: externalIds.get(c.accountId)! }));
  }

  async paymentsByIdentity(identities: string[]): Promise<StoredPayment[]> {
    if (identities.length === 0) return [];
    const rows = await this.prisma.payment.findMany({
      where: { identity: { in: identities } },
      select: { identity: true, invoiceId: true, paidOn: true, amountMinor: true },
    });
    return rows.map((p) => ({ ...p, paidOn: fromDbDate(p.paidOn) }));
  }

  async activeClaims(accountIds: number[]): Promise<StoredClaim[]> {
    if (accountIds.length === 0) return [];
    const rows = await this.prisma.ownershipClaim.findMany({
      where: { accountId: { in: accountIds }, releasedAt: null },
      include: { user: { select: { email: true, handle: true } } },
    });
    return rows.map((c) => ({
      id: c.id,
      accountId: c.accountId,
      function: c.function as TeamFunction,
      userId: c.userId,
      userEmail: c.user.email,
      userHandle: c.user.handle,
      source: c.source,
    }));
  }

  async existingUserEmails(emails: string[]): Promise<string[]> {
    if (emails.length === 0) return [];
    const rows = await this.prisma.user.findMany({ where: { email: { in: emails } }, select: { email: true } });
    return rows.map((u) => u.email!);
  }

  allInvoices(): Promise<StoredInvoice[]> {
    return loadInvoices(this.prisma);
  }

  async apply(changes: ImportChanges, actor: ImportActor): Promise<void> {
    const at = this.clock.now();
    await this.prisma.$transaction(async (tx) => {
      const accountIds = await createAccounts(tx, changes);
      await findReferencedAccounts(tx, changes, accountIds);
      const accountId = (ref: AccountRef) => ("id" in ref ? ref.id : accountIds.get(ref.externalId)!);
      for (const update of changes.accountUpdates) await tx.account.update({ where: { id: update.id }, data: update.data });

      if (changes.newUsers.length > 0) {
        await tx.user.createMany({ data: changes.newUsers.map((u) => ({ handle: u.email, email: u.email, role: u.role })) });
      }
      if (changes.claims.length > 0) {
        const users = await tx.user.findMany({ where: { email: { in: changes.claims.map((c) => c.userEmail) } }, select: { id: true, email: true } });
        const userIds = new Map(users.map((u) => [u.email!, u.id]));
        for (const claim of changes.claims) {
          if (claim.replacesClaimId !== null) await tx.ownershipClaim.update({ where: { id: claim.replacesClaimId }, data: { releasedAt: at } });
          await tx.ownershipClaim.create({
            data: { accountId: accountId(claim.account), function: claim.function, userId: userIds.get(claim.userEmail)!, source: "import", claimedAt: at },
          });
        }
      }

      const invoiceIds = await createInvoices(tx, changes, accountId);
      const invoiceId = (ref: InvoiceRef) => ("id" in ref ? ref.id : invoiceIds.get(ref.number)!);
      for (const update of changes.invoiceUpdates) {
        const { issueDate, dueDate, ...rest } = update.data;
        await tx.invoice.update({
          where: { id: update.id },
          data: {
            ...rest,
            ...(issueDate ? { issueDate: toDbDate(issueDate) } : {}),
            ...(dueDate ? { dueDate: toDbDate(dueDate) } : {}),
            ...(update.account ? { accountId: accountId(update.account) } : {}),
          },
        });
      }
      // Snapshots of invoices created just now cannot exist yet: insert them in bulk.
      const fresh = changes.snapshots.filter((s) => "number" in s.invoice);
      for (const part of chunks(fresh)) {
        await tx.balanceSnapshot.createMany({
          data: part.map((s) => ({ invoiceId: invoiceId(s.invoice), asOf: toDbDate(s.asOf), balanceMinor: s.balanceMinor })),
        });
      }
      for (const snapshot of changes.snapshots.filter((s) => "id" in s.invoice)) {
        const key = { invoiceId: invoiceId(snapshot.invoice), asOf: toDbDate(snapshot.asOf) };
        await tx.balanceSnapshot.upsert({
          where: { invoiceId_asOf: key },
          create: { ...key, balanceMinor: snapshot.balanceMinor },
          update: { balanceMinor: snapshot.balanceMinor },
        });
      }
      for (const part of chunks(changes.newPayments)) {
        await tx.payment.createMany({ data: part.map((p) => ({ ...p, paidOn: toDbDate(p.paidOn) })) });
      }
      for (const part of chunks(changes.settlements)) {
        await tx.payment.createMany({
          data: part.map((p) => ({ invoiceId: invoiceId(p.invoice), identity: p.identity, reference: null, paidOn: toDbDate(p.paidOn), amountMinor: p.amountMinor, currency: p.currency })),
        });
      }
      await applyCredits(tx, changes, accountId);
      for (const dispute of changes.disputes) {
        const id = invoiceId(dispute.invoice);
        if (dispute.open) {
          await tx.dispute.create({
            data: { invoiceId: id, accountId: accountId(dispute.account), reason: "disputed in the ERP export", openedById: IMPORT_USER_ID, openedAt: at, openedOn: toDbDate(dispute.on) },
          });
        } else {
          await tx.dispute.updateMany({
            where: { invoiceId: id, resolvedAt: null, openedById: IMPORT_USER_ID },
            data: { resolvedById: IMPORT_USER_ID, resolvedAt: at, resolvedOn: toDbDate(dispute.on) },
          });
        }
      }
      for (const part of chunks(changes.activities)) {
        await tx.activity.createMany({
          data: part.map((a) => ({
            accountId: a.account ? accountId(a.account) : null,
            actor: actor.label,
            platform: actor.platform,
            human: false,
            kind: a.kind,
            subject: a.subject,
            before: (a.before ?? undefined) as Prisma.InputJsonValue | undefined,
            after: (a.after ?? undefined) as Prisma.InputJsonValue | undefined,
            at,
          })),
        });
      }
    }, TRANSACTION_OPTIONS);
  }
}

const accountFields = { id: true, externalId: true, name: true, segment: true, tier: true, region: true } as const;

async function createAccounts(tx: Tx, changes: ImportChanges): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(changes.newAccounts)) {
    const created = await tx.account.createManyAndReturn({ data: part, select: { id: true, externalId: true } });
    for (const account of created) ids.set(account.externalId, account.id);
  }
  return ids;
}

/** Accounts referred to by id that an earlier batch of the same run created. */
async function findReferencedAccounts(tx: Tx, changes: ImportChanges, ids: Map<string, number>): Promise<void> {
  const refs = [
    ...changes.newInvoices.map((i) => i.account),
    ...changes.invoiceUpdates.flatMap((u) => (u.account ? [u.account] : [])),
    ...changes.claims.map((c) => c.account),
    ...changes.disputes.map((d) => d.account),
    ...changes.newCredits.map((c) => c.account),
    ...changes.creditUpdates.flatMap((u) => (u.account ? [u.account] : [])),
    ...changes.activities.flatMap((a) => (a.account ? [a.account] : [])),
  ];
  const missing = [...new Set(refs.flatMap((r) => ("externalId" in r && !ids.has(r.externalId) ? [r.externalId] : [])))];
  for (const part of chunks(missing)) {
    for (const account of await tx.account.findMany({ where: { externalId: { in: part } }, select: { id: true, externalId: true } })) {
      ids.set(account.externalId, account.id);
    }
  }
}

async function createInvoices(tx: Tx, changes: ImportChanges, accountId: (ref: AccountRef) => number): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(changes.newInvoices)) {
    const created = await tx.invoice.createManyAndReturn({
      data: part.map((i) => ({
        number: i.number,
        accountId: accountId(i.account),
        currency: i.currency,
        amountMinor: i.amountMinor,
        issueDate: toDbDate(i.issueDate),
        dueDate: toDbDate(i.dueDate),
      })),
      select: { id: true, number: true },
    });
    for (const invoice of created) ids.set(invoice.number, invoice.id);
  }
  return ids;
}

async function applyCredits(tx: Tx, changes: ImportChanges, accountId: (ref: AccountRef) => number): Promise<void> {
  const ids = new Map<string, number>();
  for (const part of chunks(changes.newCredits)) {
    const created = await tx.creditNote.createManyAndReturn({
      data: part.map((c) => ({ number: c.number, accountId: accountId(c.account), currency: c.currency, amountMinor: c.amountMinor, issueDate: toDbDate(c.issueDate) })),
      select: { id: true, number: true },
    });
    for (const credit of created) ids.set(credit.number, credit.id);
  }
  for (const update of changes.creditUpdates) {
    const { issueDate, ...rest } = update.data;
    await tx.creditNote.update({
      where: { id: update.id },
      data: { ...rest, ...(issueDate ? { issueDate: toDbDate(issueDate) } : {}), ...(update.account ? { accountId: accountId(update.account) } : {}) },
    });
  }
  for (const balance of changes.creditBalances) {
    const key = { creditNoteId: "id" in balance.credit ? balance.credit.id : ids.get(balance.credit.number)!, asOf: toDbDate(balance.asOf) };
    await tx.creditBalance.upsert({
      where: { creditNoteId_asOf: key },
      create: { ...key, remainingMinor: balance.remainingMinor },
      update: { remainingMinor: balance.remainingMinor },
    });
  }
}
