import { toDbDate } from "../../../adapters/db/dates";
import { PrismaLedgerReader } from "../../../adapters/db/prisma-ledger-reader";
import { BusinessDate, addDays, daysBetween } from "../../../domain/model/business-date";
import { Ledger } from "../../../domain/model/ledger";
import { PERIOD_DAYS, metricsByCurrency } from "../../../domain/policies/ar-metrics";
import { REASONS, rankAccounts } from "../../../domain/policies/priority";
import { accountPayments, evaluatePromises } from "../../../domain/policies/promises";
import { roundRatio } from "../../../domain/policies/rounding";
import { ArStats, getArStats } from "../../../domain/usecases/get-ar-stats";
import { prepareDigest } from "../../../domain/usecases/prepare-digest";
import { useTestApp } from "../../support/test-app";

/**
 * The digest and the stats are computed from sums the database makes (LedgerReader's
 * digestFacts, currencyFigures, promiseFacts, disputeFacts). The policies that evaluate a
 * whole ledger in memory stay the reference: on generated portfolios (partial payments,
 * ERP balances, credits, disputes opened and resolved, several currencies, promises kept,
 * broken, open and cancelled, claims, activity and escalations near midnight in a zone
 * that is not UTC) both must give the same ranking and the same figures to the cent, at
 * several as-of dates in the past.
 */
const TIME_ZONE = "America/New_York";
const t = useTestApp("2026-11-20T17:00:00Z", { timeZone: TIME_ZONE });
const AS_OF_DATES: BusinessDate[] = ["2026-02-27", "2026-05-31", "2026-08-17", "2026-10-30", "2026-11-20"];

/** A small deterministic generator (mulberry32), so a failure replays with its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)]!,
    day: (from: BusinessDate, to: BusinessDate) => addDays(from, int(0, daysBetween(from, to))),
    /** Half the time a day next to an as-of date (where a midnight decides), else any day in range. */
    nearAsOf: (from: BusinessDate, to: BusinessDate): BusinessDate => {
      const near = AS_OF_DATES.map((d) => addDays(d, int(-1, 1))).filter((d) => d >= from && d <= to);
      return near.length > 0 && next() < 0.5 ? near[int(0, near.length - 1)]! : addDays(from, int(0, daysBetween(from, to)));
    },
  };
}

/** An instant on a business day in TIME_ZONE, often within minutes of its midnights. */
function instantOn(day: BusinessDate, random: ReturnType<typeof generator>): Date {
  const minutes = random.pick([0, 1, 30, 60 * 12, 60 * 23 + 59, 60 * 23 + 30, random.int(0, 24 * 60 - 1)]);
  // New York is UTC−5 in winter and UTC−4 in summer: local midnight is 04:00 or 05:00 UTC.
  const offset = new Date(`${day}T12:00:00Z`).toLocaleString("en-US", { timeZone: TIME_ZONE, timeZoneName: "short" }).endsWith("EDT") ? 4 : 5;
  return new Date(Date.parse(`${day}T00:00:00Z`) + (offset * 60 + minutes) * 60_000);
}

const CURRENCIES = ["USD", "EUR", "JPY"] as const;

