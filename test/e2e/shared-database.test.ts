import { spawn } from "node:child_process";
import path from "node:path";
import { csv, writeCsv } from "../support/csv-files";
import { ARBOT, ROOT, runArbot } from "../support/cli";
import { eventually } from "../support/arbot-server";
import { blocksText, SlackHarness } from "../support/slack-harness";

// The server holds the embedded database; the daily import, stats, digest and users run beside
// it (forwarded to it on PGlite, side by side on PostgreSQL) with their usual output and statuses.
const h = new SlackHarness();
beforeAll(() => h.start(), 180_000);
afterAll(() => h.stop());

const HEADER = "customer_id,customer,invoice_number,issue_date,due_date,amount";

test("import, stats and digest work while the server runs, and the server sees what was imported", async () => {
  const file = writeCsv("daily.csv", csv(HEADER, "Z900,Zephyr Freight,ZF-1,2026-06-01,2026-07-01,1234.50"));
  const imported = await runArbot(["import", "invoices", file, "--json"], { env: h.env });
  expect({ status: imported.status, stderr: imported.stderr }).toEqual({ status: 0, stderr: "" });
  expect(JSON.parse(imported.stdout)).toMatchObject({ kind: "invoices", created: 1, rejected: [] });

  const stats = await runArbot(["stats", "--json"], { env: h.env });
  expect(stats.status).toBe(0);
  expect(JSON.parse(stats.stdout).currencies.USD.ar).toMatch(/^\d+\.\d\d$/);
  const digest = await runArbot(["digest"], { env: h.env });
  expect(digest.status).toBe(0);
  expect(digest.stdout).toContain("Zephyr Freight (Z900)  USD 1,234.50 overdue");
  const users = await runArbot(["users"], { env: h.env });
  expect(users.status).toBe(0);
  expect(users.stdout).toContain("dana@example.com");

  // The server answers from the same data.
  const since = h.slack.calls.length;
  await h.command("account zephyr");
  const card = await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0DANA", since);
  expect(JSON.stringify(card.args.blocks)).toContain("ZF-1");
});

test("statuses and errors are the command's own: rejected rows 2, a missing file 65, a usage error 64", async () => {
  const mixed = writeCsv("mixed.csv", csv(HEADER, "Z901,Yonder Ltd,YL-1,2026-06-01,2026-07-01,10.00", "Z901,Yonder Ltd,YL-2,2026-06-01,2026-07-01,zero"));
  const rejected = await runArbot(["import", "invoices", mixed], { env: h.env });
  expect(rejected.status).toBe(2);
  expect(rejected.stdout).toContain('line 3, column amount "zero": not a number');
  const missing = await runArbot(["import", "invoices", "/nonexistent/daily.csv"], { env: h.env });
  expect(missing.status).toBe(65);
  expect(missing.stderr).toMatch(/^arbot: cannot read \/nonexistent\/daily\.csv/);
  const json = await runArbot(["stats", "--as-of", "yesterday", "--json"], { env: h.env });
  expect(json.status).toBe(64);
  const folder = path.dirname(writeCsv("daily.csv", csv(HEADER, "Z902,Xeno Co,XC-1,2026-06-01,2026-07-01,5.00")));
  const relative = await runArbot(["import", "invoices", "daily.csv", "--dry-run"], { env: h.env, cwd: folder });
  expect(relative.status).toBe(0); // a path relative to the caller's folder, not the server's
  expect(relative.stdout).toContain("1 created");
});

test("the shell and migrate run beside the server too", async () => {
  const shell = await runArbot(["shell"], { env: h.env, input: "account zephyr\nnote zephyr Called their AP\nexit\n" });
  expect(shell.status).toBe(0);
  expect(shell.stdout).toContain("ZF-1  due 1 Jul 2026");
  expect(shell.stdout).toContain("Note added to Zephyr Freight.");
  const migrate = await runArbot(["migrate"], { env: h.env });
  expect(migrate.status).toBe(0);
  expect(migrate.stdout).toContain("up to date");
});

test("Ctrl-C on a command forwarded to the server says what happens there, and the server stops that command", async () => {
  // Only the embedded database forwards commands.
  if (!h.db.dataDir) return;
  // A forwarded shell runs in the server for as long as its input is open.
  const child = spawn(process.execPath, [ARBOT, "shell"], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", ...h.env }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  try {
    child.stdin.write("account globex\n");
    await eventually(() => stdout.includes("Globex Industries (C1001)"), 60_000);
    child.kill("SIGINT");
    expect(await ended).toEqual({ code: null, signal: "SIGINT" });
  } finally {
    child.kill("SIGKILL");
  }
  expect(stderr).toMatch(/^arbot: stopped; the process holding the database \(pid \d+\) runs this command: if it was still waiting its turn there it will not start, if it had started it finishes \(a shell ends with its input\)\n$/);
  await eventually(() => h.server.logs().includes("a forwarded command's client left: arbot shell is told to stop"), 60_000);
}, 120_000);

test("a second server is refused: the folder is in use (PGlite), or it starts beside it (PostgreSQL)", async () => {
  // PostgreSQL serves any number of processes: there, nothing is refused.
  if (!h.db.dataDir) return;
  const second = await runArbot(["serve"], { env: { ...h.env, PORT: "0" } });
  expect(second.status).toBe(69);
  expect(second.stderr).toContain("is in use by process");
  expect(second.stderr).toContain("(arbot serve)");
});

test("the server's cached digest shows another process's import: forwarded to it (embedded database), or heard at once (PostgreSQL)", async () => {
  const digestText = async () => {
    const since = h.slack.calls.length;
    await h.command("digest");
    return blocksText(await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0DANA", since));
  };
  expect(await digestText()).not.toContain("Quantum Rail");
  const file = writeCsv("late.csv", csv(HEADER, "Z950,Quantum Rail,QR-1,2026-03-01,2026-04-01,990000.00"));
  const imported = await runArbot(["import", "invoices", file], { env: h.env });
  expect({ status: imported.status, stderr: imported.stderr }).toEqual({ status: 0, stderr: "" });
  if (h.db.dataDir) {
    // The import ran in the server's process: its next request shows it.
    expect(await digestText()).toContain("Quantum Rail");
    return;
  }
  // On PostgreSQL the import's announcement reaches the server on a connection of its own,
  // moments after the import ends: asked again until it shows, for well under the cached
  // digest's minute (without the announcement it would show only once that minute is over).
  let text = await digestText();
  for (let attempt = 0; attempt < 10 && !text.includes("Quantum Rail"); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    text = await digestText();
  }
  expect(text).toContain("Quantum Rail");
});
