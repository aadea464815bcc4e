import fs from "node:fs";

/** A whole file refused before anything is applied (exit 65). */
export class CsvFileRejected extends Error {}

export type Delimiter = "," | ";";

export interface CsvRecord {
  /** Physical line where the record starts; the header is line 1. */
  readonly line: number;
  readonly values: string[];
}

/**
 * A record of one line without quotes, as the plain reader finds most of an export: cut into
 * values when they are first asked for. An import's first pass reads a few cells of each row
 * (`valueAt`) and need not cut every line: that was a sixteenth of a re-import's allocations.
 */
class PlainRecord implements CsvRecord {
  private cut: string[] | null = null;

  constructor(
    readonly line: number,
    private readonly text: string,
    private readonly delimiter: Delimiter,
  ) {}

  get values(): string[] {
    return (this.cut ??= this.text.split(this.delimiter));
  }

  /** The value at `index`, untrimmed ("" past the last). */
  valueAt(index: number): string {
    if (this.cut) return this.cut[index] ?? "";
    const { text, delimiter } = this;
    let start = 0;
    for (let i = 0; i < index; i++) {
      const at = text.indexOf(delimiter, start);
      if (at === -1) return "";
      start = at + 1;
    }
    const end = text.indexOf(delimiter, start);
    return end === -1 ? text.slice(start) : text.slice(start, end);
  }

  mayContain(search: string): boolean {
    return this.text.includes(search);
  }
}

/** The value at `index` of a record, untrimmed ("" past the last), without cutting a plain one into values. */
export function valueAt(record: CsvRecord, index: number): string {
  return record instanceof PlainRecord ? record.valueAt(index) : (record.values[index] ?? "");
}

/** False only when no value of the record contains `search`; cheap for a plain record. */
export function mayContain(record: CsvRecord, search: string): boolean {
  return record instanceof PlainRecord ? record.mayContain(search) : true;
}

const NEWLINES = /\r\n|\n|\r/g;

/** What tells one content of a path from another: a file rewritten in place or replaced changes one of these. */
export interface FileVersion {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** Set by the system on every write, unlike the modification time (`touch -r`, `cp -p`, `rsync -t` set that). */
  ctimeMs: number;
}

/**
 * Imports read a file twice (a check, then the rows): a pipe or a device cannot be read again.
 * Returns the file's version, to tell later whether it changed.
 */
