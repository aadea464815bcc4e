import { csv, writeCsv } from "../support/csv-files";
import { CliDatabase, freshCliDatabase, runArbot } from "../support/cli";

let db: CliDatabase;
beforeAll(async () => {
  db = await freshCliDatabase();
});
afterAll(() => db.cleanup());

test("invoices keyed by name, then an accounts file with ids: one account, found by name, with its invoices and owner", async () => {
  const invoices = writeCsv("invoices.csv", csv("Customer,Invoice #,Invoice Date,Due Date,Amount", "Cooper Hardware,CH-1001,2026-09-01,2026-10-01,\"1,250.00\"", "Cooper Hardware,CH-1002,2026-10-01,2026-10-31,400.00"));
  expect((await runArbot(["import", "invoices", invoices], { env: db.env })).status).toBe(0);
  const accounts = writeCsv("accounts.csv", csv("Customer ID,Customer Name,Segment,Finance Owner Email", "CUST-77,Cooper Hardware,smb,dana@example.com"));
  const imported = await runArbot(["import", "accounts", accounts], { env: db.env });
  expect(imported.status).toBe(0);
  expect(imported.stdout).toContain("0 created, 1 updated");

  const card = await runArbot(["shell"], { env: db.env, input: "account cooper\n" });
  expect(card.status).toBe(0);
  expect(card.stderr).toBe(""); // no "matches 2 accounts"
  expect(card.stdout).toContain("Cooper Hardware (CUST-77)");
  expect(card.stdout).toContain("USD 1,650.00");
  expect(card.stdout).toContain("dana@example.com");
  // The next day's invoices file, now keyed by id, lands on the same account.
  const next = writeCsv("invoices-2.csv", csv("Customer ID,Customer,Invoice #,Invoice Date,Due Date,Amount", "CUST-77,Cooper Hardware,CH-1003,2026-11-02,2026-12-02,100.00"));
  const again = await runArbot(["import", "invoices", next, "--json"], { env: db.env });
  expect(JSON.parse(again.stdout)).toMatchObject({ created: 1, warnings: [] });
  const users = await runArbot(["shell"], { env: db.env, input: "account CUST-77\n" });
  expect(users.stdout).toContain("USD 1,750.00");
}, 120_000);
