import { spawn } from "node:child_process";
import { csv, writeCsv } from "../support/csv-files";
import { ARBOT, CliDatabase, freshCliDatabase, runArbot } from "../support/cli";

let db: CliDatabase;
beforeEach(async () => {
  db = await freshCliDatabase();
});
afterEach(() => db.cleanup());

const HEADER = "customer_id,customer,invoice_number,issue_date,due_date,amount";

test("rejected rows: the good ones are applied, every bad line is named, exit 2 (also with --dry-run)", async () => {
  const file = writeCsv("mixed.csv", csv(HEADER, "C1,Acme,I1,2026-06-01,2026-07-01,1000.00", "C1,Acme,I2,2026-06-01,2026-05-01,10.00", "C1,Acme,I3,2026-06-01,2026-07-01,zero"));
  const dry = await runArbot(["import", "invoices", file, "--dry-run", "--json"], { env: db.env });
  expect(dry.status).toBe(2);
  expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, created: 1, rejected: [{ line: 3 }, { line: 4 }] });

  const result = await runArbot(["import", "invoices", file], { env: db.env });
  expect(result.status).toBe(2);
  expect(result.stdout).toContain("1 created");
  expect(result.stdout).toContain('line 3, column due_date "2026-05-01": due date is before the issue date');
  expect(result.stdout).toContain('line 4, column amount "zero": not a number');
  const stats = await runArbot(["stats", "--json", "--as-of", "2026-07-15"], { env: db.env });
  expect(JSON.parse(stats.stdout).currencies.USD.ar).toBe("1000.00");
});

test("the --json report has the fields of section 6", async () => {
  const file = writeCsv("one.csv", csv(HEADER, "C1,Acme,I1,2026-06-01,2026-07-01,1000.00"));
  const result = await runArbot(["import", "invoices", file, "--json"], { env: db.env });
  expect(result.status).toBe(0);
  const columns = { accountId: "customer_id", accountName: "customer", invoiceNumber: "invoice_number", issueDate: "issue_date", dueDate: "due_date", amount: "amount" };
  expect(JSON.parse(result.stdout)).toEqual({ kind: "invoices", file, dryRun: false, rows: 1, created: 1, updated: 0, unchanged: 0, rejected: [], warnings: [], skipped: 0, merged: 0, columns, credits: { created: 0, updated: 0, unchanged: 0 } });
  expect(result.stderr).toBe(""); // no progress bar when stderr is not a terminal
});

test("import invoices prints which column it read as what", async () => {
  const file = writeCsv("xero.csv", csv("ContactName,InvoiceNumber,InvoiceDate,DueDate,Total,InvoiceAmountDue,Currency", "Acme,INV-0042,2026-06-01,2026-07-01,1000.00,400.00,USD"));
  const result = await runArbot(["import", "invoices", file, "--dry-run"], { env: db.env });
  expect(result.status).toBe(0);
  const lines = result.stdout.split("\n");
  expect(lines[0]).toBe("Columns read:");
  expect(lines).toContain("  account name    ← ContactName");
  expect(lines).toContain("  open balance    ← InvoiceAmountDue");
  expect(lines).toContain("  issue date      ← InvoiceDate");
});

test("a missing required column exits 65 and applies nothing, with a JSON error document", async () => {
  const file = writeCsv("bad.csv", csv("customer_id,invoice_number,amount", "C1,I1,10.00"));
  const result = await runArbot(["import", "invoices", file, "--json"], { env: db.env });
  expect(result.status).toBe(65);
  const doc = JSON.parse(result.stdout);
  expect(doc.error.code).toBe("file_rejected");
  expect(doc.error.message).toContain("missing required column issue_date");
  const unreadable = await runArbot(["import", "payments", "/nonexistent/file.csv"], { env: db.env });
  expect(unreadable.status).toBe(65);
  expect(unreadable.stderr).toContain("cannot read /nonexistent/file.csv");
});