export async function requireRegularFile(path: string): Promise<FileVersion> {
  let stats: fs.Stats;
  try {
    stats = await fs.promises.stat(path);
  } catch (error) {
    throw new CsvFileRejected(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!stats.isFile()) throw new CsvFileRejected(`cannot read ${path}: FILE must be a regular file, such as a saved CSV export (imports read it twice)`);
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

/** Whether the file at `path` is still the one `checked` describes (gone counts as changed). */
export async function isUnchanged(path: string, checked: FileVersion): Promise<boolean> {
  const now = await requireRegularFile(path).catch(() => null);
  return now !== null && now.dev === checked.dev && now.ino === checked.ino && now.size === checked.size && now.mtimeMs === checked.mtimeMs && now.ctimeMs === checked.ctimeMs;
}

/**
 * The rows are read after the check, and an import may wait its turn in between (another
 * import writing): a file an export job rewrote meanwhile was checked as one content and
 * would be applied as another. Refused before the first row instead (exit 65, nothing applied).
 */
export async function requireUnchanged(path: string, checked: FileVersion): Promise<void> {
  if (await isUnchanged(path, checked)) return;
  throw new CsvFileRejected(
    `${path} changed after it was checked (written to or replaced, for example by an export job while this import waited for another): nothing was imported; run the import again`,
  );
}

/**
 * Said once the rows are read when the file changed while they were: batches were applied by
 * then, so this is a warning (rows already imported are recognized when it runs again).
 */
export function changedWhileRead(path: string): string {
  return `${path} changed while it was being imported (written to or replaced): rows read after the change may come from the new content; run the import again (rows already imported are recognized, not added twice)`;
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

/** How much of the file the plain reader takes at a time: about a thousand records of an export. */
const CHUNK_CHARS = 64 * 1024;
/** The longest record the plain reader waits for before handing the file to csv-parse. */
const PENDING_LIMIT_CHARS = 1024 * 1024;

/**
 * Streams the records of a CSV file with the physical line each starts on. Blank lines are
 * skipped; UTF-8 with or without BOM; CRLF, LF or CR line ends.
 */
export async function* readCsvRecords(path: string, delimiter: Delimiter, chunkChars = CHUNK_CHARS): AsyncGenerator<CsvRecord> {
  for await (const records of readCsvRuns(path, delimiter, chunkChars)) yield* records;
}

/**
 * The records of a CSV file as readCsvRecords gives them, a run of records (one read of the
 * file) at a time: a step of an async generator per record cost more than reading it.
 *
 * Records are read by a plain reader (`plainRuns`) as long as the file keeps to the common
 * form it knows exactly: fields without quotes, or wholly quoted with `""` for a quote. At
 * the first record outside it (a quote inside a field, text after a closing quote, a quote
 * never closed, a record longer than 1 MB) the rest comes from csv-parse, which reads the file again from the start
 * and passes over the records already given: the records and their lines are csv-parse's
 * either way, as are its refusals. csv-parse alone cost 4 µs a record, and imports read a
 * file twice.
 */
export async function* readCsvRuns(path: string, delimiter: Delimiter, chunkChars = CHUNK_CHARS): AsyncGenerator<CsvRecord[]> {
  let given = 0;
  try {
    for await (const run of plainRuns(path, delimiter, chunkChars)) {
      given += run.length;
      yield run;
    }
    return;
  } catch (error) {
    if (!(error instanceof NotPlain)) throw readFailure(path, error, 1);
  }
  let run: CsvRecord[] = [];
  for await (const record of parsedRecords(path, delimiter)) {
    if (given > 0) given--;
    else if (run.push(record) >= 1000) {
      yield run;
      run = [];
    }
  }
  if (run.length > 0) yield run;
}

/** The plain reader met a record it does not read exactly as csv-parse does. */
class NotPlain extends Error {}

function readFailure(path: string, error: unknown, line: number): Error {
  if (error instanceof CsvFileRejected) return error;
  const e = error as NodeJS.ErrnoException;
  if (e.code === "ENOENT" || e.code === "EACCES" || e.code === "EISDIR") return new CsvFileRejected(`cannot read ${path}: ${e.code}`);
  if (e.code === "CSV_QUOTE_NOT_CLOSED") return new CsvFileRejected(`${path} is not a readable CSV file: the record starting on line ${line} has a quote that is never closed`);
  return new CsvFileRejected(`${path} is not a readable CSV file (record starting on line ${line}): ${e.message}`);
}

/**
 * The records of a file in the plain form: each field either holds no `"` at all or is
 * wholly quoted (`""` inside for a quote) and followed by the delimiter or a line end.
 * Throws NotPlain at the first record that is not (the records before it in its read are
 * not given), or when one record is still open after PENDING_LIMIT_CHARS. Unquoted lines,
 * the bulk of any export, are cut with `split`.
 */
async function* plainRuns(path: string, delimiter: Delimiter, chunkChars: number): AsyncGenerator<CsvRecord[]> {
  const stream = fs.createReadStream(path, { encoding: "utf8", highWaterMark: chunkChars });
  let text = "";
  let first = true;
  let line = 1;
  try {
    const chunks = stream[Symbol.asyncIterator]();
    let eof = false;
    while (!eof) {
      const next = await chunks.next();
      if (next.done) eof = true;
      else {
        text += next.value as string;
        if (first && text.length > 0) {
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          first = false;
        }
      }
      // Every whole record in `text`; the last one waits for more unless the file has ended.
      const run: CsvRecord[] = [];
      let pos = 0;
      let nextQuote = -2;
      let nextLf = -2;
      let nextCr = -2;
      const length = text.length;
      while (pos < length) {
        if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
        if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf("\n", pos);
        if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf("\r", pos);
        let end = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
        if (end === -1) {
          if (!eof) break;
          end = length;
        }
        if (nextQuote === -1 || nextQuote > end) {
          // No quote before the line end: the line is the record.
          let after = end + 1;
          if (end < length && text.charCodeAt(end) === 13) {
            if (end + 1 === length && !eof) break; // a CR whose LF may come with the next read
            if (text.charCodeAt(end + 1) === 10) after = end + 2;
          }
          const start = line;
          line++;
          if (!isBlankLine(text, pos, end, delimiter)) run.push(new PlainRecord(start, text.slice(pos, end), delimiter));
          pos = after;
          continue;
        }
        const quoted = quotedRecord(text, pos, delimiter, eof);
        if (!quoted) break;
        const start = line;
        line += 1 + quoted.breaks;
        pos = quoted.next;
        if (!isBlank(quoted.values)) run.push({ line: start, values: quoted.values });
      }
      text = text.slice(pos);
      if (run.length > 0) yield run;
      // A record still open after this much (a quote never closed, a file without line
      // ends) is left to csv-parse: rescanning it at every read would cost its length squared.
      if (text.length > PENDING_LIMIT_CHARS) throw new NotPlain();
    }
  } finally {
    stream.destroy();
  }
}

/** Whether a line without quotes holds only white space and delimiters (as `isBlank` of its values). */
function isBlankLine(text: string, from: number, to: number, delimiter: Delimiter): boolean {
  for (let i = from; i < to; i++) {
    const ch = text[i]!;
    if (ch !== delimiter && ch.trim() !== "") return false;
  }
  return true;
}

function isBlank(values: string[]): boolean {
  for (const value of values) if (value.trim() !== "") return false;
  return true;
}

/**
 * One record with quoted fields from `pos`: its values, the line breaks inside them and
 * where the next record starts; null when the text ends first and more may come.
 */
function quotedRecord(text: string, pos: number, delimiter: Delimiter, eof: boolean): { values: string[]; breaks: number; next: number } | null {
  const values: string[] = [];
  let breaks = 0;
  let p = pos;
  const length = text.length;
  for (;;) {
    let value: string;
    if (text.charCodeAt(p) === 34) {
      value = "";
      let from = p + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1 || (close + 1 === length && !eof)) {
          if (!eof) return null;
          throw new NotPlain(); // never closed: csv-parse words the refusal
        }
        if (text.charCodeAt(close + 1) === 34) {
          value += text.slice(from, close + 1);
          from = close + 2;
          continue;
        }
        value += text.slice(from, close);
        p = close + 1;
        break;
      }
      breaks += lineBreaks(value);
    } else {
      let end = p;
      while (end < length) {
        const c = text.charCodeAt(end);
        if (c === 10 || c === 13 || text[end] === delimiter) break;
        if (c === 34) throw new NotPlain(); // a quote inside an unquoted field
        end++;
      }
      value = text.slice(p, end);
      p = end;
    }
    values.push(value);
    if (p === length) {
      if (!eof) return null;
      return { values, breaks, next: p };
    }
    const c = text.charCodeAt(p);
    if (text[p] === delimiter) {
      p++;
      continue;
    }
    if (c === 10) return { values, breaks, next: p + 1 };
    if (c === 13) {
      if (p + 1 === length && !eof) return null;
      return { values, breaks, next: text.charCodeAt(p + 1) === 10 ? p + 2 : p + 1 };
    }
    throw new NotPlain(); // text after a closing quote
  }
}

/** Line breaks inside a value, a CRLF counting once. */
function lineBreaks(value: string): number {
  return value.includes("\n") || value.includes("\r") ? (value.match(NEWLINES)?.length ?? 0) : 0;
}

/**
 * The records as csv-parse reads them. csv-parse is loaded here, at its first use: every
 * command loads this module (its CsvFileRejected names an exit status), and loading csv-parse
 * took 11 ms of each command's start.
 */
async function* parsedRecords(path: string, delimiter: Delimiter): AsyncGenerator<CsvRecord> {
  const { parse } = require("csv-parse") as typeof import("csv-parse");
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
    throw readFailure(path, error, lastEnd + 1);
  }
}

/** csv-parse's reading alone, for the tests that compare the plain reader with it. */
export const readCsvRecordsWithCsvParse = parsedRecords;
