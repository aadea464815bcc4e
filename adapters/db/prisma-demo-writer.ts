import { addDays } from "../../domain/model/business-date";
import { formatMinor } from "../../domain/model/money";
import { Clock } from "../../domain/ports/clock.port";
import { paymentIdentity } from "../../domain/usecases/import-payments";
import type { DemoPortfolio } from "../../bot/demo/demo-portfolio";
import { endOfBusinessDay } from "../../domain/model/business-date";
import { toDbDate } from "./dates";
import { Prisma, PrismaClient } from "./generated/client";
import { isUniqueViolation } from "./unique-violation";

export type DemoSeedResult =
  | { status: "loaded"; accounts: number; invoices: number }
  | { status: "already_loaded" }
  /** The database's own accounts or invoices use ids of the demo: nothing was written. */
  | { status: "ids_taken"; accountIds: string[]; invoiceNumbers: string[] };

const DEMO_MARKER = "ACME";
const DEMO_ACTOR = "seed:demo";

type Db = PrismaClient | Prisma.TransactionClient;

/** Whether the demo is there already, or other data holds ids it would use (it never merges into them). */
async function demoCollision(db: Db, portfolio: DemoPortfolio): Promise<DemoSeedResult | null> {
  // The demo's own Acme Corp, written by the seed: a customer of the database's own with id ACME is not it.
  const marker = await db.activity.findFirst({ where: { actor: DEMO_ACTOR, account: { externalId: DEMO_MARKER } }, select: { id: true } });
  if (marker) return { status: "already_loaded" };
  const accounts = await db.account.findMany({ where: { externalId: { in: portfolio.accounts.map((a) => a.externalId) } }, select: { externalId: true }, orderBy: { externalId: "asc" } });
  const numbers = portfolio.accounts.flatMap((a) => a.invoices.map((i) => i.number));
  const invoices = await db.invoice.findMany({ where: { number: { in: numbers } }, select: { number: true }, orderBy: { number: "asc" } });
  if (accounts.length === 0 && invoices.length === 0) return null;
  return { status: "ids_taken", accountIds: accounts.map((a) => a.externalId), invoiceNumbers: invoices.map((i) => i.number) };
}

/** Writes the demo portfolio in one transaction, unless it is already there (idempotent). */
export async function writeDemoPortfolio(prisma: PrismaClient, portfolio: DemoPortfolio, clock: Clock): Promise<DemoSeedResult> {
  try {
    return await writeOnce(prisma, portfolio, clock);
  } catch (error) {
    // Another process wrote the demo, or the same ids, meanwhile: say what is there now.
    if (!isUniqueViolation(error)) throw error;
    const collision = await demoCollision(prisma, portfolio);
    if (collision) return collision;
    throw error;
  }
}

