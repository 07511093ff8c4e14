/** Stake operations on hand-built pools; every expected number was worked out by hand. */
import { describe, expect, it } from 'vitest';
import { constantProduct, weighted } from '../../src/core/pool/index.ts';
import { buyAlpha, sellAlpha, moveAlpha, swapFee, DEFAULT_MIN_STAKE } from '../../src/core/stake.ts';

const TAO = 1_000_000_000n;
// 1000 TAO against 100,000 alpha: spot 0.01 TAO/alpha; fee 33/65535.
const A = { taoIn: 1000n * TAO, alphaIn: 100_000n * TAO, feeRate: 33 };
// 500 TAO against 25,000 alpha: spot 0.02.
const B = { taoIn: 500n * TAO, alphaIn: 25_000n * TAO, feeRate: 33 };

describe('stake (TAO -> alpha) with the fee on the input', () => {
  it('10 TAO into pool A', () => {
    const r = buyAlpha(constantProduct, A, 10n * TAO);
    // fee = floor(10e9 * 33 / 65535) = 5_035_477; net = 9_994_964_523
    // alpha = floor(1e14 * 9_994_964_523 / 1_009_994_964_523) = 989_605_381_618
    expect(r.status).toBe('filled');
    expect(r.fee).toBe(5_035_477n);
    expect(r.netTao).toBe(9_994_964_523n);
    expect(r.alphaOut).toBe(989_605_381_618n);
    expect(r.taoSpent).toBe(10n * TAO);
    // the fee goes to the block author, not into the pool
    expect(r.after.taoIn).toBe(1_009_994_964_523n);
    expect(r.after.alphaIn).toBe(99_010_394_618_382n);
  });

  it('price after the trade follows the curve: p * (1 + net/y)^2', () => {
    const r = buyAlpha(constantProduct, A, 10n * TAO);
    const expected = 0.01 * (1 + 9_994_964_523 / 1e12) ** 2;
    expect(constantProduct.spotPrice(r.after)).toBeCloseTo(expected, 12);
  });

  it('minimum stake: 0.002 TAO plus its fee', () => {
    expect(buyAlpha(constantProduct, A, DEFAULT_MIN_STAKE).status).toBe('rejected');
    const ok = DEFAULT_MIN_STAKE + swapFee(DEFAULT_MIN_STAKE, 33) + 1n;
    expect(buyAlpha(constantProduct, A, ok).status).toBe('filled');
  });

  it('limit price: full fill when the price stays under it', () => {
    const r = buyAlpha(constantProduct, A, 1n * TAO, { limitPrice: 0.0102 });
    expect(r.status).toBe('filled');
  });

  it('limit price without allow_partial: refused (SlippageTooHigh)', () => {
    const r = buyAlpha(constantProduct, A, 100n * TAO, { limitPrice: 0.0102 });
    expect(r.status).toBe('rejected');
    expect(r.reason).toMatch(/SlippageTooHigh/);
  });

  it('limit price with allow_partial: executes up to the limit, fee on the executed part', () => {
    const r = buyAlpha(constantProduct, A, 100n * TAO, { limitPrice: 0.0102, allowPartial: true });
    // net to reach 0.0102: isqrt(0.0102 * 1e14 * 1e12) - 1e12 = 9_950_493_836
    // fee = floor(9_950_493_836 * 33 / (65535 - 33)) = 5_013_072; gross used 9_955_506_908
    // alpha = floor(1e14 * 9_950_493_836 / 1_009_950_493_836) = 985_245_702_312
    expect(r.status).toBe('partial');
    expect(r.netTao).toBe(9_950_493_836n);
    expect(r.fee).toBe(5_013_072n);
    expect(r.taoSpent).toBe(9_955_506_908n);
    expect(r.alphaOut).toBe(985_245_702_312n);
    expect(constantProduct.spotPrice(r.after)).toBeLessThanOrEqual(0.0102);
  });

  it('a buy needs the price below the limit to start with', () => {
    expect(buyAlpha(constantProduct, A, TAO, { limitPrice: 0.01 }).status).toBe('rejected');
  });

  it('guards: tiny alpha reserve, input above 1000x the reserve', () => {
    expect(buyAlpha(constantProduct, { taoIn: TAO, alphaIn: 999_999n, feeRate: 33 }, TAO).reason).toMatch(/ReservesTooLow/);
    expect(buyAlpha(constantProduct, { taoIn: TAO, alphaIn: 100n * TAO, feeRate: 0 }, 1001n * TAO).reason).toMatch(/SwapInputTooLarge/);
  });
});

