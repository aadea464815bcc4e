import { recordSignature } from "../../../../domain/model/imports";

/** The definition: FNV-1a (32 bits) of the trimmed cells joined by U+0001. */
function joinedHash(cells: string[]): number {
  const text = cells.map((cell) => cell.trim()).join("\u0001");
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

test("a record's signature is the hash of its trimmed cells joined, without joining them", () => {
  const records = [
    [],
    [""],
    ["", ""],
    ["C1", "Acme", "INV-1", "2026-09-01", "2026-10-01", "1000.00", "USD"],
    ["  C1 ", "\tAcme\u00a0", "INV-1\r", "\u2003", "\ufeff2026-09-01\u3000", "1 000,00", "€"],
    ["Zoho line 1", "Widgets", "  ", "x"],
  ];
  for (const cells of records) expect(recordSignature(cells)).toBe(joinedHash(cells));
  // Every character trim() knows, around and inside a cell, in generated records (seeded).
  const alphabet = [" ", "\t", "\n", "\u000b", "\f", "\r", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u200b", "a", "1", ",", "\u0001", "é"];
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let n = 0; n < 2_000; n++) {
    const cells = Array.from({ length: Math.floor(next() * 6) }, () => Array.from({ length: Math.floor(next() * 6) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""));
    expect(recordSignature(cells)).toBe(joinedHash(cells));
  }
});

test("records that differ only around their cells share a signature; any other difference shows", () => {
  expect(recordSignature(["INV-1", " 100.00 "])).toBe(recordSignature(["INV-1", "100.00"]));
  expect(recordSignature(["INV-1", "100.00"])).not.toBe(recordSignature(["INV-1", "100.01"]));
  expect(recordSignature(["INV-1", "100.00"])).not.toBe(recordSignature(["INV-1100.00"]));
});
