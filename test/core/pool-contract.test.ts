/**
 * The contract every pool curve honours (one suite, run for each implementation), plus
 * hand-computed numbers for each.
 */
import { describe, expect, it } from 'vitest';
import { constantProduct, weighted, isqrt, type PoolCurve, type PoolReserves } from '../../src/core/pool/index.ts';

const TAO = 1_000_000_000n;

const implementations: { name: string; curve: PoolCurve; pool: PoolReserves }[] = [
  { name: 'constant product', curve: constantProduct, pool: { taoIn: 1000n * TAO, alphaIn: 100_000n * TAO } },
  { name: 'weighted at 0.5', curve: weighted, pool: { taoIn: 1000n * TAO, alphaIn: 100_000n * TAO, quoteWeight: 0.5 } },
  { name: 'weighted at 0.3', curve: weighted, pool: { taoIn: 1000n * TAO, alphaIn: 100_000n * TAO, quoteWeight: 0.3 } },
  { name: 'weighted at 0.7', curve: weighted, pool: { taoIn: 50n * TAO, alphaIn: 9_000n * TAO, quoteWeight: 0.7 } },
];

for (const { name, curve, pool } of implementations) {
  describe(`pool curve contract: ${name}`, () => {
    const spot = curve.spotPrice(pool);

    it('buys at no better than spot and moves the price up', () => {
      const dy = 10n * TAO;
      const out = curve.alphaOutForTao(pool, dy);
      expect(out).toBeGreaterThan(0n);
      expect(Number(dy) / Number(out)).toBeGreaterThan(spot);
      const after = { ...pool, taoIn: pool.taoIn + dy, alphaIn: pool.alphaIn - out };
      expect(curve.spotPrice(after)).toBeGreaterThan(spot);
    });

    it('sells at no better than spot and moves the price down', () => {
      const dx = 500n * TAO;
      const out = curve.taoOutForAlpha(pool, dx);
      expect(Number(out) / Number(dx)).toBeLessThan(spot);
      const after = { ...pool, taoIn: pool.taoIn - out, alphaIn: pool.alphaIn + dx };
      expect(curve.spotPrice(after)).toBeLessThan(spot);
    });

    it('gives more for more input, and never the whole reserve', () => {
      let prev = 0n;
      for (const dy of [1n, TAO, 10n * TAO, 1000n * TAO, 1_000_000n * TAO]) {
        const out = curve.alphaOutForTao(pool, dy);
        expect(out).toBeGreaterThanOrEqual(prev);
        expect(out).toBeLessThan(pool.alphaIn);
        prev = out;
      }
    });

    it('a round trip never gains', () => {
      const dy = 37n * TAO;
      const a = curve.alphaOutForTao(pool, dy);
      const after = { ...pool, taoIn: pool.taoIn + dy, alphaIn: pool.alphaIn - a };
      expect(curve.taoOutForAlpha(after, a)).toBeLessThanOrEqual(dy);
    });

    it('the amount to reach a limit price reaches it and no further', () => {
      const limit = spot * 1.02;
      const dy = curve.taoToReachPrice(pool, limit);
      const out = curve.alphaOutForTao(pool, dy);
      const p1 = curve.spotPrice({ ...pool, taoIn: pool.taoIn + dy, alphaIn: pool.alphaIn - out });
      expect(p1).toBeLessThanOrEqual(limit * (1 + 1e-9));
      expect(p1).toBeGreaterThan(limit * (1 - 1e-6));
      const down = spot * 0.97;
      const dx = curve.alphaToReachPrice(pool, down);
      const tout = curve.taoOutForAlpha(pool, dx);
      const p2 = curve.spotPrice({ ...pool, taoIn: pool.taoIn - tout, alphaIn: pool.alphaIn + dx });
      expect(p2).toBeGreaterThanOrEqual(down * (1 - 1e-9));
      expect(p2).toBeLessThan(down * (1 + 1e-6));
      expect(curve.taoToReachPrice(pool, spot * 0.9)).toBe(0n);
      expect(curve.alphaToReachPrice(pool, spot * 1.1)).toBe(0n);
    });
  });
}

describe('constant product, by hand', () => {
  const pool = { taoIn: 1000n * TAO, alphaIn: 100_000n * TAO };
  it('alpha out = floor(x * dy / (y + dy))', () => {
    // 1e14 * 9_994_964_523 / 1_009_994_964_523 = 989_605_381_618.6...
    expect(constantProduct.alphaOutForTao(pool, 9_994_964_523n)).toBe(989_605_381_618n);
    // 1e12 * 999_496_452_278 / 100_999_496_452_278 = 9_896_053_815.4...
    expect(constantProduct.taoOutForAlpha(pool, 999_496_452_278n)).toBe(9_896_053_815n);
  });
  it('net TAO to a limit: isqrt(L * x * y) - y', () => {
    // L = 0.0102: sqrt(0.0102 * 1e14 * 1e12) = 1_009_950_493_836.9... -> 9_950_493_836
    expect(constantProduct.taoToReachPrice(pool, 0.0102)).toBe(9_950_493_836n);
  });
  it('weighted at 0.5 agrees exactly', () => {
    const w = { ...pool, quoteWeight: 0.5 };
    for (const dy of [1n, 123_456_789n, 55n * TAO]) expect(weighted.alphaOutForTao(w, dy)).toBe(constantProduct.alphaOutForTao(pool, dy));
  });
});

describe('weighted pool, by hand (w_q = 0.2: exponents 1/4 and 4)', () => {
  const pool = { taoIn: 1_000n * TAO, alphaIn: 100_000n * TAO, quoteWeight: 0.2 };
  it('spot = (w_b / w_q) * y / x', () => {
    expect(weighted.spotPrice(pool)).toBeCloseTo(4 * 0.01, 15);
  });
  it('buy: y / (y + dy) = 1/16 gives x * (1 - (1/16)^(1/4)) = x / 2', () => {
    expect(weighted.alphaOutForTao(pool, 15_000n * TAO)).toBe(50_000n * TAO);
  });
  it('sell: x / (x + dx) = 1/2 gives y * (1 - (1/2)^4) = 15/16 y', () => {
    expect(weighted.taoOutForAlpha(pool, 100_000n * TAO)).toBe(937_500_000_000n);
  });
  it('to a limit: dy = y * ((p\'/p)^w_b - 1); p\'/p = 2^(1/0.8) needs dy = y', () => {
    const spot = weighted.spotPrice(pool);
    const dy = weighted.taoToReachPrice(pool, spot * 2 ** 1.25);
    expect(Number(dy)).toBeCloseTo(1000e9, -3); // within a few rao of 1000 TAO
  });
});

describe('isqrt', () => {
  it('is the exact integer square root', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 30n, 10n ** 30n - 1n, (1n << 127n) + 12345n]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n, String(n)).toBe(true);
    }
  });
});