describe('unstake (alpha -> TAO)', () => {
  it('1000 alpha out of pool A: fee in alpha, sold for the author afterwards', () => {
    const r = sellAlpha(constantProduct, A, 1000n * TAO);
    // fee = floor(1e12 * 33 / 65535) = 503_547_722; net = 999_496_452_278
    // tao = floor(1e12 * 999_496_452_278 / 100_999_496_452_278) = 9_896_053_815
    // author: floor(990_103_946_185 * 503_547_722 / 101_000_000_000_000) = 4_936_283
    expect(r.fee).toBe(503_547_722n);
    expect(r.netAlpha).toBe(999_496_452_278n);
    expect(r.taoOut).toBe(9_896_053_815n);
    expect(r.authorTao).toBe(4_936_283n);
    expect(r.after.taoIn).toBe(990_099_009_902n);
    expect(r.after.alphaIn).toBe(101_000n * TAO);
  });

  it('a partial exit must return at least the minimum stake; a full exit always may', () => {
    const tiny = 100_000_000n; // 0.1 alpha = 0.001 TAO at spot
    expect(sellAlpha(constantProduct, A, tiny, { remaining: 5n * TAO }).status).toBe('rejected');
    expect(sellAlpha(constantProduct, A, tiny, { remaining: 0n }).status).toBe('filled');
  });

  it('sell limit with partial fill stops at the floor price', () => {
    const r = sellAlpha(constantProduct, A, 10_000n * TAO, { limitPrice: 0.0098, allowPartial: true });
    expect(r.status).toBe('partial');
    // net to reach 0.0098: isqrt(1e26 / 0.0098) - 1e14
    const k = 10n ** 26n;
    const target = BigInt(Math.floor(Math.sqrt(Number(k * 10_000n / 98n)))); // float estimate, checked below
    expect(Number(r.netAlpha)).toBeCloseTo(Number(target - 100_000n * TAO), -4);
    expect(constantProduct.spotPrice({ taoIn: A.taoIn - r.taoOut, alphaIn: A.alphaIn + r.netAlpha })).toBeGreaterThanOrEqual(0.0098);
  });
});

describe('cross-subnet move pays one swap fee, not two', () => {
  it('1000 alpha from A to B', () => {
    const r = moveAlpha(constantProduct, A, B, 1000n * TAO);
    // sell leg as above: 9_896_053_815 TAO; buy leg fee-free:
    // floor(25_000e9 * 9_896_053_815 / (500e9 + 9_896_053_815)) = 485_199_568_664
    expect(r.status).toBe('filled');
    expect(r.taoBetween).toBe(9_896_053_815n);
    expect(r.alphaOut).toBe(485_199_568_664n);
    expect(r.fee).toBe(503_547_722n);
    // unstaking then staking separately would pay a second fee and get less:
    const twoFees = buyAlpha(constantProduct, B, 9_896_053_815n);
    expect(twoFees.alphaOut).toBe(484_959_986_983n);
    expect(twoFees.alphaOut).toBeLessThan(r.alphaOut);
  });

  it('a move whose TAO would not exceed the minimum stake is refused', () => {
    expect(moveAlpha(constantProduct, A, B, 100_000_000n).status).toBe('rejected');
  });

  it('swap_stake_limit with partial: keeps the price ratio at or above the limit', () => {
    const ratio = constantProduct.spotPrice(A) / constantProduct.spotPrice(B);
    const r = moveAlpha(constantProduct, A, B, 50_000n * TAO, { limitRatio: ratio * 0.98, allowPartial: true });
    expect(r.status).toBe('partial');
    const after = constantProduct.spotPrice(r.sell.after) / constantProduct.spotPrice(r.buy.after);
    expect(after).toBeGreaterThanOrEqual(ratio * 0.98);
    const noPartial = moveAlpha(constantProduct, A, B, 50_000n * TAO, { limitRatio: ratio * 0.98 });
    expect(noPartial.status).toBe('rejected');
  });
});

describe('weighted pool stake with fee (w_q = 0.2)', () => {
  it('gross 15_007_557_021_159 rao nets exactly 15,000 TAO and buys half the alpha', () => {
    const pool = { taoIn: 1000n * TAO, alphaIn: 100_000n * TAO, feeRate: 33, quoteWeight: 0.2 };
    // fee = floor(15_007_557_021_159 * 33 / 65535) = 7_557_021_159
    const r = buyAlpha(weighted, pool, 15_007_557_021_159n);
    expect(r.fee).toBe(7_557_021_159n);
    expect(r.netTao).toBe(15_000n * TAO);
    expect(r.alphaOut).toBe(50_000n * TAO);
  });
});