function writeOnce(prisma: PrismaClient, portfolio: DemoPortfolio, clock: Clock): Promise<DemoSeedResult> {
  const today = clock.today();
  // Mid-day of a business date, as the instant a person did something that day.
  const at = (day: string) => new Date(endOfBusinessDay(addDays(day, -1), clock.timeZone).getTime() + 12 * 3_600_000);
  return prisma.$transaction(
    async (tx): Promise<DemoSeedResult> => {
      const collision = await demoCollision(tx, portfolio);
      if (collision) return collision;
      const userIds = new Map<string, number>();
      for (const u of portfolio.users) {
        const user = await tx.user.upsert({
          where: { email: u.email },
          create: { email: u.email, handle: u.email, displayName: u.displayName, role: u.role },
          update: {},
        });
        userIds.set(u.email, user.id);
        if (u.lead) {
          await tx.functionLead.upsert({ where: { function: u.role }, create: { function: u.role, userId: user.id }, update: {} });
        }
      }
      const accounts = await tx.account.createManyAndReturn({
        data: portfolio.accounts.map((a) => ({ externalId: a.externalId, name: a.name, segment: a.segment, tier: a.tier, region: a.region })),
        select: { id: true, externalId: true },
      });
      const accountIds = new Map(accounts.map((a) => [a.externalId, a.id]));
      const invoiceRows = portfolio.accounts.flatMap((a) =>
        a.invoices.map((i) => ({
          number: i.number,
          accountId: accountIds.get(a.externalId)!,
          currency: a.currency,
          amountMinor: i.amountMinor,
          issueDate: toDbDate(i.issueDate),
          dueDate: toDbDate(i.dueDate),
        })),
      );
      const invoices = await tx.invoice.createManyAndReturn({ data: invoiceRows, select: { id: true, number: true } });
      const invoiceIds = new Map(invoices.map((i) => [i.number, i.id]));
      const activities: Prisma.ActivityCreateManyInput[] = [];
      const seedActivity = (accountId: number, kind: string, actor: string, day: string, subject: string | null, after: Record<string, unknown>) =>
        activities.push({ accountId, actorUserId: userIds.get(actor) ?? null, actor, platform: "seed", human: userIds.has(actor), kind, subject, after: after as Prisma.InputJsonValue, at: at(day) });

      for (const account of portfolio.accounts) {
        const accountId = accountIds.get(account.externalId)!;
        for (const invoice of account.invoices) {
          const invoiceId = invoiceIds.get(invoice.number)!;
          seedActivity(accountId, "invoice_added", DEMO_ACTOR, invoice.issueDate, invoice.number, { amount: formatMinor(invoice.amountMinor, account.currency), currency: account.currency });
          for (const p of invoice.payments) {
            await tx.payment.create({
              data: {
                invoiceId,
                identity: paymentIdentity(invoiceId, { reference: p.reference, paidOn: p.paidOn, amountMinor: p.amountMinor }, 0),
                reference: p.reference,
                paidOn: toDbDate(p.paidOn),
                amountMinor: p.amountMinor,
                currency: account.currency,
              },
            });
            seedActivity(accountId, "payment_received", DEMO_ACTOR, p.paidOn, invoice.number, { amount: formatMinor(p.amountMinor, account.currency), currency: account.currency });
          }
          if (invoice.erpBalance) {
            await tx.balanceSnapshot.create({ data: { invoiceId, asOf: toDbDate(invoice.erpBalance.on), balanceMinor: invoice.erpBalance.balanceMinor } });
          }
          if (invoice.dispute) {
            const d = invoice.dispute;
            await tx.dispute.create({ data: { invoiceId, accountId, reason: d.reason, openedById: userIds.get(d.by)!, openedAt: at(d.openedOn), openedOn: toDbDate(d.openedOn) } });
            seedActivity(accountId, "dispute_opened", d.by, d.openedOn, invoice.number, { reason: d.reason });
          }
        }
        for (const [fn, email] of Object.entries(account.owners)) {
          const claimedOn = addDays(today, -20);
          await tx.ownershipClaim.create({ data: { accountId, function: fn as "finance", userId: userIds.get(email!)!, source: "chat", claimedAt: at(claimedOn) } });
          seedActivity(accountId, "claimed", email!, claimedOn, fn, { owner: email, function: fn });
        }
        for (const p of account.promises) {
          await tx.paymentPromise.create({
            data: { accountId, userId: userIds.get(p.by)!, currency: account.currency, amountMinor: p.amountMinor, createdOn: toDbDate(p.createdOn), promisedOn: toDbDate(p.promisedOn), createdAt: at(p.createdOn) },
          });
          seedActivity(accountId, "promise_recorded", p.by, p.createdOn, null, { amount: formatMinor(p.amountMinor, account.currency), date: p.promisedOn });
        }
        for (const n of account.notes) {
          await tx.note.create({ data: { accountId, authorId: userIds.get(n.by)!, text: n.text, platform: "seed", createdAt: at(n.on) } });
          seedActivity(accountId, "note_added", n.by, n.on, null, { text: n.text });
        }
      }
      await tx.activity.createMany({ data: activities });
      return { status: "loaded", accounts: accounts.length, invoices: invoices.length };
    },
    { maxWait: 20_000, timeout: 300_000 },
  );
}
