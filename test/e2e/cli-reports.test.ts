import { csv, writeCsv } from "../support/csv-files";
import { CliDatabase, freshCliDatabase, runArbot } from "../support/cli";

let db: CliDatabase;
beforeAll(async () => {
  db = await freshCliDatabase();
  const env = { ...db.env, ARBOT_NOW: "2026-11-20T12:00:00Z" };
  const invoices = writeCsv(
    "invoices.csv",
    csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "C1,Acme Corp,I1,2026-06-01,2026-07-01,1000.00", "C1,Acme Corp,I2,2026-09-15,2026-10-15,500.00", "C1,Acme Corp,I3,2026-10-20,2026-11-19,300.00"),
  );
  const payments = writeCsv("payments.csv", csv("invoice_number,paid_on,amount", "I1,2026-08-01,400.00", "I2,2026-11-02,100.00"));
  expect((await runArbot(["import", "invoices", invoices], { env })).status).toBe(0);
  expect((await runArbot(["import", "payments", payments], { env })).status).toBe(0);
});
afterAll(() => db.cleanup());

test("arbot stats --json --as-of 2026-10-30 prints the worked example's figures", async () => {
  const result = await runArbot(["stats", "--json", "--as-of", "2026-10-30"], { env: db.env });
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({
    asOf: "2026-10-30",
    currencies: {
      USD: {
        ar: "1400.00",
        overdue: "1100.00",
        disputed: "0.00",
        buckets: { current: "300.00", "1-30": "500.00", "31-60": "0.00", "61-90": "0.00", "90+": "600.00" },
        sales90: "800.00",
        dsoStandard: 157.5,
        dsoCountback: 168.0,
        dsoBestPossible: 33.8,
        add: 123.8,
        cei: 0.0,
      },
    },
    promises: { open: 0, kept: 0, broken: 0, keptRate: null },
    disputes: { open: 0, oldestDays: null },
  });
});

test("arbot digest --json lists the qualifying account with its score parts; human text says why", async () => {
  const json = await runArbot(["digest", "--json", "--as-of", "2026-10-30"], { env: db.env });
  expect(json.status).toBe(0);
  const digest = JSON.parse(json.stdout);
  expect(digest).toEqual({
    asOf: "2026-10-30",
    accounts: [
      {
        rank: 1,
        accountId: "C1",
        name: "Acme Corp",
        // only overdue USD account: 40; 121 dpd ÷ 4 → 30 (cap); over_90 10, stalled 7, no_owner 5
        score: 92,
        scoreParts: { amount: 40, age: 30, over_90: 10, stalled: 7, no_owner: 5 },
        overdue: { USD: "1100.00" },
        maxDaysPastDue: 121,
        reasons: ["over_90", "stalled", "no_owner"],
        owners: { finance: null, sales: null, cs: null },
      },
    ],
    totals: { USD: { overdue: "1100.00", accounts: 1 } },
  });
  const text = await runArbot(["digest", "--as-of", "2026-10-30"], { env: db.env });
  expect(text.stdout).toContain("1. Acme Corp (C1)  USD 1,100.00 overdue, 121 days past due");
  expect(text.stdout).toContain("owners: unowned");
  expect(text.stdout).toContain("why: oldest invoice 121 days past due; no follow-up for 121 days; no finance owner");
  // The score broken down without --json: its parts add up to it.
  expect(text.stdout).toContain("(score 92 = amount 40 + age 30 + over 90 days 10 + stalled 7 + no owner 5)");
  // `digest all` as in chat: the same full report.
  const all = await runArbot(["digest", "all", "--as-of", "2026-10-30"], { env: db.env });
  expect(all.status).toBe(0);
  expect(all.stdout).toBe(text.stdout);
});

test("a future --as-of is a projection of what is known now, with nothing more paid", async () => {
  const result = await runArbot(["stats", "--json", "--as-of", "2027-03-01"], { env: db.env });
  const usd = JSON.parse(result.stdout).currencies.USD;
  // 600 + 400 (I2 after its 11-02 payment) + 300: nothing more paid; all past 90 days by then except I3 (102 dpd → 90+ too)
  expect(usd.ar).toBe("1300.00");
  expect(usd.buckets["90+"]).toBe("1300.00");
});

test("before anything was issued the digest is empty", async () => {
  const result = await runArbot(["digest", "--json", "--as-of", "2026-01-01"], { env: db.env });
  expect(JSON.parse(result.stdout)).toEqual({ asOf: "2026-01-01", accounts: [], totals: {} });
});
