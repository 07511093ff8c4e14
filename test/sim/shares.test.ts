import { describe, expect, it } from 'vitest';
import { burnScaledShares, emissionFractions, gateBar, rootSellFlag, taoPerSubnet, type ShareInput } from '../../src/sim/shares.ts';

const sub = (movingPrice: number, minerBurned = 0, emissionEnabled = true, eligible = true): ShareInput => ({ movingPrice, minerBurned, emissionEnabled, eligible });
const close = (got: Float64Array, want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12));

describe('emission shares (mechanics §2.4)', () => {
  // EMA prices 0.02, 0.01, 0.01: plain shares 1/2, 1/4, 1/4.
  const base = [sub(0.02), sub(0.01, 0.5), sub(0.01)];

  it('scales by (1 - MinerBurned) and renormalises: (1/2, 1/8, 1/4) / (7/8)', () => {
    close(burnScaledShares(base), [4 / 7, 1 / 7, 2 / 7]);
  });

  it('gives disabled subnets nothing and renormalises over the rest', () => {
    const s = [sub(0.02), sub(0.01, 0.5), sub(0.01, 0, false)];
    close(emissionFractions(s, 0, 3), [0.8, 0.2, 0]);
  });

  it('gives subnets before start_call nothing and leaves them out of the sum', () => {
    close(emissionFractions([sub(0.02), sub(0.02, 0, true, false)], 0, 3), [1, 0]);
  });

  it('gates by the bar: θ at quantile 0.75 is 2/7 and g = w / (1 + (θ/w)^3), renormalised', () => {
    const w = burnScaledShares(base);
    const theta = gateBar(w, 0.75); // sorted 4/7, 2/7 (cum 6/7 >= 0.75), 1/7
    expect(theta).toBeCloseTo(2 / 7, 15);
    // g = (4/7)(8/9), (1/7)/9, (2/7)/2 = 32/63, 1/63, 9/63; sum 42/63.
    close(emissionFractions(base, theta, 3), [32 / 42, 1 / 42, 9 / 42]);
  });

  it('splits the block emission as floor(E * fraction), never more than E', () => {
    const t = taoPerSubnet(500_000_000n, Float64Array.from([1 / 3, 1 / 3, 1 / 3]));
    expect(t).toEqual([166_666_666n, 166_666_666n, 166_666_666n]);
  });

  it('root dividends accrue only while the EMA prices of started subnets sum above 1', () => {
    expect(rootSellFlag([sub(0.6), sub(0.5)])).toBe(true);
    expect(rootSellFlag([sub(0.6), sub(0.3), sub(0.5, 0, true, false)])).toBe(false);
  });
});
