import { BusinessDate, addDays } from "../../domain/model/business-date";
import { TeamFunction } from "../../domain/model/team";

/**
 * The demo portfolio of `arbot seed --demo`: a fixed seed, every date relative to today, so
 * the README's examples hold on any day. Acme Corp (ACME) is overdue and unowned.
 */
export interface DemoPortfolio {
  users: { email: string; displayName: string; role: TeamFunction; lead?: boolean }[];
  accounts: DemoAccount[];
}

export interface DemoAccount {
  externalId: string;
  name: string;
  segment: string;
  tier: string;
  region: string;
  currency: string;
  owners: Partial<Record<TeamFunction, string>>;
  invoices: DemoInvoice[];
  promises: { amountMinor: bigint; createdOn: BusinessDate; promisedOn: BusinessDate; by: string }[];
  notes: { text: string; on: BusinessDate; by: string }[];
}

export interface DemoInvoice {
  number: string;
  issueDate: BusinessDate;
  dueDate: BusinessDate;
  amountMinor: bigint;
  payments: { paidOn: BusinessDate; amountMinor: bigint; reference: string }[];
  /** An ERP balance reported on this day (a snapshot). */
  erpBalance?: { on: BusinessDate; balanceMinor: bigint };
  dispute?: { reason: string; openedOn: BusinessDate; by: string };
}

/** mulberry32: small, fast and the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  "Globex Industries", "Initech", "Umbrella Logistics", "Stark Components", "Wayne Freight", "Wonka Foods",
  "Tyrell Systems", "Cyberdyne Robotics", "Soylent Nutrition", "Hooli Cloud", "Pied Piper Data", "Vandelay Imports",
  "Kramerica", "Dunder Mifflin Paper", "Massive Dynamic", "Gringotts Finance", "Oceanic Air", "Monarch Analytics",
  "Blue Sun Energy", "Nakatomi Trading", "Prestige Worldwide", "Sterling Cooper", "Wernham Hogg", "Bluth Company",
  "Los Pollos Supply", "Gekko Partners", "Rekall Travel", "Omni Consumer Products", "Virtucon", "Zorg Manufacturing",
  "Aperture Labs", "Black Mesa Research", "Duff Beverages", "Krusty Retail", "Planet Express", "Mom's Friendly Robots",
  "Spacely Sprockets", "Cogswell Cogs", "Ollivanders", "Weyland Corp", "Yoyodyne Propulsion",
];
const SEGMENTS = ["enterprise", "mid-market", "smb"];
const REGIONS = ["NA", "EMEA", "APAC"];
const CURRENCIES = ["USD", "USD", "USD", "EUR", "EUR", "GBP"];

export const DEMO_USERS: DemoPortfolio["users"] = [
  { email: "dana@example.com", displayName: "Dana Whitfield", role: "finance" },
  { email: "lee@example.com", displayName: "Lee Okafor", role: "finance", lead: true },
  { email: "sam@example.com", displayName: "Sam Reyes", role: "sales" },
  { email: "morgan@example.com", displayName: "Morgan Diaz", role: "sales", lead: true },
  { email: "chris@example.com", displayName: "Chris Novak", role: "cs" },
  { email: "ana@example.com", displayName: "Ana Lindqvist", role: "cs", lead: true },
];

/** Invoice ages (days since issue) that cover every aging bucket on net-30 terms. */
const AGES = [5, 12, 25, 38, 47, 58, 66, 79, 95, 112, 131, 160, 190];

