/**
 * ISO 4217 active codes and their minor-unit exponents. Amounts with more decimals than a
 * currency has are rejected, never rounded.
 */
const ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
const THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND";
const FOUR_DECIMALS = "CLF UYW";
const TWO_DECIMALS =
  "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD " +
  "CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL " +
  "GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD " +
  "LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN " +
  "PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL " +
  "THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL";

const EXPONENTS = new Map<string, number>();
for (const [list, digits] of [
  [ZERO_DECIMALS, 0],
  [TWO_DECIMALS, 2],
  [THREE_DECIMALS, 3],
  [FOUR_DECIMALS, 4],
] as const) {
  for (const code of list.split(" ")) EXPONENTS.set(code, digits);
}

export type Currency = string;

/**
 * Currency codes in alphabetical order. Codes are three capital letters (isCurrency), so the
 * order of their characters is the alphabet's, as `localeCompare` gives it; without loading
 * ICU's collation data into a command that sorts nothing else (about 10 ms).
 */
export function compareCurrencies(a: Currency, b: Currency): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isCurrency(code: string): boolean {
  return EXPONENTS.has(code);
}

export function minorDigits(currency: Currency): number {
  const digits = EXPONENTS.get(currency);
  if (digits === undefined) throw new RangeError(`unknown currency ${currency}`);
  return digits;
}

/** Currency signs stripped from amount cells and chat amounts. */
export const CURRENCY_SYMBOLS = /[$€£¥₹₩₽₺₪₫₱₦₴฿₡₲₵₸₭₮]/gu;

/** Signs that name one currency only ($ and ¥ are shared by several and name none). */
export const SIGN_CURRENCY: Readonly<Record<string, string>> = { "€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "₫": "VND", "₱": "PHP", "₦": "NGN", "₴": "UAH", "฿": "THB" };