async function generatePortfolio(seed: number): Promise<void> {
  const random = generator(seed);
  const prisma = t.app.db.prisma;
  const users = await Promise.all(
    ["dana@example.com", "lee@example.com", null, "sam@example.com"].map((email, i) =>
      prisma.user.create({ data: { handle: email?.split("@")[0] ?? `local-${i}`, email, role: "finance" } }),
    ),
  );
  const accounts = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      prisma.account.create({ data: { externalId: `A${String(i).padStart(3, "0")}`, name: `Account ${i}`, tier: random.pick([null, null, "strategic", " Strategic ", "standard"]) } }),
    ),
  );
  let invoiceNumber = 0;
  let paymentNumber = 0;
  for (const account of accounts) {
    const currencies = random.chance(0.3) ? [random.pick(CURRENCIES), random.pick(CURRENCIES)] : [random.pick(CURRENCIES)];
    for (let n = random.int(0, 6); n > 0; n--) {
      const currency = random.pick(currencies);
      const issueDate = random.day("2025-10-01", "2026-11-19");
      const amountMinor = BigInt(random.int(1, 500) * (currency === "JPY" ? 100 : 1000) + random.int(0, 99));
      const invoice = await prisma.invoice.create({
        data: { number: `INV-${++invoiceNumber}`, accountId: account.id, currency, amountMinor, issueDate: toDbDate(issueDate), dueDate: toDbDate(addDays(issueDate, random.pick([0, 15, 30, 30, 45, 60]))) },
      });
      // Partial payments, sometimes more than owed (a negative balance is never overdue).
      for (let p = random.int(0, 3); p > 0; p--) {
        await prisma.payment.create({
          data: {
            invoiceId: invoice.id,
            identity: `P-${++paymentNumber}`,
            paidOn: toDbDate(random.day(issueDate, "2026-11-20")),
            amountMinor: (amountMinor * BigInt(random.int(5, 60))) / 100n,
            currency,
          },
        });
      }
      if (random.chance(0.25)) {
        for (const asOf of new Set([random.day(issueDate, "2026-11-20"), random.day(issueDate, "2026-11-20")])) {
          await prisma.balanceSnapshot.create({ data: { invoiceId: invoice.id, asOf: toDbDate(asOf), balanceMinor: random.chance(0.2) ? 0n : (amountMinor * BigInt(random.int(0, 100))) / 100n } });
        }
      }
      if (random.chance(0.2)) {
        const openedOn = random.day(issueDate, "2026-11-20");
        const resolvedOn = random.chance(0.5) ? random.day(openedOn, "2026-11-20") : null;
        await prisma.dispute.create({
          data: {
            invoiceId: invoice.id,
            accountId: account.id,
            reason: "pricing",
            openedById: random.chance(0.5) ? 0 : users[0]!.id,
            openedAt: instantOn(openedOn, random),
            openedOn: toDbDate(openedOn),
            resolvedAt: resolvedOn === null ? null : instantOn(resolvedOn, random),
            resolvedOn: resolvedOn === null ? null : toDbDate(resolvedOn),
          },
        });
      }
    }
    if (random.chance(0.2)) {
      const currency = random.pick(currencies);
      const issueDate = random.day("2025-12-01", "2026-11-19");
      const amountMinor = BigInt(random.int(1, 200) * 1000);
      const credit = await prisma.creditNote.create({ data: { number: `CN-${account.id}`, accountId: account.id, currency, amountMinor, issueDate: toDbDate(issueDate) } });
      if (random.chance(0.6)) {
        await prisma.creditBalance.create({ data: { creditNoteId: credit.id, asOf: toDbDate(random.day(issueDate, "2026-11-20")), remainingMinor: (amountMinor * BigInt(random.int(0, 100))) / 100n } });
      }
    }
    for (const fn of ["finance", "sales", "cs"] as const) {
      if (!random.chance(0.5)) continue;
      const claimedOn = random.nearAsOf("2025-12-01", "2026-11-19");
      const releasedOn = random.chance(0.4) ? random.nearAsOf(claimedOn, "2026-11-20") : null;
      await prisma.ownershipClaim.create({
        data: { accountId: account.id, function: fn, userId: random.pick(users).id, source: "chat", claimedAt: instantOn(claimedOn, random), releasedAt: releasedOn === null ? null : instantOn(releasedOn, random) },
      });
      if (releasedOn !== null && random.chance(0.5)) {
        await prisma.ownershipClaim.create({ data: { accountId: account.id, function: fn, userId: random.pick(users).id, source: "chat", claimedAt: instantOn(releasedOn, random) } });
      }
    }
    for (let a = random.int(0, 3); a > 0; a--) {
      await prisma.activity.create({ data: { accountId: account.id, actor: "dana", platform: "slack", human: random.chance(0.7), kind: "note_added", at: instantOn(random.nearAsOf("2026-01-01", "2026-11-20"), random) } });
    }
    for (let e = random.int(0, 2); e > 0; e--) {
      const sent = random.nearAsOf("2026-01-01", "2026-11-20");
      await prisma.escalation.create({
        data: {
          accountId: account.id,
          kind: "manual",
          level: random.int(1, 3),
          targets: [],
          state: random.pick(["sent", "sent", "nobody"]),
          createdAt: instantOn(sent, random),
          resolvedAt: random.chance(0.5) ? instantOn(random.nearAsOf(sent, "2026-11-20"), random) : null,
        },
      });
    }
    // Promises around the as-of dates, so that due, kept, broken and cancelled ones all occur.
    for (let p = random.int(0, 3); p > 0; p--) {
      const around = random.pick(AS_OF_DATES);
      const createdOn = addDays(around, -random.int(0, 40));
      const promisedOn = addDays(createdOn, random.int(0, 45));
      const currency = random.pick(currencies);
      const cancelled = random.chance(0.15) ? random.day(createdOn, addDays(promisedOn, 5)) : null;
      await prisma.paymentPromise.create({
        data: {
          accountId: account.id,
          userId: users[0]!.id,
          currency,
          amountMinor: BigInt(random.int(1, 50) * (currency === "JPY" ? 100 : 1000)),
          createdOn: toDbDate(createdOn),
          promisedOn: toDbDate(promisedOn),
          cancelledOn: cancelled === null ? null : toDbDate(cancelled),
          cancelledAt: cancelled === null ? null : instantOn(cancelled, random),
        },
      });
    }
  }
  t.app.digests.invalidate();
}