test("usage errors exit 64 and say the expected form", async () => {
  const cases: [string[], string][] = [
    [["import", "widgets", "x.csv"], "import needs a kind: accounts, invoices or payments"],
    [["import", "invoices"], "needs the CSV file"],
    [["import", "invoices", "x.csv", "--as-of", "2026-01-01"], "--as-of is only for stats and digest"],
    [["stats", "--as-of", "yesterday"], "--as-of expects a date like 2026-10-30"],
    [["digest", "--bogus"], "usage: arbot digest"],
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["import", "payments", "x.csv", "--full"], "--full applies to invoices only"],
    [["seed"], "add --demo"],
  ];
  for (const [args, message] of cases) {
    const result = await runArbot(args, { env: db.env });
    expect({ args, status: result.status }).toEqual({ args, status: 64 });
    expect(result.stderr).toContain(message);
  }
  const json = await runArbot(["stats", "--as-of", "nope", "--json"], { env: db.env });
  expect(JSON.parse(json.stdout)).toEqual({ error: { code: "usage", message: expect.stringContaining("--as-of") } });
});

test("an invalid variable exits 78 naming it in one line", async () => {
  const result = await runArbot(["stats"], { env: { ...db.env, AR_TIMEZONE: "Mars/Olympus_Mons" } });
  expect(result.status).toBe(78);
  expect(result.stderr.trim()).toBe("arbot: AR_TIMEZONE: not an IANA time zone (e.g. Europe/Paris)");
  const url = await runArbot(["stats", "--json"], { env: { DATABASE_URL: "mysql://x" } });
  expect(url.status).toBe(78);
  expect(JSON.parse(url.stdout).error.code).toBe("configuration");
});

test("a second process on the same PGlite folder exits 69 naming the holder; PostgreSQL serves both", async () => {
  if (!db.dataDir) {
    // PostgreSQL: two processes run side by side.
    const results = await Promise.all([runArbot(["stats"], { env: db.env }), runArbot(["digest"], { env: db.env })]);
    expect(results.map((r) => r.status)).toEqual([0, 0]);
    return;
  }
  // Hold the folder with a real arbot process: the open-database module waiting on stdin.
  const holder = spawn(
    process.execPath,
    ["-e", `const {openDatabase}=require(${JSON.stringify(ARBOT.replace(/bot\/cli\/arbot\.js$/, "adapters/db/open-database.js"))});openDatabase({kind:"pglite",dataDir:${JSON.stringify(db.dataDir)}},{command:"arbot shell"}).then(()=>process.stdout.write("ready\\n"));process.stdin.resume();process.stdin.on("end",()=>process.exit(0));`],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
  try {
    const result = await runArbot(["stats"], { env: db.env });
    expect(result.status).toBe(69);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`is in use by process ${holder.pid} (arbot shell)`);
    expect(lines[0]).toContain("set DATABASE_URL to a PostgreSQL database to run several");
  } finally {
    holder.stdin.end();
    await new Promise((resolve) => holder.on("close", resolve));
  }
  expect((await runArbot(["stats"], { env: db.env })).status).toBe(0);
});

test("each command validates only the variables it uses; a used one that is invalid exits 78", async () => {
  const file = writeCsv("one.csv", csv(HEADER, "C1,Acme,I1,2026-06-01,2026-07-01,1000.00"));
  const unused = { ...db.env, AR_STALL_DAYS: "abc", AR_DIGEST_TIME: "9am", AR_DIGEST_TOP: "50", AR_ADMINS: "nobody" };
  const imported = await runArbot(["import", "invoices", file, "--dry-run"], { env: unused });
  expect({ status: imported.status, stderr: imported.stderr }).toEqual({ status: 0, stderr: "" });
  expect((await runArbot(["stats"], { env: unused })).status).toBe(0);

  const digest = await runArbot(["digest"], { env: unused });
  expect(digest.status).toBe(78);
  expect(digest.stderr).toBe("arbot: AR_STALL_DAYS: expected a whole number of days from 1 to 365\n");
  const currency = await runArbot(["import", "invoices", file, "--dry-run"], { env: { ...db.env, AR_CURRENCY: "dollars" } });
  expect(currency.status).toBe(78);
  expect(currency.stderr).toBe("arbot: AR_CURRENCY: not an ISO-4217 currency code\n");
});

