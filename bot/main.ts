import { DatabaseTarget, InvalidDatabaseUrl, parseDatabaseUrl } from "../adapters/db/database-target";
import { OpenDatabase, openDatabase } from "../adapters/db/open-database";
import { DemoSeedResult, writeDemoPortfolio } from "../adapters/db/prisma-demo-writer";
import { PrismaChatConversations } from "../adapters/db/prisma-chat-conversations";
import { PrismaDigestRunStore } from "../adapters/db/prisma-digest-runs";
import { PrismaEscalationSweepStore } from "../adapters/db/prisma-escalation-sweep";
import { EscalationSweepStore } from "../domain/ports/escalation-sweep.port";
import { EscalationPolicy } from "../domain/policies/escalation-policy";
import { PrismaImportStore } from "../adapters/db/prisma-import-store";
import { PrismaPlatformDirectory } from "../adapters/db/prisma-platform-directory";
import { PrismaLedgerReader } from "../adapters/db/prisma-ledger-reader";
import { PrismaUnitOfWork } from "../adapters/db/prisma-workspace";
import { slackPlatform } from "../adapters/slack/slack-platform";
import { teamsPlatform } from "../adapters/teams/teams-platform";
import { ChatConversationStore } from "../domain/ports/chat-conversations.port";
import { ConfiguredPlatform, configuredPlatforms, PlatformDeps, PlatformModule } from "./platform/platform-module";
import { UnitOfWork } from "../domain/ports/workspace.port";
import { UserPolicy } from "../domain/usecases/resolve-user";
import { BotServices } from "./commands/dispatch";
import { Clock } from "../domain/ports/clock.port";
import { ImportStore } from "../domain/ports/import-store.port";
import { LedgerReader } from "../domain/ports/ledger-reader.port";
import { PriorityPolicy } from "../domain/policies/priority";
import { SystemClock } from "./clock";
import { ConfigError, OrganizationConfig, OrganizationVariable, loadOrganizationConfig } from "./config";
import { DigestRunStore } from "../domain/ports/digest-runs.port";
import { PlatformDirectory } from "../domain/ports/platform-directory.port";
import { buildDemoPortfolio } from "./demo/demo-portfolio";
import { DigestCache, invalidatingImportStore, invalidatingUnitOfWork } from "./digest-cache";

export type { DemoSeedResult };

/**
 * Everything the entry points use, built in one place. The database client stays here and
 * in adapters/db: the rest of the code sees ports.
 */
