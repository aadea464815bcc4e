import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliDatabase, freshCliDatabase, runArbot } from "../support/cli";

let db: CliDatabase;
beforeAll(async () => {
  db = await freshCliDatabase();
});
afterAll(() => db.cleanup());

/** Section 6: imports stream and batch, so a large export fits a small heap. */
test("100 000 invoice rows import within --max-old-space-size=256", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-large-")), "invoices.csv");
  const out = fs.createWriteStream(file);
  out.write("customer_id,customer,invoice_number,issue_date,due_date,amount,currency\n");
  for (let i = 0; i < 100_000; i++) {
    const account = i % 2000;
    out.write(`C${account},Customer ${account},INV-${String(i).padStart(6, "0")},2026-0${1 + (i % 9)}-1${i % 9},2026-1${i % 2}-2${i % 9},${100 + (i % 9000)}.${String(i % 100).padStart(2, "0")},USD\n`);
  }
  await new Promise((resolve) => out.end(resolve));

  const result = await runArbot(["import", "invoices", file, "--json"], { env: db.env, nodeArgs: ["--max-old-space-size=256"] });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ rows: 100_000, created: 100_000, rejected: [] });
}, 600_000);
