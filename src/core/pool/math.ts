/** Integer helpers shared by the curves. */
import { Decimal } from 'decimal.js';

/** floor(sqrt(n)) for n >= 0, exact. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt of a negative number');
  if (n < 2n) return n;
  // Start from a float estimate, then Newton steps make it exact.
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  if (x === 0n) x = 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) {
      // Newton from above converges to floor(sqrt); from below it may need a nudge.
      while (x * x > n) x -= 1n;
      while ((x + 1n) * (x + 1n) <= n) x += 1n;
      return x;
    }
    x = y;
  }
}

/** High-precision decimals for the weighted curve's fractional powers. */
export const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_FLOOR });

export function decFloorToBig(d: Decimal): bigint {
  if (d.isNegative()) return 0n;
  return BigInt(d.toFixed(0, Decimal.ROUND_FLOOR));
}

/** A limit price (TAO per alpha, a number) as an exact decimal. */
export function priceDecimal(limitPrice: number): Decimal {
  return new D(limitPrice);
}
