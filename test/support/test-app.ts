import { App, createApp } from "../../bot/main";
import { OrganizationConfig, loadOrganizationConfig } from "../../bot/config";
import { OpenDatabase } from "../../adapters/db/open-database";
import { FixedClock } from "./fixed-clock";
import { createTestDatabase } from "./test-database";

/** The app, plus the test's own handle on its database (the app itself hides the client). */
export interface TestApp extends App {
  clock: FixedClock;
  db: OpenDatabase;
}

/** The real app on a fresh test database, with a clock the test controls. */
export async function createTestApp(now = "2026-11-20T12:00:00Z", overrides: Partial<OrganizationConfig> = {}): Promise<TestApp> {
  const config = { ...loadOrganizationConfig({}), ...overrides };
  const clock = new FixedClock(now, config.timeZone);
  const db = await createTestDatabase();
  return { ...createApp(db, config, clock), clock, db };
}

const TABLES = [
  "Activity", "IdempotencyKey", "DigestRun", "ChannelSubscription", "EscalationRecipient", "EscalationChannel", "Snooze", "Escalation", "Dispute", "PaymentPromise", "Note",
  "OwnershipClaim", "Payment", "BalanceSnapshot", "CreditBalance", "CreditNote", "Invoice", "Account", "FunctionLead", "PlatformUserLookup", "ChatIdentity", "User", "ChatConversation",
];

/** Empties every table (ids restart), far faster than a new embedded database per test. */
export async function resetDatabase(app: TestApp): Promise<void> {
  await app.db.prisma.$executeRawUnsafe(`TRUNCATE ${TABLES.map((t) => `"${t}"`).join(", ")} RESTART IDENTITY CASCADE`);
  // Written behind the app's back: its digests may describe the emptied tables.
  app.digests.invalidate();
}

/**
 * One app per test file, emptied and its clock reset before each test:
 * `const t = useTestApp(); … t.app`.
 */
export function useTestApp(now = "2026-11-20T12:00:00Z", overrides: Partial<OrganizationConfig> = {}): { app: TestApp } {
  const holder = {} as { app: TestApp };
  beforeAll(async () => {
    holder.app = await createTestApp(now, overrides);
  });
  beforeEach(async () => {
    await resetDatabase(holder.app);
    holder.app.clock.set(now);
  });
  afterAll(() => holder.app?.close());
  return holder;
}
