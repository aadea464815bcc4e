import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliDatabase, freshCliDatabase, runArbot } from "../support/cli";

let db: CliDatabase;
beforeAll(async () => {
  db = await freshCliDatabase();
});
afterAll(() => db.cleanup());

/**
 * Section 6: imports stream and batch, so a large export fits a small heap. The rows written
 * are far more than a one-shot command's buffer pool holds (open-database.ts): the next
 * process still reads every one of them.
 */
test("100 000 invoice rows import within --max-old-space-size=256, and the next command counts every one", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-large-")), "invoices.csv");
  const out = fs.createWriteStream(file);
  out.write("customer_id,customer,invoice_number,issue_date,due_date,amount,currency\n");
  let totalCents = 0;
  for (let i = 0; i < 100_000; i++) {
    const account = i % 2000;
    out.write(`C${account},Customer ${account},INV-${String(i).padStart(6, "0")},2026-0${1 + (i % 9)}-1${i % 9},2026-1${i % 2}-2${i % 9},${100 + (i % 9000)}.${String(i % 100).padStart(2, "0")},USD\n`);
    totalCents += (100 + (i % 9000)) * 100 + (i % 100);
  }
  await new Promise((resolve) => out.end(resolve));

  const result = await runArbot(["import", "invoices", file, "--json"], { env: db.env, nodeArgs: ["--max-old-space-size=256"] });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ rows: 100_000, created: 100_000, rejected: [] });

  // Every invoice was issued by then and none is paid: the AR is the sum of all 100 000.
  const stats = await runArbot(["stats", "--json", "--as-of", "2026-11-20"], { env: db.env });
  expect(stats.status).toBe(0);
  const ar = `${Math.floor(totalCents / 100)}.${String(totalCents % 100).padStart(2, "0")}`;
  expect(JSON.parse(stats.stdout).currencies.USD.ar).toBe(ar);
}, 600_000);
