import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "../../..");
const depcruise = path.join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

/** Modules the planted file may import, at the paths the rules name. */
const SCRATCH_TREE: Record<string, string> = {
  "domain/pure.ts": "export const pure = 1;\n",
  "bot/views/view.ts": "export const view = 1;\n",
  "adapters/db/open-database.ts": "export const x = 1;\n",
  "adapters/db/generated/client.ts": "export class PrismaClient {}\n",
  "adapters/slack/slack-app.ts": "export const slack = 1;\n",
  "adapters/shell/text.ts": "export const text = 1;\n",
};

/** Runs the project's boundary check on a scratch tree holding `file` with `source`. */
function check(file: string, source: string): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-boundary-"));
  try {
    for (const [name, text] of Object.entries({ ...SCRATCH_TREE, [file]: source })) {
      fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", esModuleInterop: true } }));
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    const result = spawnSync(process.execPath, [depcruise, "--config", path.join(root, ".dependency-cruiser.js"), "domain", "bot", "adapters"], { cwd: dir, encoding: "utf8" });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the domain import boundary", () => {
  test("passes a domain that imports only itself and pure libraries", () => {
    const result = check("domain/planted.ts", `import { pure } from "./pure";\nimport { addDays } from "date-fns";\nexport const x = [pure, addDays];\n`);
    expect(result.output).toContain("no dependency violations");
    expect(result.status).toBe(0);
  });

  test.each([
    ["a static fs import", `import fs from "fs";\nexport const x = fs;\n`],
    ["node: prefixed http", `import http from "node:http";\nexport const x = http;\n`],
    ["require of child_process", `// eslint-disable-next-line\nconst cp = require("child_process");\nexport const x = cp;\n`],
    ["a dynamic import of Prisma", `export const load = () => import("@prisma/client");\n`],
    ["the Slack SDK", `import { App } from "@slack/bolt";\nexport const x = App;\n`],
    ["an adapter module", `import { x } from "../adapters/db/open-database";\nexport const y = x;\n`],
  ])("fails on %s", (_, source) => {
    const result = check("domain/planted.ts", source);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/domain-(no-io|no-io-core|inward-only)/);
    expect(result.output).toContain("domain/planted.ts");
  });
});

describe("the chat-neutral bot/ boundary", () => {
  test("passes bot/ code that uses its own views, and a composition root that picks adapters", () => {
    expect(check("bot/commands/planted.ts", `import { view } from "../views/view";\nexport const x = view;\n`).status).toBe(0);
    const root = check("bot/main.ts", `import { slack } from "../adapters/slack/slack-app";\nimport { PrismaClient } from "../adapters/db/generated/client";\nexport const x = [slack, PrismaClient];\n`);
    expect(root.output).toContain("no dependency violations");
    expect(root.status).toBe(0);
  });

  test.each([
    ["the Slack SDK", "bot/commands/planted.ts", `import { App } from "@slack/bolt";\nexport const x = App;\n`, "bot-no-platform-sdk"],
    ["the Bot Framework", "bot/jobs/planted.ts", `import { CloudAdapter } from "botbuilder";\nexport const x = CloudAdapter;\n`, "bot-no-platform-sdk"],
    ["a Microsoft SDK", "bot/platform/planted.ts", `export const load = () => import("@microsoft/teams-ai");\n`, "bot-no-platform-sdk"],
    ["Prisma", "bot/jobs/planted.ts", `import { PrismaClient } from "@prisma/client";\nexport const x = PrismaClient;\n`, "bot-no-platform-sdk"],
    ["the Slack adapter", "bot/commands/planted.ts", `import { slack } from "../../adapters/slack/slack-app";\nexport const x = slack;\n`, "bot-adapters-only-in-composition-root"],
    ["a database adapter", "bot/views/planted.ts", `import { x } from "../../adapters/db/open-database";\nexport const y = x;\n`, "bot-adapters-only-in-composition-root"],
    ["the Bot Framework from another adapter", "adapters/slack/planted.ts", `import { CloudAdapter } from "botbuilder";\nexport const x = CloudAdapter;\n`, "bot-framework-in-teams-adapter"],
    ["Teams AI from another adapter", "adapters/shell/planted.ts", `export const load = () => import("@microsoft/teams-ai");\n`, "bot-framework-in-teams-adapter"],
    ["the generated Prisma client from another adapter", "adapters/shell/planted.ts", `import { PrismaClient } from "../db/generated/client";\nexport const x = PrismaClient;\n`, "prisma-client-in-adapters-db"],
  ])("fails when bot/ or an adapter imports %s", (_, file, source, rule) => {
    const result = check(file, source);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(rule);
    expect(result.output).toContain(file);
  });
});
