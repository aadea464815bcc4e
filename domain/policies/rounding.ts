/**
 * numerator ÷ denominator rounded half away from zero to `decimals` places, computed on
 * integers so that 33.75 becomes 33.8 exactly as finance rounds it by hand.
 */
export function roundRatio(numerator: bigint, denominator: bigint, decimals = 1): number {
  if (denominator === 0n) throw new RangeError("division by zero");
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const scale = 10n ** BigInt(decimals);
  const rounded = (2n * n * scale + d) / (2n * d);
  const value = Number(rounded) / Number(scale);
  return negative ? -value : value;
}

/** A non-negative exact fraction. */
export interface Ratio {
  numerator: bigint;
  denominator: bigint;
}
