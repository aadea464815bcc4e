import { readCsvRecords, readCsvRecordsWithCsvParse } from "../../../adapters/csv/csv-file";
import { writeCsv } from "../../support/csv-files";

type Outcome = { records: { line: number; values: string[] }[] } | { error: string };

async function collect(records: AsyncIterable<{ line: number; values: string[] }>): Promise<Outcome> {
  const out: { line: number; values: string[] }[] = [];
  try {
    for await (const record of records) out.push({ line: record.line, values: [...record.values] });
    return { records: out };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A small deterministic generator, so a failure names a case that comes back. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PIECES = ["a", "b1", " ", ",", ";", '"', '""', "\n", "\r", "\r\n", "ü", "€", "\uFEFF", "x y", ",,", '","'];

function randomText(next: () => number): string {
  const length = Math.floor(next() * 30);
  let text = next() < 0.2 ? "\uFEFF" : "";
  for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)]!;
  return text;
}

/** Mostly well-formed exports: quoted and unquoted fields, blank lines, any line end. */
function plainText(next: () => number): string {
  const end = ["\n", "\r\n", "\r"][Math.floor(next() * 3)]!;
  const lines: string[] = [];
  for (let i = 0; i < 1 + Math.floor(next() * 8); i++) {
    if (next() < 0.1) {
      lines.push("");
      continue;
    }
    const fields: string[] = [];
    for (let f = 0; f < 1 + Math.floor(next() * 4); f++) {
      const r = next();
      if (r < 0.3) fields.push(`"v${f}, ""q""${next() < 0.3 ? "\r\nmore" : ""}"`);
      else if (r < 0.4) fields.push("");
      else fields.push(`v${Math.floor(next() * 100)}`);
    }
    lines.push(fields.join(","));
  }
  return lines.join(end) + (next() < 0.7 ? end : "");
}

test("records, lines and refusals are csv-parse's for any text, whatever the reads it comes in", async () => {
  const next = random(20261201);
  for (let i = 0; i < 400; i++) {
    const text = i % 2 === 0 ? randomText(next) : plainText(next);
    const delimiter = next() < 0.8 ? "," : ";";
    const file = writeCsv("f.csv", text);
    const expected = await collect(readCsvRecordsWithCsvParse(file, delimiter));
    for (const chunk of [1, 3, 1 << 20]) {
      const actual = await collect(readCsvRecords(file, delimiter, chunk));
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(`case ${i}, reads of ${chunk}: ${JSON.stringify(text)}\n  plain:     ${JSON.stringify(actual)}\n  csv-parse: ${JSON.stringify(expected)}`);
      }
    }
  }
});

test("a file that leaves the plain form late is read on by csv-parse without repeating a record", async () => {
  const rows = Array.from({ length: 50 }, (_, i) => `N-${i},${i}.00`);
  const file = writeCsv("late.csv", ["number,amount", ...rows, 'N-50,"1,0"0"', "N-51,2.00", ""].join("\n"));
  const outcome = await collect(readCsvRecords(file, ",", 64));
  expect(outcome).toEqual(await collect(readCsvRecordsWithCsvParse(file, ",")));
  expect("records" in outcome && outcome.records.map((r) => r.values[0])).toEqual(["number", ...rows.map((r) => r.split(",")[0]), "N-50", "N-51"]);
});

test("a record longer than a megabyte is read, and a quote left open refused, as csv-parse does", async () => {
  const long = `"${"x".repeat(1_200_000)}"`;
  for (const text of [`number,memo\nN-1,${long}\nN-2,b\n`, `number,memo\nN-1,a\nN-2,"${"y".repeat(1_200_000)}\n`]) {
    const file = writeCsv("long.csv", text);
    const outcome = await collect(readCsvRecords(file, ",", 64 * 1024));
    expect(outcome).toEqual(await collect(readCsvRecordsWithCsvParse(file, ",")));
  }
});
