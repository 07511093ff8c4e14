/**
 * compare values a window by running the engine once per start and pricing the exit at each
 * end. On the real data, that must equal a plain backtest run that stakes at the start and
 * really places the unstake order at the end, to the rao.
 */
import { describe, expect, it } from 'vitest';
import { hasRealData, REAL_DATA_FILE, announceSkip } from '../helpers/shared.ts';
import { loadDataset } from '../../src/data/load.ts';
import { DEFAULT_MODEL, type ModelConfig } from '../../src/engine/model.ts';
import { runLeg } from '../../src/research/compare/legs.ts';
import { runOne } from '../../src/backtest/run.ts';
import { defineStrategy } from '../../src/strategy/types.ts';
import type { Dataset } from '../../src/data/dataset.ts';

const TAO = 1_000_000_000n;

/** Stake `amount` on `netuid` at the first step; unstake all at `exitBlock`. */
function stakeThenExit(netuid: number, amount: bigint, exitBlock: number) {
  return defineStrategy({
    name: 'stake-then-exit',
    description: 'test: one round trip',
    params: {},
    decide(ctx) {
      if (ctx.step === 0) return { orders: [{ type: 'stake', netuid, tao: amount }] };
      if (ctx.snapshot.block === exitBlock) return { orders: [{ type: 'unstake', netuid, alpha: 'all' }] };
    },
  });
}

function backtestValue(data: Dataset, model: ModelConfig, netuid: number, amount: bigint, start: number, end: number): bigint {
  const capital = amount + 2n * model.txFee;
  const strategy = stakeThenExit(netuid, amount, data.cols.block[end]!);
  return runOne({ name: 's', kind: 'strategy', strategy, params: {} }, { data, model, capital, from: start, to: end }).finalLiquidation;
}

describe.skipIf(!hasRealData)('compare legs equal an explicit backtest round trip on the real data', () => {
  if (!hasRealData) announceSkip('compare engine parity', REAL_DATA_FILE);
  const data = hasRealData ? loadDataset(REAL_DATA_FILE).dataset : (undefined as never);
  const last = hasRealData ? data.snapshotCount - 1 : 0;
  const cases: { netuid: number; start: number; ends: number[] }[] = [
    { netuid: 0, start: 0, ends: [1, 12, last] }, // root: dividends claimed along the way
    { netuid: 64, start: 0, ends: [5, 40, last] },
    { netuid: 90, start: 30, ends: [31, 90] }, // the subnet whose reported price strays from its reserves
    { netuid: 16, start: 14, ends: [60, 140] }, // renamed along the way
    { netuid: 120, start: 100, ends: [101, 130, last] },
  ];

  for (const model of [DEFAULT_MODEL, { ...DEFAULT_MODEL, txFee: 1_000_000n, impact: 'transient' as const }]) {
    for (const c of cases) {
      it(`netuid ${c.netuid} from snapshot ${c.start} (tx fee ${model.txFee}, ${model.impact} impact)`, () => {
        const amount = 250n * TAO;
        const legs = runLeg(data, model, c.netuid, amount, c.start, c.ends);
        expect(legs.map((l) => l.end)).toEqual(c.ends);
        for (const leg of legs) {
          expect(leg.status).toBe('ok');
          expect(leg.value).toBe(backtestValue(data, model, c.netuid, amount, c.start, leg.end));
        }
      });
    }
  }
});
