import { formatMinor, formatMoney, parseDecimal } from "../../../../domain/model/money";

describe("amounts in minor units", () => {
  test("decimals are read exactly, per currency", () => {
    expect(parseDecimal("1234.5", "USD", ".")).toEqual({ ok: true, minor: 123450n });
    expect(parseDecimal("1234,56", "EUR", ",")).toEqual({ ok: true, minor: 123456n });
    expect(parseDecimal("1500", "JPY", ".")).toEqual({ ok: true, minor: 1500n });
    expect(parseDecimal("1.234", "KWD", ".")).toEqual({ ok: true, minor: 1234n });
  });

  test("more decimals than the currency has are rejected, never rounded", () => {
    expect(parseDecimal("10.005", "USD", ".")).toEqual({ ok: false, reason: "USD has 2 decimals at most (no rounding)" });
    expect(parseDecimal("10.5", "JPY", ".")).toEqual({ ok: false, reason: "JPY has no decimals" });
    expect(parseDecimal("1e3", "USD", ".").ok).toBe(false);
  });

  test("an amount is optional minus, digits, and one separator with digits after it; nothing else", () => {
    for (const text of ["", "-", ".5", "5.", "-.5", "1.2.3", "1,5", " 12", "12 ", "+12", "1e3", "١٢", "--1", "1-"]) {
      expect([text, parseDecimal(text, "USD", ".")]).toEqual([text, { ok: false, reason: "not a number" }]);
    }
    expect(parseDecimal("1.5", "EUR", ",")).toEqual({ ok: false, reason: "not a number" });
    expect(parseDecimal("-0.07", "USD", ".")).toEqual({ ok: true, minor: -7n });
    expect(parseDecimal("-0", "USD", ".")).toEqual({ ok: true, minor: 0n });
    expect(parseDecimal("0007.1", "USD", ".")).toEqual({ ok: true, minor: 710n });
  });

  test("amounts past a double's exact digits stay exact", () => {
    expect(parseDecimal("9007199254740993.01", "USD", ".")).toEqual({ ok: true, minor: 900719925474099301n });
    expect(parseDecimal("123456789012345", "USD", ".")).toEqual({ ok: true, minor: 12345678901234500n });
    expect(parseDecimal("-99999999999999.99", "USD", ".")).toEqual({ ok: true, minor: -9999999999999999n });
    expect(parseDecimal("12345678901234567890", "JPY", ".")).toEqual({ ok: true, minor: 12345678901234567890n });
  });

  test("formatting in major units and for people", () => {
    expect(formatMinor(140000n, "USD")).toBe("1400.00");
    expect(formatMinor(5n, "USD")).toBe("0.05");
    expect(formatMinor(-5n, "USD")).toBe("-0.05");
    expect(formatMinor(1500n, "JPY")).toBe("1500");
    expect(formatMoney(123456789n, "EUR")).toBe("EUR 1,234,567.89");
  });
});
