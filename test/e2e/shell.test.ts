import { spawn } from "node:child_process";
import { CliDatabase, freshCliDatabase, ROOT, runArbot, unmigratedCliDatabase } from "../support/cli";

function npmStart(input: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["start", "--silent"], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

test("npm start on a new database migrates, loads the demo, and the shell claims Acme Corp as local-admin", async () => {
  const db = await unmigratedCliDatabase();
  try {
    const result = await npmStart("digest\nclaim acme\naccount acme\nexit\n", db.env);
    expect(result.status).toBe(0);
    // Said at once, before the many seconds of creating the database.
    expect(result.stderr.split("\n")[0]).toMatch(process.env.TEST_DATABASE_URL ? /^applied migration / : /^First start: creating the embedded PGlite in .* and loading the demo portfolio; this takes a few seconds…$/);
    expect(result.stdout).toContain("The database was empty: loaded the demo portfolio (42 accounts");
    expect(result.stdout).toMatch(/Overdue digest for /);
    expect(result.stdout).toMatch(/\d+\. Acme Corp \(ACME\)/);
    expect(result.stdout).toContain("You now own Acme Corp for finance.");
    expect(result.stdout).toMatch(/Owners: finance local-admin \(since \d+ \w+ \d{4}\)/);
    expect(result.stdout).toMatch(/local-admin {2}claimed finance: owner local-admin/);
    expect(result.stdout).not.toContain("arbot>"); // no prompt when stdin is not a terminal

    // The next start finds data and loads nothing; the claim is still there.
    const again = await npmStart("account ACME\n", db.env);
    expect(again.status).toBe(0);
    expect(again.stdout).not.toContain("loaded the demo portfolio");
    expect(again.stdout).toContain("Owners: finance local-admin");
  } finally {
    await db.cleanup();
  }
}, 120_000);

describe("arbot shell", () => {
  let db: CliDatabase;
  beforeAll(async () => {
    db = await freshCliDatabase();
    expect((await runArbot(["seed", "--demo"], { env: db.env })).status).toBe(0);
  });
  afterAll(() => db.cleanup());

  test("chat commands run from the command line with the same words; a refusal exits 64", async () => {
    const claimed = await runArbot(["claim", "globex", "as", "sales", "takeover"], { env: db.env });
    expect({ status: claimed.status, stdout: claimed.stdout }).toEqual({ status: 0, stdout: "You took over Globex Industries (sales) from morgan@example.com.\n" });
    const card = await runArbot(["account", "Globex Industries"], { env: db.env });
    expect(card.status).toBe(0);
    expect(card.stdout).toMatch(/ · sales local-admin \(since /);
    const far = await runArbot(["promise", "globex", "$500", "2031-01-01"], { env: db.env });
    expect(far.status).toBe(64);
    expect(far.stderr).toMatch(/^arbot: The promised date 1 Jan 2031 is more than a year away/);
  });

  test("errors go to stderr and the shell goes on; end of input exits 0", async () => {
    const result = await runArbot(["shell"], { env: db.env, input: "frobnicate\nclaim dyn\npromise acme lots fri\nsubscribe\nnote acme Called their AP\nquit\nnote acme never runs\n" });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("“frobnicate” is not a command.");
    expect(result.stderr).toContain("“dyn” matches 3 accounts: Cyberdyne Robotics (C1008), Massive Dynamic (C1015), Yoyodyne Propulsion (C1041).");
    expect(result.stderr).toContain("“lots” is not an amount");
    expect(result.stderr).toContain("Subscriptions belong to a Slack or Teams channel");
    expect(result.stdout).toContain("Note added to Acme Corp.");
    const card = await runArbot(["shell"], { env: db.env, input: "account acme" });
    expect(card.status).toBe(0); // end of input without exit
    expect(card.stdout).toContain("note added: “Called their AP”");
    expect(card.stdout).not.toContain("never runs");
  });

  test("the shell user is local-admin with the admin role", async () => {
    const result = await runArbot(["shell"], { env: db.env, input: "role dana@example.com viewer\nrole dana@example.com finance\n" });
    expect(result.stdout).toContain("dana@example.com is now viewer (was finance).");
    const users = await runArbot(["users", "--json"], { env: db.env });
    const list = JSON.parse(users.stdout).users as { handle: string; role: string; identities: string[] }[];
    expect(list.find((u) => u.handle === "local-admin")).toMatchObject({ role: "admin", identities: ["shell:local-admin"] });
  });

  test("local-admin cannot be demoted, so the shell and users set-role keep working as admin", async () => {
    const result = await runArbot(["shell"], { env: db.env, input: "role boss@example.com admin\nrole local-admin finance\nrole dana@example.com sales\n" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("boss@example.com is now admin; it applies when they first use arbot.");
    expect(result.stderr).toBe("local-admin is the shell and command-line user and always stays admin; its role cannot change.\n");
    expect(result.stdout).toContain("dana@example.com is now sales (was finance).");
    const cli = await runArbot(["users", "set-role", "dana@example.com", "finance"], { env: db.env });
    expect(cli).toMatchObject({ status: 0, stdout: "dana@example.com is now finance (was sales).\n" });
  });

  test("EXIT and Quit end the shell too: any case, spaces around", async () => {
    for (const word of ["EXIT", "  Quit  "]) {
      const result = await runArbot(["shell"], { env: db.env, input: `${word}\nfrobnicate\n` });
      expect(result).toMatchObject({ status: 0, stdout: "", stderr: "" });
    }
  });
});

describe("arbot users", () => {
  let db: CliDatabase;
  beforeAll(async () => {
    db = await freshCliDatabase();
  });
  afterAll(() => db.cleanup());

  test("set-role and set-lead, listed by users", async () => {
    expect((await runArbot(["users", "set-role", "Dana@Example.com", "finance"], { env: db.env })).stdout).toContain("dana@example.com");
    expect((await runArbot(["users", "set-lead", "finance", "dana@example.com"], { env: db.env })).stdout).toBe("dana@example.com is now the finance lead: escalations go to them after the owners.\n");
    const refused = await runArbot(["users", "set-lead", "sales", "dana@example.com"], { env: db.env });
    expect(refused.status).toBe(64);
    expect(refused.stderr).toContain("a sales lead must be sales or admin");
    const list = await runArbot(["users"], { env: db.env });
    expect(list.stdout.split("\n")[0]).toMatch(/^EMAIL OR HANDLE +NAME +ROLE +LEAD OF +CHAT IDENTITIES$/);
    expect(list.stdout).toMatch(/dana@example.com +[^\n]* finance +finance /);
    expect((await runArbot(["users", "set-role", "dana@example.com", "boss"], { env: db.env })).status).toBe(64);
  });

  test("set-role for someone not seen yet says the role is set for when they arrive", async () => {
    const result = await runArbot(["users", "set-role", "brandnew@example.com", "admin"], { env: db.env });
    expect(result).toMatchObject({ status: 0, stdout: "brandnew@example.com is now admin; it applies when they first use arbot.\n" });
    const again = await runArbot(["users", "set-role", "brandnew@example.com", "admin"], { env: db.env });
    expect(again.stdout).toBe("brandnew@example.com already has the admin role.\n");
  });
});