export interface App {
  config: OrganizationConfig;
  clock: Clock;
  ledger: LedgerReader;
  imports: ImportStore;
  priority: PriorityPolicy;
  uow: UnitOfWork;
  users: UserPolicy;
  runs: DigestRunStore;
  /** The automatic escalations (section 10): their rules and their rows. */
  escalationPolicy: EscalationPolicy;
  sweeps: EscalationSweepStore;
  directory: PlatformDirectory;
  /** Conversation references of platforms that post through them (Teams). */
  conversations: ChatConversationStore;
  /** Today's (and recent days') digest, computed once per write; see docs/ARCHITECTURE.md. */
  digests: DigestCache;
  /** What the chat command layer needs. */
  services: BotServices;
  /** Whether the database answers (GET /healthz). */
  healthy(): Promise<boolean>;
  /** Whether the database holds no account yet (npm start loads the demo then). */
  isEmpty(): Promise<boolean>;
  /** Loads the demo portfolio, dated relative to today (idempotent). */
  seedDemo(): Promise<DemoSeedResult>;
  /**
   * The embedded PGlite folder this app opened and holds (null for PostgreSQL, memory, or a
   * folder this process had open already): other arbot processes forward commands to it.
   */
  heldFolder: string | null;
  /** After a write made outside the unit of work and the import store (the escalation sweep): as theirs do. */
  ledgerChanged(): void;
  /**
   * Drops the cached digests whenever another arbot process writes to the same PostgreSQL
   * schema, until the returned stop is called (a server); nothing to hear elsewhere.
   */
  hearOtherProcesses(log: (line: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * The digest cache of each embedded folder this process holds. A command forwarded to the
 * holder runs with an app of its own on the same folder (`db.shared`): its writes must reach
 * the holder's cache too, which never expires by itself.
 */
const heldDigests = new Map<string, DigestCache>();

export function createApp(db: OpenDatabase, config: OrganizationConfig, clock: Clock = new SystemClock(config.timeZone, config.fixedNow)): App {
  const ledger = new PrismaLedgerReader(db.prisma, config.timeZone, db.reads, db.target.kind === "postgres" ? 2 : 1);
  const priority = { stallDays: config.stallDays, promiseGraceDays: config.promiseGraceDays };
  // The only process writing to an embedded database is this one (the others forward their
  // commands to it); on PostgreSQL other processes' writes are heard (hearOtherProcesses), a minute at most is the bound when they are not.
  const digests = new DigestCache({ ledger, priority }, { maxAgeMs: db.target.kind === "postgres" ? 60_000 : Infinity });
  const folder = db.target.kind === "pglite" ? db.target.dataDir : null;
  const holder = db.shared && folder ? heldDigests.get(folder) : undefined;
  if (folder && !db.shared) heldDigests.set(folder, digests);
  // A write here drops this process's digests, the holder's (a forwarded command), and tells
  // the other processes on the same PostgreSQL schema (`db.changes`), which drop theirs.
  const changed = {
    invalidate: () => {
      digests.invalidate();
      holder?.invalidate();
      db.changes?.announce();
    },
  };
  const uow = invalidatingUnitOfWork(new PrismaUnitOfWork(db.prisma, () => clock.now(), db.reads), changed);
  const runs = new PrismaDigestRunStore(db.prisma);
  return {
    config,
    clock,
    ledger,
    imports: invalidatingImportStore(new PrismaImportStore(db.prisma, clock, db.direct, db.reads), changed),
    priority,
    uow,
    digests,
    users: { admins: config.admins, defaultRole: config.defaultRole },
    runs,
    escalationPolicy: {
      stallDays: config.stallDays,
      stallDaysStrategic: config.stallDaysStrategic,
      escalateAfterDays: config.escalateAfterDays,
      disputeSlaDays: config.disputeSlaDays,
      promiseGraceDays: config.promiseGraceDays,
      dailyLimit: config.escalationDailyLimit,
    },
    sweeps: new PrismaEscalationSweepStore(db.prisma, db.reads),
    directory: new PrismaPlatformDirectory(db.prisma, db.reads),
    conversations: new PrismaChatConversations(db.prisma),
    services: { uow, clock, ledger, digests, priority, runs, digestTop: config.digestTop, digestTime: config.digestTime },
    healthy: () =>
      db.prisma.$queryRawUnsafe("SELECT 1").then(
        () => true,
        () => false,
      ),
    isEmpty: async () => (await db.prisma.account.count()) === 0,
    seedDemo: () => writeDemoPortfolio(db.prisma, buildDemoPortfolio(clock.today()), clock).finally(() => changed.invalidate()),
    heldFolder: folder && !db.shared ? folder : null,
    ledgerChanged: () => changed.invalidate(),
    hearOtherProcesses: (log) => (db.changes ? db.changes.listen(() => digests.invalidate(), log) : Promise.resolve(async () => undefined)),
    close: () => {
      if (folder && !db.shared && heldDigests.get(folder) === digests) heldDigests.delete(folder);
      return db.close();
    },
  };
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  command: string;
  /** The organization variables the command reads; default all of them. */
  uses?: readonly OrganizationVariable[];
  log?: (line: string) => void;
  /** Take commands forwarded by other arbot processes while this one holds an embedded folder. */
  serveCommands?: boolean;
  /** The process runs this one command and exits (not a server, not the shell): see OpenOptions.oneShot. */
  oneShot?: boolean;
}

/** Validates the environment, opens (and migrates) the database, and wires the app. */
export async function startApp(options: StartOptions): Promise<App> {
  const env = options.env ?? process.env;
  const config = loadOrganizationConfig(env, options.uses);
  const target = loadDatabaseTarget(env);
  const db = await openDatabase(target, { command: options.command, migrate: true, log: options.log, serveCommands: options.serveCommands, oneShot: options.oneShot });
  return createApp(db, config);
}

/** DATABASE_URL as a target (unset: the embedded database); a bad URL is a configuration error. */
export function loadDatabaseTarget(env: Record<string, string | undefined> = process.env): DatabaseTarget {
  try {
    return parseDatabaseUrl(env.DATABASE_URL);
  } catch (error) {
    if (error instanceof InvalidDatabaseUrl) throw new ConfigError("DATABASE_URL", error.message.replace(/^DATABASE_URL /, ""));
    throw error;
  }
}

/**
 * Every chat platform arbot speaks, in the order they start. A new platform is one folder
 * in adapters/ exporting a PlatformModule, and one entry here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PLATFORMS: readonly PlatformModule<any>[] = [slackPlatform, teamsPlatform];

/** The platforms whose variables are set; a partial configuration is a ConfigError (78). */
export function platformsIn(env: Record<string, string | undefined>): ConfiguredPlatform[] {
  return configuredPlatforms(PLATFORMS, env);
}

/** How to configure a platform, for the line that says none is. */
export const PLATFORM_SETUP = PLATFORMS.map((p) => `${p.label} (${p.setup})`).join(" or ");

export function platformDeps(app: App, log: (line: string) => void): PlatformDeps {
  return { services: app.services, directory: app.directory, conversations: app.conversations, userPolicy: app.users, log };
}
