import { roundRatio } from "../../../../domain/policies/rounding";

test.each([
  [2700n, 80n, 1, 33.8], // 33.75 → 33.8 (half away from zero)
  [-2700n, 80n, 1, -33.8], // −33.75 → −33.8
  [1n, 3n, 1, 0.3],
  [2n, 3n, 3, 0.667],
  [1n, 2n, 0, 1],
  [0n, 7n, 1, 0],
])("%s ÷ %s to %i decimals is %s", (n, d, decimals, expected) => {
  expect(roundRatio(n, d, decimals)).toBe(expected);
});

test("division by zero is refused, not Infinity", () => {
  expect(() => roundRatio(1n, 0n)).toThrow(RangeError);
});
