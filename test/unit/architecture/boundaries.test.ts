import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "../../..");
const depcruise = path.join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

/** Modules the planted files may import, at the paths the rules name. */
const SCRATCH_TREE: Record<string, string> = {
  "domain/pure.ts": "export const pure = 1;\n",
  "bot/views/view.ts": "export const view = 1;\n",
  "adapters/db/open-database.ts": "export const x = 1;\n",
  "adapters/db/generated/client.ts": "export class PrismaClient {}\n",
  "adapters/slack/slack-app.ts": "export const slack = 1;\n",
  "adapters/shell/text.ts": "export const text = 1;\n",
};

/** A file planted in the scratch tree, and the rule it must break (null: it must pass). */
interface Plant {
  file: string;
  source: string;
  rule: RegExp | null;
}

const DOMAIN_PASSES: Plant = { file: "domain/planted-ok.ts", source: `import { pure } from "./pure";\nimport { addDays } from "date-fns";\nexport const x = [pure, addDays];\n`, rule: null };

const DOMAIN_FAILS: [string, Plant][] = [
  ["a static fs import", `import fs from "fs";\nexport const x = fs;\n`],
  ["node: prefixed http", `import http from "node:http";\nexport const x = http;\n`],
  ["require of child_process", `// eslint-disable-next-line\nconst cp = require("child_process");\nexport const x = cp;\n`],
  ["a dynamic import of Prisma", `export const load = () => import("@prisma/client");\n`],
  ["the Slack SDK", `import { App } from "@slack/bolt";\nexport const x = App;\n`],
  ["an adapter module", `import { x } from "../adapters/db/open-database";\nexport const y = x;\n`],
].map(([what, source], i) => [what!, { file: `domain/planted-${i}.ts`, source: source!, rule: /^domain-(no-io|no-io-core|inward-only)$/ }]);

const BOT_PASSES: Plant[] = [
  { file: "bot/commands/planted-ok.ts", source: `import { view } from "../views/view";\nexport const x = view;\n`, rule: null },
  {
    file: "bot/main.ts",
    source: `import { slack } from "../adapters/slack/slack-app";\nimport { PrismaClient } from "../adapters/db/generated/client";\nexport const x = [slack, PrismaClient];\n`,
    rule: null,
  },
];

const BOT_FAILS: [string, Plant][] = [
  ["the Slack SDK", "bot/commands/planted-1.ts", `import { App } from "@slack/bolt";\nexport const x = App;\n`, "bot-no-platform-sdk"],
  ["the Bot Framework", "bot/jobs/planted-2.ts", `import { CloudAdapter } from "botbuilder";\nexport const x = CloudAdapter;\n`, "bot-no-platform-sdk"],
  ["a Microsoft SDK", "bot/platform/planted-3.ts", `export const load = () => import("@microsoft/teams-ai");\n`, "bot-no-platform-sdk"],
  ["Prisma", "bot/jobs/planted-4.ts", `import { PrismaClient } from "@prisma/client";\nexport const x = PrismaClient;\n`, "bot-no-platform-sdk"],
  ["the Slack adapter", "bot/commands/planted-5.ts", `import { slack } from "../../adapters/slack/slack-app";\nexport const x = slack;\n`, "bot-adapters-only-in-composition-root"],
  ["a database adapter", "bot/views/planted-6.ts", `import { x } from "../../adapters/db/open-database";\nexport const y = x;\n`, "bot-adapters-only-in-composition-root"],
  ["a chat platform by name, from the command line", "bot/cli/commands/planted-7.ts", `import { slack } from "../../../adapters/slack/slack-app";\nexport const x = slack;\n`, "cli-no-chat-platform"],
  ["the generated Prisma client from another adapter", "adapters/shell/planted-8.ts", `import { PrismaClient } from "../db/generated/client";\nexport const x = PrismaClient;\n`, "prisma-client-in-adapters-db"],
  ["the Bot Framework outside adapters/teams", "adapters/slack/planted-9.ts", `import { CloudAdapter } from "botbuilder";\nexport const x = CloudAdapter;\n`, "bot-framework-in-teams-adapter"],
].map(([what, file, source, rule]) => [what!, { file: file!, source: source!, rule: new RegExp(`^${rule}$`) }]);

const PLANTS: Plant[] = [DOMAIN_PASSES, ...DOMAIN_FAILS.map(([, p]) => p), ...BOT_PASSES, ...BOT_FAILS.map(([, p]) => p)];

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

let cruise: { status: number | null; output: string; violations: Violation[] };

/**
 * One run of the project's boundary check (its real config, `domain bot adapters`) over a
 * scratch tree holding every planted file: each test reads the violations of its own file.
 */
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-boundary-"));
  try {
    const files = { ...SCRATCH_TREE, ...Object.fromEntries(PLANTS.map((p) => [p.file, p.source])) };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", esModuleInterop: true } }));
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    const run = (...extra: string[]) =>
      spawnSync(process.execPath, [depcruise, "--config", path.join(root, ".dependency-cruiser.js"), ...extra, "domain", "bot", "adapters"], {
        cwd: dir,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
    // As `npm run lint:boundaries` runs it (its exit status fails the build), then as JSON to read.
    const gate = run();
    const report = JSON.parse(run("--output-type", "json").stdout) as { summary: { violations: Violation[] } };
    cruise = { status: gate.status, output: `${gate.stdout}${gate.stderr}`, violations: report.summary.violations };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

const rulesBrokenBy = (file: string) => cruise.violations.filter((v) => v.from === file).map((v) => v.rule.name);

test("the check fails the run when any file breaks a rule", () => {
  expect(cruise.status).not.toBe(0);
  expect(cruise.output).toContain("domain/planted-0.ts");
  expect(cruise.violations.length).toBeGreaterThanOrEqual(DOMAIN_FAILS.length + BOT_FAILS.length);
});

describe("the domain import boundary", () => {
  test("passes a domain that imports only itself and pure libraries", () => {
    expect(rulesBrokenBy(DOMAIN_PASSES.file)).toEqual([]);
  });

  test.each(DOMAIN_FAILS)("fails on %s", (_, plant) => {
    expect(rulesBrokenBy(plant.file)).toEqual(expect.arrayContaining([expect.stringMatching(plant.rule!)]));
  });
});

describe("the chat-neutral bot/ boundary", () => {
  test("passes bot/ code that uses its own views, and a composition root that picks adapters", () => {
    for (const plant of BOT_PASSES) expect([plant.file, rulesBrokenBy(plant.file)]).toEqual([plant.file, []]);
  });

  test.each(BOT_FAILS)("fails when bot/ or an adapter imports %s", (_, plant) => {
    expect(rulesBrokenBy(plant.file)).toEqual(expect.arrayContaining([expect.stringMatching(plant.rule!)]));
  });
});
