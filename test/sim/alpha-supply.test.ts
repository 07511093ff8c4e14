/**
 * The alpha supply of subnets that exist when a run starts: pool alpha, alpha outside the pool
 * and root_prop agree with the subnet's age under the chain's emission rule, and a long
 * outflow thins stakers out without emptying their holdings.
 */
import { describe, expect, it } from 'vitest';
import { MAX_POOL_ALPHA_SHARE } from '../../src/sim/build.ts';
import { engineFor, issuedStepping, smallMarket } from './helpers.ts';

const C = 0.18 * 4_500_000; // tao_weight · root stake, alpha units
const alpha = (x: bigint) => Number(x) / 1e9;

function market(group: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return smallMarket({ subnets: 4, groups: [{ name: 'g', flows: { volatility: 0 }, ...group }], ...extra });
}

describe('alpha supply of subnets present at the start', () => {
  it('pool_alpha_share: the pool holds that share of what the age issued, the rest is outside', () => {
    const e = engineFor(market({ pool_tao: 10_000, pool_alpha_share: 0.4, age_days: 500 }));
    const issued = issuedStepping(500 * 7200, C); // about 4.70M alpha
    const snap = e.snapshot();
    for (const s of snap.subnets) {
      const total = alpha(s.alphaIn) + alpha(s.alphaOut!);
      expect(Math.abs(total / issued - 1)).toBeLessThan(1e-6);
      expect(alpha(s.alphaIn) / total).toBeCloseTo(0.4, 9);
      expect(s.price!).toBeCloseTo(10_000 / alpha(s.alphaIn), 12);
      expect(s.rootProp!).toBeCloseTo(C / (C + issued), 7);
    }
  });

  it('price: the pool alpha is pool_tao / price when the age could have issued it', () => {
    const e = engineFor(market({ pool_tao: 10_000, price: 0.01, age_days: 500 }));
    const issued = issuedStepping(500 * 7200, C);
    for (const s of e.state.subnets) {
      expect(alpha(s.alphaIn)).toBeCloseTo(1_000_000, 6);
      expect(Math.abs((alpha(s.alphaIn) + alpha(s.alphaOut)) / issued - 1)).toBeLessThan(1e-6);
      expect(e.startBlock - s.registeredAt).toBe(500 * 7200);
    }
  });

  it('price: a pool holding more than the age could have issued makes the subnet older', () => {
    // 10,000 TAO at 0.001 is 10M alpha; 100 days issue about 1.16M. The subnet is taken to have
    // issued 10M / 0.7, so 3/7 of the pool's alpha is outside it.
    const e = engineFor(market({ pool_tao: 10_000, price: 0.001, age_days: 100 }));
    for (const s of e.state.subnets) {
      expect(alpha(s.alphaIn)).toBeCloseTo(10_000_000, 6);
      expect(alpha(s.alphaOut) / alpha(s.alphaIn)).toBeCloseTo((1 - MAX_POOL_ALPHA_SHARE) / MAX_POOL_ALPHA_SHARE, 8);
      expect(e.startBlock - s.registeredAt).toBeGreaterThan(1000 * 7200);
    }
  });

  it('a smaller market scales pool TAO and price, not alpha', () => {
    const group = { pool_tao: [5_000, 20_000], pool_alpha_share: [0.3, 0.6], age_days: [300, 500] };
    const full = engineFor(market(group), 3);
    const half = engineFor(market(group), 3, { subnets: 2 });
    const bySerial = new Map(full.state.subnets.map((s) => [s.serial, s]));
    for (const s of half.state.subnets) {
      const f = bySerial.get(s.serial)!;
      expect(s.alphaIn).toBe(f.alphaIn);
      expect(s.alphaOut).toBe(f.alphaOut);
      expect(alpha(s.taoIn) / alpha(f.taoIn)).toBeCloseTo(2, 9);
    }
  });
});

describe('stakers leaving', () => {
  it('a long outflow sells the stakers down to their long-term half and no further', () => {
    // 20% of the pool's TAO leaves every day for 20 days: far more than the stakers hold.
    const e = engineFor(market({ pool_tao: 10_000, pool_alpha_share: 0.5, age_days: 400, flows: { drift: -0.2, volatility: 0 } }));
    const floors = new Map(e.state.subnets.map((s) => [s.netuid, s.stakerFloor]));
    const initial = new Map(e.state.subnets.map((s) => [s.netuid, s.holdings.staker]));
    for (let day = 1; day <= 20; day++) {
      e.advanceTo(e.startBlock + day * 7200);
      for (const s of e.state.subnets) expect(s.holdings.staker).toBeGreaterThanOrEqual(floors.get(s.netuid)!);
    }
    for (const s of e.state.subnets) {
      expect(floors.get(s.netuid)!).toBe(initial.get(s.netuid)! / 2n);
      // Sold down to the floor, give or take the validator dividends of the last epoch (about 126 alpha).
      expect(alpha(s.holdings.staker - floors.get(s.netuid)!)).toBeLessThan(200);
      // Alpha outside the pool stays a sizeable part of the pool's alpha (mainnet: at least 0.44).
      expect(alpha(s.alphaOut) / alpha(s.alphaIn)).toBeGreaterThan(0.3);
    }
  });

  it('subnets registered during the run have no long-term stakers', () => {
    const e = engineFor(market(
      { pool_tao: 10_000, pool_alpha_share: 0.5, age_days: 400 },
      {
        groups: [
          { name: 'g', pool_tao: 10_000, pool_alpha_share: 0.5, age_days: 400 },
          { name: 'fresh', count: 0, pool_tao: 800, price: 0.01 },
        ],
        chain: { subnet_limit: 8 },
        registrations: { group: 'fresh', at_days: [1] },
      },
    ));
    e.advanceTo(e.startBlock + 7200 + 10);
    const fresh = e.state.subnets.find((s) => s.name === 'fresh 1')!;
    expect(fresh.stakerFloor).toBe(0n);
    // Nothing outside its pool but the alpha emitted since it started (1 alpha a block).
    expect(alpha(fresh.alphaOut)).toBeLessThanOrEqual(10);
  });
});
