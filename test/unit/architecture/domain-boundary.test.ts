import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "../../..");
const depcruise = path.join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

/** Runs the project's boundary check on a scratch tree holding one domain file. */
function checkDomainFile(source: string): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-boundary-"));
  fs.mkdirSync(path.join(dir, "domain"), { recursive: true });
  fs.writeFileSync(path.join(dir, "domain", "planted.ts"), source);
  fs.writeFileSync(path.join(dir, "domain", "pure.ts"), "export const pure = 1;\n");
  fs.mkdirSync(path.join(dir, "adapters", "db"), { recursive: true });
  fs.writeFileSync(path.join(dir, "adapters", "db", "open-database.ts"), "export const x = 1;\n");
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", esModuleInterop: true } }));
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  const result = spawnSync(process.execPath, [depcruise, "--config", path.join(root, ".dependency-cruiser.js"), "domain"], {
    cwd: dir,
    encoding: "utf8",
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the domain import boundary", () => {
  test("passes a domain that imports only itself and pure libraries", () => {
    const result = checkDomainFile(`import { pure } from "./pure";\nimport { addDays } from "date-fns";\nexport const x = [pure, addDays];\n`);
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
    const result = checkDomainFile(source);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/domain-(no-io|no-io-core|inward-only)/);
    expect(result.output).toContain("domain/planted.ts");
  });
});
