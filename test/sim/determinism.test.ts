import { describe, expect, it } from 'vitest';
import { formatSnapshotLine } from '../../src/data/writer.ts';
import { generateMarket } from '../../src/sim/generate.ts';
import { createMarketSim } from '../../src/sim/market.ts';
import { loadScenario } from '../../src/sim/scenario.ts';

function text(seed: number): string {
  const g = generateMarket({ scenario: loadScenario('new-subnet'), seed, days: 6, step: 600 });
  return [...g.snapshots].map(formatSnapshotLine).join('\n');
}

describe('determinism', () => {
  it('the same seed and parameters give the same bytes; another seed gives other bytes', () => {
    const a = text(42);
    expect(text(42)).toBe(a);
    expect(text(43)).not.toBe(a);
    expect(a.split('\n').length).toBe(6 * 7200 / 600 + 1);
  });

  it('the per-block API starts where asked and ticks 12 s per block', () => {
    const sim = createMarketSim({ scenario: 'positive-cycle', seed: 1, subnets: 5, startBlock: 123, startTime: '2026-03-01T12:00:00Z' });
    expect(sim.block).toBe(123);
    expect(sim.timeMs).toBe(Date.parse('2026-03-01T12:00:00Z'));
    for (let i = 0; i < 5; i++) sim.stepBlock();
    expect(sim.block).toBe(128);
    expect(sim.snapshot().time).toBe('2026-03-01T12:01:00Z');
    expect(sim.snapshot().subnets).toHaveLength(5);
  });

  it('fills every field of dtao-snapshots/1 except the weighted-pool weight', () => {
    const sim = createMarketSim({ scenario: 'mixed', seed: 1, subnets: 10 });
    sim.stepBlock();
    const snap = sim.snapshot();
    expect(snap.rootStake).toBeGreaterThan(0n);
    expect(snap.taoWeight).toBe(0.18);
    expect(snap.blockEmission).toBe(500_000_000n);
    for (const s of snap.subnets) {
      for (const key of ['alphaOut', 'price', 'movingPrice', 'rootProp', 'taoInEmission', 'alphaInEmission', 'alphaOutEmission', 'excessTao', 'feeRate', 'tempo', 'emissionEnabled', 'name'] as const) {
        expect(s[key], `${key} of subnet ${s.netuid}`).toBeDefined();
      }
      expect(s.price).toBeCloseTo(Number(s.taoIn) / Number(s.alphaIn), 15);
      expect(s.quoteWeight).toBeUndefined();
    }
  });

  it('rejects a bad seed, start time or subnet count with a plain message', () => {
    expect(() => createMarketSim({ scenario: 'mixed', seed: -1 })).toThrow(/seed must be a whole number/);
    expect(() => createMarketSim({ scenario: 'mixed', seed: 1, startTime: 'yesterday' })).toThrow(/not an ISO UTC time/);
    expect(() => createMarketSim({ scenario: 'positive-cycle', seed: 1, subnets: 129 })).toThrow(/at most 128 subnets/);
    expect(() => createMarketSim({ scenario: 'no-such-scenario', seed: 1 })).toThrow(/unknown scenario "no-such-scenario"/);
  });
});
