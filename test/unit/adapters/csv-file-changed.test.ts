import fs from "node:fs";
import { openInvoicesCsv } from "../../../adapters/csv/import-file";
import { csv, writeCsv } from "../../support/csv-files";

const HEADER = "customer_id,customer,invoice_number,issue_date,due_date,amount,currency";
const options = { defaultCurrency: "USD" };

async function readAll(source: Awaited<ReturnType<typeof openInvoicesCsv>>, afterFirstRun: () => void = () => undefined): Promise<number> {
  let rows = 0;
  for await (const run of source.rows()) {
    if (rows === 0) afterFirstRun();
    rows += run.length;
  }
  return rows;
}

test("rows read from the file as it was checked", async () => {
  const file = writeCsv("a.csv", csv(HEADER, "C1,One,N-1,2026-09-01,2026-10-01,100.00,USD", "C1,One,N-2,2026-09-01,2026-10-01,5.00,USD"));
  const source = await openInvoicesCsv(file, options);
  expect(source.total).toBe(2);
  expect(await readAll(source)).toBe(2);
  // Reading the rows again, with the file untouched, is fine too.
  expect(await readAll(source)).toBe(2);
});

test("a file written to, or replaced, between the check and the rows is refused before the first row", async () => {
  const file = writeCsv("b.csv", csv(HEADER, "C1,One,N-1,2026-09-01,2026-10-01,100.00,USD"));
  const appended = await openInvoicesCsv(file, options);
  fs.appendFileSync(file, "C1,One,N-2,2026-09-01,2026-10-01,5.00,USD\n");
  await expect(readAll(appended)).rejects.toThrow(`${file} changed after it was checked`);

  // Replaced by a file of the same size (an export job writing a temporary file and renaming it).
  const replaced = await openInvoicesCsv(file, options);
  const next = `${file}.tmp`;
  fs.writeFileSync(next, fs.readFileSync(file, "utf8").replace("100.00", "900.00"));
  fs.renameSync(next, file);
  await expect(readAll(replaced)).rejects.toThrow(`${file} changed after it was checked`);
});

test("a rewrite that puts back the size and the modification time (cp -p, touch -r) is refused too", async () => {
  const file = writeCsv("d.csv", csv(HEADER, "C1,One,N-1,2026-09-01,2026-10-01,100.00,USD"));
  // Whole seconds, which setting the times back reproduces exactly.
  const stamp = 1_790_000_000;
  fs.utimesSync(file, stamp, stamp);
  const before = fs.statSync(file);
  const source = await openInvoicesCsv(file, options);
  const checked = fs.statSync(file).ctimeMs;
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("100.00", "900.00"));
  fs.utimesSync(file, stamp, stamp);
  // The system stamps the change time with its clock's tick: on a coarse one the rewrite can
  // share the check's tick, so the times are put back again until the tick has moved on.
  while (fs.statSync(file).ctimeMs === checked) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    fs.utimesSync(file, stamp, stamp);
  }
  expect(fs.statSync(file)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs, ino: before.ino });
  await expect(readAll(source)).rejects.toThrow(`${file} changed after it was checked`);
});

test("a file written to while its rows are read gives a warning once they are read (batches were applied by then)", async () => {
  // Larger than two reads of the file (64 KiB each): the row appended after the first run is
  // read, whatever the timing (a one-read file may or may not have met its end already).
  const rows = Array.from({ length: 3000 }, (_, i) => `C1,One,N-${i},2026-09-01,2026-10-01,100.00,USD`);
  const file = writeCsv("c.csv", csv(HEADER, ...rows));
  expect(fs.statSync(file).size).toBeGreaterThan(2 * 64 * 1024);
  const source = await openInvoicesCsv(file, options);
  const before = [...source.warnings];
  expect(await readAll(source, () => fs.appendFileSync(file, "C1,One,N-9999,2026-09-01,2026-10-01,5.00,USD\n"))).toBe(3001);
  expect(source.warnings).toEqual([
    ...before,
    `${file} changed while it was being imported (written to or replaced): rows read after the change may come from the new content; run the import again (rows already imported are recognized, not added twice)`,
  ]);
});
