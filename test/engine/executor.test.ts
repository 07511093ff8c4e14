/** Orders and targets through the one executor, on hand-built pools. */
import { describe, expect, it } from 'vitest';
import { Engine, StrategyError } from '../../src/engine/engine.ts';
import { DEFAULT_MODEL, type ModelConfig } from '../../src/engine/model.ts';
import { Portfolio } from '../../src/core/portfolio.ts';
import { defineStrategy, type Decision } from '../../src/strategy/types.ts';
import { datasetOf, snap, TAO } from '../helpers/build.ts';

const A = { netuid: 1, taoIn: 1000n * TAO, alphaIn: 100_000n * TAO, feeRate: 33, tempo: 100_000 };
const B = { netuid: 2, taoIn: 500n * TAO, alphaIn: 25_000n * TAO, feeRate: 33, tempo: 100_000 };

function run(decisions: (Decision | undefined)[], opts: { capital?: bigint; model?: Partial<ModelConfig>; blocks?: number } = {}) {
  const n = opts.blocks ?? decisions.length;
  const data = datasetOf(Array.from({ length: n }, (_, k) => snap(10 * k, [A, B])));
  const p = new Portfolio(opts.capital ?? 100n * TAO);
  const strategy = defineStrategy({ name: 'script', description: '', params: {}, decide: (ctx) => decisions[ctx.step] ?? undefined });
  const e = new Engine({ data, strategy, params: {}, model: { ...DEFAULT_MODEL, ...opts.model }, portfolio: p });
  const fills = [];
  for (let i = 0; i < n; i++) fills.push(...e.step(i).fills);
  return { p, fills, e };
}

