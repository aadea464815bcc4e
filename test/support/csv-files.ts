import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Writes CSV text to a fresh temporary file and returns its path. */
export function writeCsv(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arbot-csv-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Lines joined with newlines, a trailing one included. */
export function csv(...lines: string[]): string {
  return lines.join("\n") + "\n";
}