test("an import FILE must be a regular file: a pipe is refused with exit 65", async () => {
  const result = await runArbot(["import", "invoices", "/dev/stdin"], { env: db.env, input: csv(HEADER, "C1,Acme,I1,2026-06-01,2026-07-01,1000.00") });
  expect(result.status).toBe(65);
  expect(result.stderr).toBe("arbot: cannot read /dev/stdin: FILE must be a regular file, such as a saved CSV export (imports read it twice)\n");
});

test("seed --demo refuses, in one line, a database whose accounts already use demo ids; on its own it runs twice", async () => {
  // A customer of the database's own with id ACME is not mistaken for a loaded demo.
  const file = writeCsv("real.csv", csv(HEADER, "ACME,Real Acme,R-1,2026-06-01,2026-07-01,10.00"));
  expect((await runArbot(["import", "invoices", file], { env: db.env })).status).toBe(0);
  const refused = await runArbot(["seed", "--demo"], { env: db.env });
  expect(refused.status).toBe(64);
  expect(refused.stderr).toBe(
    "arbot: seed --demo refuses: this database already has account ACME, which the demo portfolio uses. Load the demo into an empty database (for example DATABASE_URL=pglite:./data/demo).\n",
  );
  const users = await runArbot(["users", "--json"], { env: db.env });
  expect(JSON.parse(users.stdout)).toEqual({ users: [] }); // nothing of the demo was written

  const empty = await freshCliDatabase();
  try {
    const first = await runArbot(["seed", "--demo"], { env: empty.env });
    expect(first.status).toBe(0);
    const again = await runArbot(["seed", "--demo"], { env: empty.env });
    expect({ status: again.status, stdout: again.stdout }).toEqual({ status: 0, stdout: "The demo portfolio is already loaded; nothing changed.\n" });
  } finally {
    await empty.cleanup();
  }
}, 120_000);

test("every command answers --help and -h with its form, exit 0, without opening the database", async () => {
  const help = await runArbot(["help"]);
  const names = [...help.stdout.matchAll(/^ {2}(\w+) {2,}/gm)].map((m) => m[1]!);
  expect(names).toEqual(expect.arrayContaining(["migrate", "seed", "import", "stats", "digest", "users", "escalate", "serve", "shell", "start"]));
  for (const name of names) {
    for (const flag of ["--help", "-h"]) {
      // A database URL nothing answers: the help must not need it.
      const result = await runArbot([name, flag], { env: { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" } });
      expect({ name, flag, status: result.status, stderr: result.stderr }).toEqual({ name, flag, status: 0, stderr: "" });
      expect(result.stdout).toMatch(new RegExp(`^arbot ${name}`));
    }
  }
});

test("a mistyped command gets the nearest one suggested", async () => {
  const result = await runArbot(["diegst"]);
  expect(result.status).toBe(64);
  expect(result.stderr).toBe('arbot: unknown command "diegst"; did you mean "arbot digest"? Run "arbot help" for the list\n');
});

test("PostgreSQL that does not answer: one line naming the host and port and what to do, exit 69", async () => {
  // Port 1 on the loopback: nothing listens there.
  const result = await runArbot(["stats"], { env: { DATABASE_URL: "postgresql://root@127.0.0.1:1/arbot" } });
  expect(result.status).toBe(69);
  expect(result.stderr).toBe("arbot: cannot reach PostgreSQL: nothing accepts connections on 127.0.0.1:1; start PostgreSQL or fix the host and port in DATABASE_URL\n");
  const migrate = await runArbot(["migrate"], { env: { DATABASE_URL: "postgresql://root@127.0.0.1:1/arbot" } });
  expect(migrate.status).toBe(69);
  expect(migrate.stderr).toContain("nothing accepts connections on 127.0.0.1:1");
});

test("an embedded database path that is a file: one line saying so and what to do, exit 69", async () => {
  const file = writeCsv("not-a-folder", "x\n");
  const result = await runArbot(["stats"], { env: { DATABASE_URL: `pglite:${file}` } });
  expect(result.status).toBe(69);
  expect(result.stderr).toBe(`arbot: cannot open embedded PGlite in ${file}: that is a file, not a folder; point DATABASE_URL at an arbot database folder you can write (pglite:./data/pglite), or a new folder\n`);
});
