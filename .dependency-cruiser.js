/**
 * The import boundaries of docs/ARCHITECTURE.md: the domain stays pure (no I/O, no platform
 * SDK, no ORM); bot/ names no chat platform and no database (it reaches them through ports
 * and the ChatPlatform interface, wired by the composition root); the Prisma client stays in
 * adapters/db; the Bot Framework stays inside adapters/teams/.
 * test/unit/architecture/boundaries.test.ts proves each rule fails on a planted violation.
 */
// Matched against the import as written when unresolved, and against the resolved path
// (node_modules/…) when it resolves.
const PACKAGE = (name) => `(^|node_modules/)${name}`;
const PLATFORM_AND_DATABASE_SDKS = [
  PACKAGE("@slack/"),
  PACKAGE("botbuilder"),
  PACKAGE("botframework-"),
  PACKAGE("@microsoft/"),
  PACKAGE("@prisma/"),
  PACKAGE("prisma/"),
  "^prisma$",
  PACKAGE("pg(/|$)"),
  PACKAGE("@electric-sql/"),
  PACKAGE("pglite-prisma-adapter"),
];
/**
 * The composition root: the only bot/ modules that pick adapters. bot/cli/ is an entry
 * point beside the adapters (terminal text, CSV files, database errors), never a chat platform.
 */
const COMPOSITION_ROOT = "^bot/(main|run-import)\\.ts$|^bot/cli/";
const IO_MODULES = [
  PACKAGE("@slack/"),
  PACKAGE("botbuilder"),
  PACKAGE("@microsoft/"),
  PACKAGE("@prisma/"),
  PACKAGE("prisma/"),
  "^prisma$",
  PACKAGE("pg(/|$)"),
  PACKAGE("@electric-sql/"),
  PACKAGE("pglite-prisma-adapter"),
  "^(node:)?(fs|fs/promises|http|https|http2|net|tls|dgram|child_process|cluster|worker_threads)$",
];

module.exports = {
  forbidden: [
    {
      name: "domain-no-io",
      comment: "domain/ is pure: time, persistence and chat come through ports (ARCHITECTURE.md section 1).",
      severity: "error",
      from: { path: "^domain/" },
      to: { path: IO_MODULES },
    },
    {
      name: "domain-no-io-core",
      comment: "domain/ may not use Node's I/O core modules, with or without node:.",
      severity: "error",
      from: { path: "^domain/" },
      to: { dependencyTypes: ["core"], path: "^(node:)?(fs|fs/promises|http|https|http2|net|tls|dgram|child_process|cluster|worker_threads)$" },
    },
    {
      name: "domain-inward-only",
      comment: "domain/ depends on nothing outside itself but pure libraries.",
      severity: "error",
      from: { path: "^domain/" },
      to: { path: "^(bot|adapters)/" },
    },
    {
      name: "bot-no-platform-sdk",
      comment: "bot/ is chat-neutral and database-neutral: Slack, Teams and Prisma live in adapters/.",
      severity: "error",
      from: { path: "^bot/" },
      to: { path: PLATFORM_AND_DATABASE_SDKS },
    },
    {
      name: "bot-adapters-only-in-composition-root",
      comment: "Only the composition root (bot/main.ts) and the entry points (bot/cli/) pick adapters; the rest of bot/ sees ports.",
      severity: "error",
      from: { path: "^bot/", pathNot: COMPOSITION_ROOT },
      to: { path: "^adapters/" },
    },
    {
      name: "cli-no-chat-platform",
      comment: "Commands reach chat platforms through the composition root's list (bot/main.ts PLATFORMS), never by name.",
      severity: "error",
      from: { path: "^bot/cli/" },
      to: { path: "^adapters/(slack|teams)/" },
    },
    {
      name: "prisma-client-in-adapters-db",
      comment: "The Prisma client is built in adapters/db and handed around by the composition root only.",
      severity: "error",
      from: { pathNot: "^adapters/db/|^bot/main\\.ts$" },
      to: { path: [PACKAGE("@prisma/"), PACKAGE("prisma/"), "^prisma$", "^adapters/db/generated/"] },
    },
    {
      name: "bot-framework-in-teams-adapter",
      comment: "The Bot Framework SDK and Teams AI v1 stay in adapters/teams/ so a move to the newer Teams SDK touches one folder.",
      severity: "error",
      from: { pathNot: "^adapters/teams/" },
      to: { path: [PACKAGE("botbuilder"), PACKAGE("@microsoft/teams-ai"), PACKAGE("botframework-")] },
    },
  ],
  options: {
    // The generated Prisma client is in the graph (so the rule above sees who imports it) but not cruised.
    doNotFollow: { path: ["node_modules", "(^|/)generated/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
