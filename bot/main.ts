import { OpenDatabase, openDatabase } from "../adapters/db/open-database";
import { PrismaImportStore } from "../adapters/db/prisma-import-store";
import { PrismaLedgerReader } from "../adapters/db/prisma-ledger-reader";
import { Clock } from "../domain/ports/clock.port";
import { ImportStore } from "../domain/ports/import-store.port";
import { LedgerReader } from "../domain/ports/ledger-reader.port";
import { PriorityPolicy } from "../domain/policies/priority";
import { SystemClock } from "./clock";
import { OrganizationConfig, loadDatabaseTarget, loadOrganizationConfig } from "./config";

/** Everything the entry points use, built in one place. */
export interface App {
  config: OrganizationConfig;
  clock: Clock;
  db: OpenDatabase;
  ledger: LedgerReader;
  imports: ImportStore;
  priority: PriorityPolicy;
  close(): Promise<void>;
}

export function createApp(db: OpenDatabase, config: OrganizationConfig, clock: Clock = new SystemClock(config.timeZone, config.fixedNow)): App {
  return {
    config,
    clock,
    db,
    ledger: new PrismaLedgerReader(db.prisma, config.timeZone),
    imports: new PrismaImportStore(db.prisma, clock),
    priority: { stallDays: config.stallDays, promiseGraceDays: config.promiseGraceDays },
    close: () => db.close(),
  };
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  command: string;
  log?: (line: string) => void;
}

/** Validates the environment, opens (and migrates) the database, and wires the app. */
export async function startApp(options: StartOptions): Promise<App> {
  const env = options.env ?? process.env;
  const config = loadOrganizationConfig(env);
  const target = loadDatabaseTarget(env);
  const db = await openDatabase(target, { command: options.command, migrate: true, log: options.log });
  return createApp(db, config);
}
