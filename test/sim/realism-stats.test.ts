/**
 * The alpha-supply statistics of src/sim/realism.ts on a hand-made series: alpha in the pool
 * and root_prop across subnets, alpha outside the pool implied by root_prop, and the price
 * change of the largest pools.
 */
import { describe, expect, it } from 'vitest';
import { impliedAlphaOut, realismStats, type ObservedSubnet, type Observation } from '../../src/sim/realism.ts';

function subnet(netuid: number, over: Partial<ObservedSubnet>): ObservedSubnet {
  return { netuid, name: `sn${netuid}`, taoIn: 1000, alphaIn: 100_000, rootProp: 0.2, excessTao: 0, alphaOutEmission: 1, emissionEnabled: true, ...over };
}

describe('implied alpha outside the pool', () => {
  it('is w·R·(1 − root_prop)/root_prop − alpha_in at R = 4.5M TAO, w = 0.18', () => {
    // 810,000 · 0.85 / 0.15 = 4,590,000 alpha issued; 2,000,000 of it in the pool.
    expect(impliedAlphaOut(subnet(1, { rootProp: 0.15, alphaIn: 2_000_000 }))).toBeCloseTo(2_590_000, 6);
    // root_prop 0.5: issuance = 810,000.
    expect(impliedAlphaOut(subnet(1, { rootProp: 0.5, alphaIn: 10_000 }))).toBeCloseTo(800_000, 6);
  });

  it('is not defined without a root_prop strictly between 0 and 1', () => {
    expect(impliedAlphaOut(subnet(1, { rootProp: 0 }))).toBeNaN();
    expect(impliedAlphaOut(subnet(1, { rootProp: 1 }))).toBeNaN();
  });
});

describe('alpha supply statistics', () => {
  // 12 subnets; netuid k has k·100,000 alpha in the pool, root_prop k/100, k·1000 TAO at the
  // end, and its price rises by k% between the two snapshots (TAO up, alpha fixed).
  const first: Observation = {
    timeMs: 0,
    blockEmission: 0.5,
    subnets: Array.from({ length: 12 }, (_, i) => subnet(i + 1, { alphaIn: (i + 1) * 100_000, taoIn: ((i + 1) * 1000) / (1 + (i + 1) / 100), rootProp: (i + 1) / 100 })),
  };
  const last: Observation = {
    timeMs: 86_400_000,
    blockEmission: 0.5,
    subnets: Array.from({ length: 12 }, (_, i) => subnet(i + 1, { alphaIn: (i + 1) * 100_000, taoIn: (i + 1) * 1000, rootProp: (i + 1) / 100 })),
  };

  it('quantiles of alpha in the pool and root_prop at the last snapshot (linear interpolation)', () => {
    const s = realismStats([first, last]);
    // Positions over the 12 sorted values: q25 at 2.75, median 5.5, q75 8.25, q90 9.9 (0-based).
    expect(s.alphaInQ25).toBeCloseTo(375_000, 6);
    expect(s.alphaInMedian).toBeCloseTo(650_000, 6);
    expect(s.alphaInQ75).toBeCloseTo(925_000, 6);
    expect(s.alphaInQ90).toBeCloseTo(1_090_000, 6);
    expect(s.rootPropQ10).toBeCloseTo(0.021, 12);
    expect(s.rootPropQ25).toBeCloseTo(0.0375, 12);
    expect(s.rootPropMedian).toBeCloseTo(0.065, 12);
    expect(s.rootPropQ75).toBeCloseTo(0.0925, 12);
    expect(s.rootPropQ90).toBeCloseTo(0.109, 12);
  });

  it('median implied alpha outside the pool, and its median ratio to the pool alpha', () => {
    const s = realismStats([first, last]);
    const outs = last.subnets.map((x) => (810_000 * (1 - x.rootProp)) / x.rootProp - x.alphaIn).sort((a, b) => a - b);
    expect(s.impliedAlphaOutMedian).toBeCloseTo((outs[5]! + outs[6]!) / 2, 3);
    const ratios = last.subnets.map((x) => ((810_000 * (1 - x.rootProp)) / x.rootProp - x.alphaIn) / x.alphaIn).sort((a, b) => a - b);
    expect(s.impliedOutToInMedian).toBeCloseTo((ratios[5]! + ratios[6]!) / 2, 9);
  });

  it('price change of the 10 largest pools that kept their name', () => {
    // Largest 10 at the end: netuids 3..12, changes 1.03..1.12, median (1.07 + 1.08) / 2.
    expect(realismStats([first, last]).top10PriceChangeMedian).toBeCloseTo(1.075, 12);
    // Netuid 12 re-registered (renamed): it drops out and netuid 2 comes in.
    const renamed = { ...last, subnets: last.subnets.map((x) => (x.netuid === 12 ? { ...x, name: 'new' } : x)) };
    expect(realismStats([first, renamed]).top10PriceChangeMedian).toBeCloseTo(1.065, 12);
  });
});
