import { OpenDatabase, openDatabase } from "../adapters/db/open-database";
import { PrismaImportStore } from "../adapters/db/prisma-import-store";
import { PrismaLedgerReader } from "../adapters/db/prisma-ledger-reader";
import { PrismaUnitOfWork } from "../adapters/db/prisma-workspace";
import { UnitOfWork } from "../domain/ports/workspace.port";
import { UserPolicy } from "../domain/usecases/resolve-user";
import { BotServices } from "./commands/dispatch";
import { Clock } from "../domain/ports/clock.port";
import { ImportStore } from "../domain/ports/import-store.port";
import { LedgerReader } from "../domain/ports/ledger-reader.port";
import { PriorityPolicy } from "../domain/policies/priority";
import { SystemClock } from "./clock";
import { OrganizationConfig, OrganizationVariable, loadDatabaseTarget, loadOrganizationConfig } from "./config";

/** Everything the entry points use, built in one place. */
export interface App {
  config: OrganizationConfig;
  clock: Clock;
  db: OpenDatabase;
  ledger: LedgerReader;
  imports: ImportStore;
  priority: PriorityPolicy;
  uow: UnitOfWork;
  users: UserPolicy;
  /** What the chat command layer needs. */
  services: BotServices;
  close(): Promise<void>;
}

export function createApp(db: OpenDatabase, config: OrganizationConfig, clock: Clock = new SystemClock(config.timeZone, config.fixedNow)): App {
  const ledger = new PrismaLedgerReader(db.prisma, config.timeZone);
  const priority = { stallDays: config.stallDays, promiseGraceDays: config.promiseGraceDays };
  const uow = new PrismaUnitOfWork(db.prisma, () => clock.now());
  return {
    config,
    clock,
    db,
    ledger,
    imports: new PrismaImportStore(db.prisma, clock),
    priority,
    uow,
    users: { admins: config.admins, defaultRole: config.defaultRole },
    services: { uow, clock, ledger, priority, digestTop: config.digestTop },
    close: () => db.close(),
  };
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  command: string;
  /** The organization variables the command reads; default all of them. */
  uses?: readonly OrganizationVariable[];
  log?: (line: string) => void;
}

/** Validates the environment, opens (and migrates) the database, and wires the app. */
export async function startApp(options: StartOptions): Promise<App> {
  const env = options.env ?? process.env;
  const config = loadOrganizationConfig(env, options.uses);
  const target = loadDatabaseTarget(env);
  const db = await openDatabase(target, { command: options.command, migrate: true, log: options.log });
  return createApp(db, config);
}
