import { spawn } from "node:child_process";
import { ARBOT, CliDatabase, freshCliDatabase, ROOT, runArbot } from "../support/cli";
import { csv, writeCsv } from "../support/csv-files";

let db: CliDatabase;
beforeAll(async () => {
  db = await freshCliDatabase();
}, 60_000);
afterAll(() => db.cleanup());

/** Runs arbot on a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function onTerminal(args: string[], env: Record<string, string>, typed = ""): Promise<{ status: number | null; screen: string }> {
  const command = [process.execPath, ARBOT, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", ...env } });
    let screen = "";
    child.stdout.on("data", (d: Buffer) => (screen += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, screen }));
    child.stdin.end(typed);
  });
}

test("on a terminal an import shows its progress, ending at every row", async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => `C${i % 40},Customer ${i % 40},PRG-${i},2026-08-01,2026-09-01,${100 + i}.00`);
  const file = writeCsv("progress.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", ...rows));
  const { status, screen } = await onTerminal(["import", "invoices", file], db.env);
  expect(status).toBe(0);
  expect(screen).toContain("import invoices [############------------------] 40% 1000/2500 rows");
  expect(screen).toContain("import invoices [##############################] 100% 2500/2500 rows");
  expect(screen).toContain("2500 rows — 2500 created, 0 updated, 0 unchanged, 0 rejected");
}, 120_000);

test("on a terminal the shell shows its prompt; piped, it shows none", async () => {
  const { status, screen } = await onTerminal(["shell"], db.env, "stats\nexit\n");
  expect(status).toBe(0);
  expect(screen).toContain("arbot> ");
  const piped = await runArbot(["shell"], { env: db.env, input: "stats\nexit\n" });
  expect(piped.status).toBe(0);
  expect(piped.stdout).toContain("AR metrics");
  expect(piped.stdout).not.toContain("arbot> ");
}, 120_000);
