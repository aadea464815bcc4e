/**
 * The import boundary of ARCHITECTURE.md section 1: the domain stays pure (no I/O, no
 * platform SDK, no ORM), and the Bot Framework stays inside adapters/teams/.
 * test/unit/architecture/domain-boundary.test.ts proves this check fails on a violation.
 */
// Matched against the import as written when unresolved, and against the resolved path
// (node_modules/…) when it resolves.
const PACKAGE = (name) => `(^|node_modules/)${name}`;
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
      name: "bot-framework-in-teams-adapter",
      comment: "The Bot Framework SDK and Teams AI v1 stay in adapters/teams/ so a move to the newer Teams SDK touches one folder.",
      severity: "error",
      from: { pathNot: "^adapters/teams/" },
      to: { path: [PACKAGE("botbuilder"), PACKAGE("@microsoft/teams-ai"), PACKAGE("botframework-")] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
