import { App, createApp } from "../../bot/main";
import { OrganizationConfig, loadOrganizationConfig } from "../../bot/config";
import { FixedClock } from "./fixed-clock";
import { createTestDatabase } from "./test-database";

export interface TestApp extends App {
  clock: FixedClock;
}

/** The real app on a fresh test database, with a clock the test controls. */
export async function createTestApp(now = "2026-11-20T12:00:00Z", overrides: Partial<OrganizationConfig> = {}): Promise<TestApp> {
  const config = { ...loadOrganizationConfig({}), ...overrides };
  const clock = new FixedClock(now, config.timeZone);
  const db = await createTestDatabase();
  return createApp(db, config, clock) as TestApp;
}
