import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readCsvRecords } from "../../../adapters/csv/csv-file";

async function lines(text: string, delimiter: "," | ";" = ","): Promise<[number, string][]> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-lines-")), "f.csv");
  fs.writeFileSync(file, text);
  const out: [number, string][] = [];
  for await (const record of readCsvRecords(file, delimiter)) out.push([record.line, record.values[0]!]);
  return out;
}

test("records carry the physical line they start on, whatever the line ends and quoted line breaks", async () => {
  expect(await lines('h,x\n1,a\n\n"2\nstill 2",b\n3,c\n')).toEqual([[1, "h"], [2, "1"], [4, "2\nstill 2"], [6, "3"]]);
  expect(await lines('h;x\r\n"A\r\nInc";y\r\nB;z\r\n\r\nC;w\r\n', ";")).toEqual([[1, "h"], [2, "A\r\nInc"], [4, "B"], [6, "C"]]);
  expect(await lines("\uFEFFh,x\r1,a\r2,b")).toEqual([[1, "h"], [2, "1"], [3, "2"]]);
});

test("an unterminated quote is reported at the line where its record starts", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-lines-")), "open.csv");
  const read = async (text: string) => {
    fs.writeFileSync(file, text);
    for await (const record of readCsvRecords(file, ",")) void record;
  };
  await expect(read('h,x\n1,a\n2,b\n"3,c\n4,d\n')).rejects.toThrow(`${file} is not a readable CSV file: the record starting on line 4 has a quote that is never closed`);
  // Blank lines and a quoted CRLF before it do not shift the line.
  await expect(read('h,x\r\n"a\r\nb",1\r\n\r\n2,"open\r\n3,c\r\n')).rejects.toThrow(`${file} is not a readable CSV file: the record starting on line 5 has a quote that is never closed`);
});