describe('explicit orders', () => {
  it('stake, then a cross-subnet move paying one fee, then unstake all', () => {
    const { p, fills } = run([
      { orders: [{ type: 'stake', netuid: 1, tao: '10' }] },
      { orders: [{ type: 'move', from: 1, to: 2, alpha: 'all' }] },
      { orders: [{ type: 'unstake', netuid: 2, alpha: 'all' }] },
    ], { model: { impact: 'transient' } });
    expect(fills.map((f) => [f.type, f.status])).toEqual([['stake', 'filled'], ['move', 'filled'], ['unstake', 'filled']]);
    // stake: as in the stake tests, 989_605_381_618 alpha for 10 TAO
    expect(fills[0]!.output).toBe(989_605_381_618n);
    expect(fills[0]!.fee).toBe(5_035_477n);
    // move (transient impact: pool A is back to its snapshot state): sell with fee, buy fee-free
    const feeA = (989_605_381_618n * 33n) / 65535n;
    const netA = 989_605_381_618n - feeA;
    const tao = (1000n * TAO * netA) / (100_000n * TAO + netA);
    const alphaB = (25_000n * TAO * tao) / (500n * TAO + tao);
    expect(fills[1]!.fee).toBe(feeA);
    expect(fills[1]!.output).toBe(alphaB);
    expect(p.alphaOf(1)).toBe(0n);
    expect(p.alpha.size).toBe(0);
    expect(p.free).toBe(100n * TAO - 10n * TAO + fills[2]!.output);
  });

  it('refuses what the chain refuses, and says why', () => {
    const { fills, p } = run([{ orders: [
      { type: 'stake', netuid: 1, tao: '1000' },          // more than the free balance
      { type: 'stake', netuid: 1, tao: '0.001' },         // below the minimum stake
      { type: 'unstake', netuid: 2, alpha: '5' },          // nothing held
      { type: 'stake', netuid: 7, tao: '1' },              // no such subnet
      { type: 'move', from: 1, to: 1, alpha: '1' },        // same subnet
    ] }]);
    expect(fills.map((f) => f.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(fills.map((f) => f.reason)).toEqual([
      'not enough free TAO', 'amount below the minimum stake', 'no alpha held on subnet 2', 'subnet 7 is not in this snapshot',
      'origin and destination are the same subnet',
    ]);
    expect(p.free).toBe(100n * TAO);
  });

  it('root is 1:1 with no fee', () => {
    const { p, fills } = run([{ orders: [{ type: 'stake', netuid: 0, tao: 40 }, { type: 'unstake', netuid: 0, alpha: '15.5' }] }]);
    expect(p.root).toBe(24_500_000_000n);
    expect(p.free).toBe(75_500_000_000n);
    expect(fills.every((f) => f.fee === 0n)).toBe(true);
  });

  it('charges the per-transaction fee from free TAO', () => {
    const { p } = run([{ orders: [{ type: 'stake', netuid: 0, tao: 40 }] }], { model: { txFee: 1_500_000n } });
    expect(p.free).toBe(60n * TAO - 1_500_000n);
    expect(p.totals.txFees).toBe(1_500_000n);
  });

  it('an unstake of more than held is capped to the position', () => {
    const { fills } = run([{ orders: [{ type: 'stake', netuid: 1, tao: 10 }] }, { orders: [{ type: 'unstake', netuid: 1, alpha: 1e9 }] }]);
    expect(fills[1]!.status).toBe('filled');
    expect(fills[1]!.input).toBe(fills[0]!.output);
  });
});

describe('our own impact on the pools', () => {
  it('persists into later snapshots by default, vanishes with transient impact', () => {
    const buyTwice = [{ orders: [{ type: 'stake' as const, netuid: 1, tao: 50 }] }, { orders: [{ type: 'stake' as const, netuid: 1, tao: 50 }] }];
    const persistent = run(buyTwice, { model: { impact: 'persistent' } });
    const transient = run(buyTwice, { model: { impact: 'transient' } });
    expect(persistent.fills[0]!.output).toBe(transient.fills[0]!.output);
    // the second buy starts from the pool the first one moved: fewer alpha for the same TAO
    expect(persistent.fills[1]!.output).toBeLessThan(transient.fills[1]!.output);
    expect(transient.fills[1]!.output).toBe(transient.fills[0]!.output);
    expect(persistent.fills[1]!.spotBefore).toBeCloseTo(persistent.fills[0]!.spotAfter, 12);
  });
});

describe('target weights', () => {
  it('buys to targets, keeps the free share, then rebalances with a move (one fee)', () => {
    // Transient impact: at the second step pool A is back at its snapshot price, so the alpha
    // is worth less than the 50% target of B and all of it moves; root and the TAO the move
    // fell short by (fee and about 4.7% slippage) stay within the 5% band.
    const { p, fills } = run([
      { targets: { root: 0.2, subnets: { 1: 0.5 } }, band: 0 },
      { targets: { root: 0.2, subnets: { 2: 0.5 } }, band: 0.05 },
    ], { model: { impact: 'transient' } });
    const first = fills.filter((f) => f.step === 0);
    expect(first.map((f) => [f.type, f.netuid])).toEqual([['stake', 0], ['stake', 1]]);
    expect(first[0]!.input).toBe(20n * TAO);
    expect(first[1]!.input).toBe(50n * TAO);
    const second = fills.filter((f) => f.step === 1);
    expect(second.map((f) => [f.type, f.from, f.to, f.input])).toEqual([['move', 1, 2, first[1]!.output]]);
    expect(p.alphaOf(1)).toBe(0n);
    expect(p.alphaOf(2)).toBeGreaterThan(0n);
    expect(p.free).toBe(30n * TAO);
  });

  it('leaves positions within the band alone', () => {
    const { fills } = run([
      { targets: { subnets: { 1: 0.5 } }, band: 0 },
      { targets: { subnets: { 1: 0.51 } }, band: 0.05 },
    ]);
    expect(fills.filter((f) => f.step === 1)).toEqual([]);
  });

  it('a strategy asking for more than 100% gets a clear error naming it and the block', () => {
    expect(() => run([{ targets: { root: 0.7, subnets: { 1: 0.5 } } }])).toThrowError(StrategyError);
    expect(() => run([{ targets: { root: 0.7, subnets: { 1: 0.5 } } }])).toThrow(/strategy "script" at block 0: target weights add up to 1.200000, more than 1/);
  });
});