/** `arbot stats` as it was computed before the database summed it: from the whole ledger. */
function statsFromLedger(ledger: Ledger, asOf: BusinessDate, graceDays: number): ArStats {
  const outcomes = evaluatePromises(ledger.promises, accountPayments(ledger.invoices), asOf, graceDays);
  const periodStart = addDays(asOf, -PERIOD_DAYS);
  const inPeriod = (day: BusinessDate | null) => day !== null && day > periodStart && day <= asOf;
  const kept = outcomes.filter((o) => o.status === "kept" && inPeriod(o.outcomeOn)).length;
  const broken = outcomes.filter((o) => o.status === "broken" && inPeriod(o.outcomeOn)).length;
  const open = ledger.invoices.flatMap((i) => i.disputes).filter((d) => d.openedOn <= asOf && (d.resolvedOn === null || d.resolvedOn > asOf));
  const oldest = open.map((d) => d.openedOn).sort()[0];
  return {
    asOf,
    currencies: metricsByCurrency(ledger.invoices, asOf, ledger.credits),
    promises: { open: outcomes.filter((o) => o.status === "open").length, kept, broken, keptRate: kept + broken === 0 ? null : roundRatio(BigInt(kept), BigInt(kept + broken), 3) },
    disputes: { open: open.length, oldestDays: oldest === undefined ? null : daysBetween(oldest, asOf) },
  };
}

test.each([1, 2, 3, 4])(
  "portfolio %i: the digest and the stats from SQL sums equal the whole-ledger computation at every as-of date",
  async (seed) => {
    await generatePortfolio(seed);
    const ledger = await t.app.ledger.loadLedger();
    const inRanges = new PrismaLedgerReader(t.app.db.prisma, TIME_ZONE, t.app.db.reads, 16);
    const seen = { reasons: new Set<string>(), escalated: 0, ranked: 0, currencies: new Set<string>(), kept: 0, broken: 0 };
    for (const asOf of AS_OF_DATES) {
      const digest = await prepareDigest(t.app, asOf, t.app.priority);
      const reference = rankAccounts(ledger, asOf, t.app.priority);
      expect(digest.ranking).toEqual(reference);
      // Summed over ranges of a few invoice ids each (PostgreSQL sums two side by side), an
      // account's invoices fall into several ranges: their sums add up to the same digest.
      expect(await prepareDigest({ ledger: inRanges }, asOf, t.app.priority)).toEqual(digest);
      // The header: what the stats list of each currency, without the ratios the digest does not show.
      expect(digest.aging).toEqual(metricsByCurrency(ledger.invoices, asOf, ledger.credits).map(({ currency, ar, buckets, disputed }) => ({ currency, ar, buckets, disputed })));
      // Accounts share their parts, reasons and owners objects: each still explains its own score.
      for (const account of digest.ranking.accounts) {
        expect(Object.keys(account.scoreParts)).toEqual(["amount", "age", ...account.reasons]);
        expect(Object.values(account.scoreParts).reduce((sum, v) => sum + (v ?? 0), 0)).toBe(account.score);
        expect(account.scoreParts.age).toBe(Math.min(30, Math.floor(account.maxDaysPastDue / 4)));
        expect(account.reasons.includes("no_owner")).toBe(account.owners.finance === null);
      }

      const stats = await getArStats(t.app, asOf, t.app.priority.promiseGraceDays);
      expect(stats).toEqual(statsFromLedger(ledger, asOf, t.app.priority.promiseGraceDays));

      for (const account of reference.accounts) account.reasons.forEach((r) => seen.reasons.add(r));
      seen.escalated += reference.accounts.filter((a) => a.escalation !== null).length;
      seen.ranked += reference.accounts.length;
      stats.currencies.forEach((c) => seen.currencies.add(c.currency));
      seen.kept += stats.promises.kept;
      seen.broken += stats.promises.broken;
    }
    // The comparison means something only if the portfolio exercises every part of it.
    expect(seen.ranked).toBeGreaterThan(20);
    expect(seen.escalated).toBeGreaterThan(0);
    expect([...seen.currencies].sort()).toEqual(["EUR", "JPY", "USD"]);
    expect(seen.kept + seen.broken).toBeGreaterThan(0);
    expect(ledger.credits!.length).toBeGreaterThan(0);
    expect([...seen.reasons].sort()).toEqual([...REASONS].sort());
  },
  120_000,
);
