// Runs once before the jest suite (jest.config.js globalSetup), in plain JavaScript so that it
// needs no transform.
//
// 1. The end-to-end tests run the built dist/: when any TypeScript source is newer than the
//    build, rebuild first, so a forgotten `npm run build` never tests stale code.
// 2. Every temporary file of the run goes into one folder (TMPDIR for the test workers),
//    which global-teardown.js removes: no arbot-csv-* or arbot-db-* folders are left behind.
// 3. On PGlite, the two migrated templates the tests copy (an in-memory dump for
//    test-database.ts, a folder for the CLI processes of cli.ts) are made once here, side by
//    side, instead of once per worker while the other worker waits for the CPU.
const { execFileSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");
const SOURCES = ["bot", "adapters", "domain", "bench"];
const BUILT = path.join(ROOT, "dist", "bot", "cli", "arbot.js");

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const built = fs.existsSync(BUILT) ? fs.statSync(BUILT).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map((dir) => newestSource(path.join(ROOT, dir))), fs.statSync(path.join(ROOT, "tsconfig.build.json")).mtimeMs);
  if (sources <= built) return;
  process.stderr.write(`\ndist/ is ${built ? "older than the sources" : "missing"}: building (tsc -p tsconfig.build.json) before the tests\n`);
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
}

/** `arbot migrate` on a new PGlite folder: the CLI tests copy it (test/support/cli.ts). */
function migratedFolder(runDir) {
  const dir = path.join(runDir, "arbot-cli-template", "pglite");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT, "migrate"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: `pglite:${dir}` },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`arbot migrate for the CLI template exited ${code}: ${stderr}`))));
  });
}

/** The migrated in-memory dump test-database.ts starts each test file's PGlite from. */
async function migratedImage(runDir) {
  const { migratedMemoryImage } = require(path.join(ROOT, "dist", "adapters", "db", "open-database.js"));
  const image = Buffer.from(await (await migratedMemoryImage()).arrayBuffer());
  fs.writeFileSync(path.join(runDir, "arbot-pglite-template.tar"), image);
}

module.exports = async function globalSetup() {
  buildIfStale();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-test-run-"));
  globalThis.__ARBOT_TEST_RUN_DIR__ = runDir;
  // os.tmpdir() reads TMPDIR on every call; workers are forked after this and inherit it.
  process.env.TMPDIR = runDir;
  if (!process.env.TEST_DATABASE_URL) await Promise.all([migratedFolder(runDir), migratedImage(runDir)]);
};
