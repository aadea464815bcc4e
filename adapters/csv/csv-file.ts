import fs from "node:fs";
import { parse } from "csv-parse";

/** A whole file refused before anything is applied (exit 65). */
export class CsvFileRejected extends Error {}

export type Delimiter = "," | ";";

export interface CsvRecord {
  /** Physical line where the record starts; the header is line 1. */
  line: number;
  values: string[];
}

const NEWLINES = /\r\n|\n|\r/g;

/** Imports read a file twice (a check, then the rows): a pipe or a device cannot be read again. */
export async function requireRegularFile(path: string): Promise<void> {
  let stats: fs.Stats;
  try {
    stats = await fs.promises.stat(path);
  } catch (error) {
    throw new CsvFileRejected(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!stats.isFile()) throw new CsvFileRejected(`cannot read ${path}: FILE must be a regular file, such as a saved CSV export (imports read it twice)`);
}

/** Comma or semicolon, by whichever occurs more often outside quotes in the header line. */
export async function sniffDelimiter(path: string): Promise<Delimiter> {
  const stream = fs.createReadStream(path, { encoding: "utf8", start: 0, end: 64 * 1024 });
  let head = "";
  try {
    for await (const chunk of stream) {
      head += chunk as string;
      if (/\r|\n/.test(head)) break;
    }
  } catch (error) {
    throw new CsvFileRejected(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  } finally {
    stream.destroy();
  }
  const firstLine = head.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/)[0] ?? "";
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/** Line breaks inside a record's values: the physical lines it spans beyond its first. */
function innerLineBreaks(values: string[]): number {
  let count = 0;
  for (const value of values) {
    if (value.includes("\n") || value.includes("\r")) count += value.match(NEWLINES)?.length ?? 0;
  }
  return count;
}

/**
 * Streams the records of a CSV file with the physical line each starts on. Blank lines are
 * skipped; UTF-8 with or without BOM; CRLF, LF or CR line ends.
 */
export async function* readCsvRecords(path: string, delimiter: Delimiter): AsyncGenerator<CsvRecord> {
  const parser = fs.createReadStream(path).pipe(
    parse({
      bom: true,
      delimiter,
      // Blank lines come through as records of one empty value, so that lines are counted
      // here: csv-parse's own count (`info`) costs two objects per record, a tenth of a
      // large import's time.
      skip_empty_lines: false,
      relax_column_count: true,
      relax_quotes: true,
      record_delimiter: ["\r\n", "\n", "\r"],
    }),
  );
  // Each record spans one line plus the line breaks inside its quoted values (a CRLF is one).
  // The line the last record ended on: a record that fails starts on the next.
  let lastEnd = 0;
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      const start = lastEnd + 1;
      lastEnd = start + innerLineBreaks(values);
      if (values.every((v) => v.trim() === "")) continue;
      yield { line: start, values };
    }
  } catch (error) {
    if (error instanceof CsvFileRejected) throw error;
    const e = error as NodeJS.ErrnoException;
    if (e.code === "ENOENT" || e.code === "EACCES" || e.code === "EISDIR") throw new CsvFileRejected(`cannot read ${path}: ${e.code}`);
    const start = lastEnd + 1;
    if (e.code === "CSV_QUOTE_NOT_CLOSED") throw new CsvFileRejected(`${path} is not a readable CSV file: the record starting on line ${start} has a quote that is never closed`);
    throw new CsvFileRejected(`${path} is not a readable CSV file (record starting on line ${start}): ${e.message}`);
  }
}
