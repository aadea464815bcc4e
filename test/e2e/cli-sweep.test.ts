import { CliDatabase, freshCliDatabase, runArbot } from "../support/cli";

let db: CliDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  db = await freshCliDatabase();
  env = { ...db.env, ARBOT_NOW: "2026-11-30T12:00:00Z" }; // a Monday
  expect((await runArbot(["seed", "--demo"], { env })).status).toBe(0);
}, 120_000);
afterAll(() => db.cleanup());

test("arbot sweep --dry-run --json on the demo: who would be told and why, with the numbers of the account cards", async () => {
  const result = await runArbot(["sweep", "--dry-run", "--json"], { env });
  expect(result.status).toBe(0);
  const report = JSON.parse(result.stdout);
  expect(report).toMatchObject({ asOf: "2026-11-30", dryRun: true });
  const of = (id: string, trigger = "stalled") => report.escalations.find((e: { accountId: string; trigger: string }) => e.accountId === id && e.trigger === trigger);
  // Claimed by dana and sam 20 days ago, nothing since; its promise (by 15 Nov, + 1 day grace) broke on 17 Nov.
  expect(of("C1005", "broken_promise")).toEqual({
    accountId: "C1005",
    name: "Wayne Freight",
    trigger: "broken_promise",
    level: 1,
    idleDays: 20,
    overdue: { GBP: expect.stringMatching(/^\d+\.\d{2}$/) },
    invoice: null,
    recipients: [
      { kind: "owner", who: "dana@example.com", platform: null },
      { kind: "owner", who: "sam@example.com", platform: null },
    ],
    status: "due",
  });
  // The amount is the account card's overdue figure, and the text says it the same way.
  const card = await runArbot(["account", "C1005"], { env });
  const overdue = Number(of("C1005", "broken_promise").overdue.GBP).toLocaleString("en-US", { minimumFractionDigits: 2 });
  expect(card.stdout).toContain(`overdue GBP ${overdue} (`);
  const text = await runArbot(["sweep", "--dry-run"], { env });
  expect(text.stdout).toContain(`C1005 Wayne Freight: broken promise, level 1, idle 20 days, GBP ${overdue} overdue -> owner dana@example.com`);
  // Nobody owns Acme: the escalation channel would be asked, and there is none yet.
  expect(of("ACME")).toMatchObject({ level: 1, idleDays: 40, recipients: [{ kind: "channel", who: null, platform: null }] });
  // The dispute opened 12 days ago by sam is past the 10-day SLA.
  expect(of("C1011", "dispute_sla")).toMatchObject({ level: 1, idleDays: 12, invoice: expect.any(String), recipients: [{ who: "sam@example.com" }, { who: "dana@example.com" }] });
  // Strategic tier: 3 idle days are enough.
  expect(of("C1010")).toMatchObject({ level: 1, idleDays: 3 });
  expect(report.paused).toEqual([{ accountId: "C1008", why: "open_promise", until: "2026-12-02" }]);

  // A projection: by Friday more accounts stall; nothing was recorded by either run.
  const friday = JSON.parse((await runArbot(["sweep", "--dry-run", "--json", "--as-of", "2026-12-04"], { env })).stdout);
  expect(friday.escalations.length).toBeGreaterThan(report.escalations.length);
  expect(JSON.parse((await runArbot(["sweep", "--dry-run", "--json"], { env })).stdout)).toEqual(report);
}, 120_000);

test("a sweep that sends refuses --as-of (64), needs a chat platform (78), and a daily limit of at least 1 (78)", async () => {
  const dated = await runArbot(["sweep", "--as-of", "2026-12-04"], { env });
  expect(dated.status).toBe(64);
  expect(dated.stderr).toContain("--as-of needs --dry-run");
  const badLimit = await runArbot(["sweep", "--dry-run"], { env: { ...env, AR_ESCALATION_DAILY_LIMIT: "0" } });
  expect(badLimit.status).toBe(78);
  expect(badLimit.stderr).toContain("AR_ESCALATION_DAILY_LIMIT");
  const noPlatform = await runArbot(["sweep", "--json"], { env });
  expect(noPlatform.status).toBe(78);
  expect(JSON.parse(noPlatform.stdout).error.message).toContain("or use --dry-run");
}, 120_000);
