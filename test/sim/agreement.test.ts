/**
 * The batch generator walks in runs of up to one flow interval (60 blocks); the per-block API
 * steps one block at a time. Trades fall on the same blocks with the same draws, so the two
 * must describe the same market. The stated tolerance: after two days, every reserve, every
 * alpha_out and every EMA price within 1e-7 relative; total issuance may differ only by the
 * flooring of E * share, at most one rao per subnet per block (in practice far less).
 */
import { describe, expect, it } from 'vitest';
import { createMarketSim } from '../../src/sim/market.ts';
import { MarketEngine } from '../../src/sim/engine.ts';
import { loadScenario } from '../../src/sim/scenario.ts';

function rel(a: bigint, b: bigint): number {
  const d = a > b ? a - b : b - a;
  return Number(d) / Number(a > 0n ? a : 1n);
}

describe('batched runs agree with block-by-block stepping', () => {
  it('mixed market, 16 subnets, 2 days, compared every 6 hours', () => {
    const opts = { scenario: 'mixed', seed: 5, subnets: 16 };
    const stepped = createMarketSim(opts);
    const batched = createMarketSim(opts);
    let worstReserve = 0;
    let worstOut = 0;
    let worstEma = 0;
    for (let k = 1; k <= 8; k++) {
      const target = stepped.startBlock + k * 1800;
      while (stepped.block < target) stepped.stepBlock();
      batched.advanceTo(target);
      const a = stepped.snapshot();
      const b = batched.snapshot();
      expect(b.subnets.map((s) => s.name)).toEqual(a.subnets.map((s) => s.name));
      a.subnets.forEach((x, i) => {
        const y = b.subnets[i]!;
        worstReserve = Math.max(worstReserve, rel(x.taoIn, y.taoIn), rel(x.alphaIn, y.alphaIn));
        worstOut = Math.max(worstOut, rel(x.alphaOut!, y.alphaOut!));
        if (x.movingPrice! > 0) worstEma = Math.max(worstEma, Math.abs(x.movingPrice! - y.movingPrice!) / x.movingPrice!);
      });
      const issuanceGap = Number(stepped.totalIssuance - batched.totalIssuance);
      expect(Math.abs(issuanceGap)).toBeLessThanOrEqual(16 * k * 1800);
      expect(batched.state.rootStake === stepped.state.rootStake || rel(stepped.state.rootStake, batched.state.rootStake) < 1e-9).toBe(true);
    }
    expect(worstReserve).toBeLessThan(1e-7);
    expect(worstOut).toBeLessThan(1e-7);
    expect(worstEma).toBeLessThan(1e-7);
  });

  it('runs of one block are exactly the per-block API', () => {
    const scenario = loadScenario('mixed');
    const a = new MarketEngine({ scenario, seed: 9, subnets: 8 });
    const b = new MarketEngine({ scenario, seed: 9, subnets: 8 });
    for (let i = 0; i < 600; i++) a.stepBlock();
    b.advanceTo(b.block + 600, 1);
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(b.state.ledger).toEqual(a.state.ledger);
  });
});
