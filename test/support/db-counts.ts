import { PrismaClient } from "../../adapters/db/generated/client";

/** Row counts of every table that an import may write, for "nothing changed" assertions. */
export async function tableCounts(prisma: PrismaClient): Promise<Record<string, number>> {
  const [accounts, invoices, snapshots, payments, claims, users, activities] = await Promise.all([
    prisma.account.count(),
    prisma.invoice.count(),
    prisma.balanceSnapshot.count(),
    prisma.payment.count(),
    prisma.ownershipClaim.count(),
    prisma.user.count(),
    prisma.activity.count(),
  ]);
  return { accounts, invoices, snapshots, payments, claims, users, activities };
}

/** Everything an import could change, with update stamps, to prove a re-import writes nothing. */
export async function snapshotOfData(prisma: PrismaClient): Promise<unknown> {
  const [accounts, invoices, snapshots, payments, claims, activities] = await Promise.all([
    prisma.account.findMany({ orderBy: { id: "asc" } }),
    prisma.invoice.findMany({ orderBy: { id: "asc" } }),
    prisma.balanceSnapshot.findMany({ orderBy: { id: "asc" } }),
    prisma.payment.findMany({ orderBy: { id: "asc" } }),
    prisma.ownershipClaim.findMany({ orderBy: { id: "asc" } }),
    prisma.activity.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.parse(JSON.stringify({ accounts, invoices, snapshots, payments, claims, activities }, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}
