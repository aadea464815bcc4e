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

  test("formatting in major units and for people", () => {
    expect(formatMinor(140000n, "USD")).toBe("1400.00");
    expect(formatMinor(5n, "USD")).toBe("0.05");
    expect(formatMinor(-5n, "USD")).toBe("-0.05");
    expect(formatMinor(1500n, "JPY")).toBe("1500");
    expect(formatMoney(123456789n, "EUR")).toBe("EUR 1,234,567.89");
  });
});