export function buildDemoPortfolio(today: BusinessDate): DemoPortfolio {
  const next = random(20261122);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const accounts: DemoAccount[] = [];
  let invoiceNo = 10001;

  const makeInvoices = (count: number, agePool: number[], paidShare: number): DemoInvoice[] => {
    const invoices: DemoInvoice[] = [];
    for (let i = 0; i < count; i++) {
      const age = agePool[i % agePool.length]! + Math.floor(next() * 4);
      const issueDate = addDays(today, -age);
      const dueDate = addDays(issueDate, 30);
      const amountMinor = BigInt(Math.round((500 + next() * 24_500) * 100));
      const invoice: DemoInvoice = { number: `INV-${invoiceNo++}`, issueDate, dueDate, amountMinor, payments: [] };
      const roll = next();
      if (roll < paidShare && age > 20) {
        invoice.payments.push({ paidOn: addDays(issueDate, 15 + Math.floor(next() * 5)), amountMinor, reference: `PMT-${invoice.number}` });
      } else if (roll < paidShare + 0.12 && age > 35) {
        invoice.payments.push({ paidOn: addDays(dueDate, 3), amountMinor: amountMinor / 4n, reference: `PMT-${invoice.number}-1` });
      }
      invoices.push(invoice);
    }
    return invoices;
  };

  accounts.push({
    externalId: "ACME",
    name: "Acme Corp",
    segment: "enterprise",
    tier: "enterprise",
    region: "NA",
    currency: "USD",
    owners: {},
    invoices: [
      { number: "ACME-1001", issueDate: addDays(today, -130), dueDate: addDays(today, -100), amountMinor: 7_850_000n, payments: [] },
      {
        number: "ACME-1002",
        issueDate: addDays(today, -75),
        dueDate: addDays(today, -45),
        amountMinor: 920_000n,
        payments: [{ paidOn: addDays(today, -40), amountMinor: 220_000n, reference: "ACME-WIRE-7731" }],
      },
      { number: "ACME-1003", issueDate: addDays(today, -10), dueDate: addDays(today, 20), amountMinor: 415_000n, payments: [] },
    ],
    promises: [],
    notes: [],
  });

  NAMES.forEach((name, index) => {
    const externalId = `C${String(1001 + index)}`;
    const currency = index === 3 ? "EUR" : pick(CURRENCIES);
    const tier = index % 9 === 0 ? "strategic" : pick(["enterprise", "standard", "standard"]);
    const owners: DemoAccount["owners"] = {};
    if (index % 3 !== 2) owners.finance = index % 2 === 0 ? "dana@example.com" : "lee@example.com";
    if (index % 4 === 0) owners.sales = index % 8 === 0 ? "morgan@example.com" : "sam@example.com";
    if (index % 5 === 0) owners.cs = "chris@example.com";
    const healthy = index % 7 === 6;
    const invoices = makeInvoices(6 + (index % 5), healthy ? [5, 12, 25] : AGES.slice(index % 4), healthy ? 0.9 : 0.45);
    const account: DemoAccount = {
      externalId,
      name,
      segment: pick(SEGMENTS),
      tier,
      region: pick(REGIONS),
      currency,
      owners,
      invoices,
      promises: [],
      notes: [],
    };
    if (index % 4 === 1) {
      account.notes.push({ text: "Spoke with their AP team; payment run is on Thursdays.", on: addDays(today, -(index % 6)), by: owners.finance ?? "dana@example.com" });
    }
    accounts.push(account);
  });

  // Promises: one kept, one broken, one open and due within two business days.
  const kept = accounts[2]!;
  const keptInvoice = kept.invoices.find((i) => i.payments.length === 0 && i.issueDate < addDays(today, -40)) ?? kept.invoices[0]!;
  keptInvoice.payments = [];
  const keptAmount = keptInvoice.amountMinor < 300_000n ? keptInvoice.amountMinor : 300_000n;
  keptInvoice.payments.push({ paidOn: addDays(today, -31), amountMinor: keptAmount, reference: `PMT-${keptInvoice.number}-P` });
  kept.promises.push({ amountMinor: keptAmount, createdOn: addDays(today, -40), promisedOn: addDays(today, -30), by: "dana@example.com" });

  const broken = accounts[5]!;
  // Nothing paid in the promise's window (grace included, whatever AR_PROMISE_GRACE_DAYS says).
  for (const invoice of broken.invoices) {
    invoice.payments = invoice.payments.filter((p) => p.paidOn < addDays(today, -25) || p.paidOn > addDays(today, -5));
  }
  broken.promises.push({ amountMinor: 500_000n, createdOn: addDays(today, -25), promisedOn: addDays(today, -15), by: "lee@example.com" });

  const open = accounts[8]!;
  open.promises.push({ amountMinor: 250_000n, createdOn: addDays(today, -2), promisedOn: addDays(today, 1), by: "dana@example.com" });

  // A dispute on an overdue invoice, and an ERP balance that already includes a payment.
  const disputed = accounts[11]!;
  const disputedInvoice = disputed.invoices.find((i) => i.payments.length === 0 && i.dueDate < today) ?? disputed.invoices[0]!;
  disputedInvoice.dispute = { reason: "Customer says the delivery was incomplete", openedOn: addDays(today, -12), by: "sam@example.com" };

  const reported = accounts[14]!;
  const reportedInvoice = reported.invoices.find((i) => i.payments.length === 0 && i.dueDate < today) ?? reported.invoices[0]!;
  reportedInvoice.erpBalance = { on: addDays(today, -3), balanceMinor: reportedInvoice.amountMinor / 2n };

  return { users: DEMO_USERS, accounts };
}
