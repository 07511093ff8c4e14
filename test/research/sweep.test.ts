/**
 * Sweeps: the grid, the ranking, and the pool of worker threads, whose results must equal a
 * plain backtest run of each combination and must not depend on the number of workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGrid, allCombinations, combination, combinationCount } from '../../src/research/sweep/grid.ts';
import { rankOrder, checkMetric } from '../../src/research/sweep/rank.ts';
import { runSweep, type SweepInput } from '../../src/research/sweep/sweep.ts';
import { loadStrategy, resolveParams } from '../../src/strategy/loader.ts';
import { loadDataset } from '../../src/data/load.ts';
import { runOne } from '../../src/backtest/run.ts';
import { summarize, type RunMetrics } from '../../src/report/summary.ts';
import { DEFAULT_MODEL } from '../../src/engine/model.ts';
import { defineStrategy, type Strategy } from '../../src/strategy/types.ts';
import { UserError } from '../../src/core/errors.ts';
import { TAO, wavyMarket, writeTempData, type TempData } from './helpers.ts';

const toy: Strategy = defineStrategy({
  name: 'toy',
  description: 'test',
  params: {
    n: { type: 'integer', default: 1, min: 1, description: '' },
    w: { type: 'number', default: 0.5, min: 0, max: 1, description: '' },
    mode: { type: 'string', default: 'a', choices: ['a', 'b'], description: '' },
  },
  decide() {},
});

describe('grid', () => {
  it('reads lists and start:stop:step ranges, coerced to the declared types', () => {
    const g = parseGrid(['n=1,2,3', 'w=0.1:0.3:0.1', 'mode=b,a'], toy);
    expect(g.keys).toEqual(['n', 'w', 'mode']);
    expect(g.values).toEqual([[1, 2, 3], [0.1, 0.2, 0.3], ['b', 'a']]);
    expect(combinationCount(g)).toBe(18);
  });

  it('orders combinations with the last parameter varying fastest', () => {
    const g = parseGrid(['n=1,2', 'w=0,1'], toy);
    expect(allCombinations(g)).toEqual([{ n: 1, w: 0 }, { n: 1, w: 1 }, { n: 2, w: 0 }, { n: 2, w: 1 }]);
    expect(combination(g, 2)).toEqual({ n: 2, w: 0 });
  });

  it('drops repeated values and says what is wrong with bad ones', () => {
    expect(parseGrid(['n=2,2,1'], toy).values).toEqual([[2, 1]]);
    expect(() => parseGrid(['x=1'], toy)).toThrow(/has no param "x" \(its params: n, w, mode\)/);
    expect(() => parseGrid(['n=1.5'], toy)).toThrow(/expected an integer/);
    expect(() => parseGrid(['w=2'], toy)).toThrow(/must be <= 1/);
    expect(() => parseGrid(['n=1', 'n=2'], toy)).toThrow(/already in the grid/);
    expect(() => parseGrid(['n'], toy)).toThrow(UserError);
    expect(() => parseGrid(['n=3:1:1'], toy)).toThrow(/stops before it starts/);
    expect(() => parseGrid(['mode=c'], toy)).toThrow(/must be one of a, b/);
  });
});

describe('ranking', () => {
  const m = (x: Partial<RunMetrics>) => x as RunMetrics;
  it('puts the best first, breaks ties by combination index and puts undefined metrics last', () => {
    const rows = [
      { index: 0, metrics: m({ sharpe: null, volatility: 0.3 }) },
      { index: 1, metrics: m({ sharpe: 1.5, volatility: 0.2 }) },
      { index: 2, metrics: m({ sharpe: 2, volatility: 0.2 }) },
      { index: 3, metrics: m({ sharpe: 1.5, volatility: null }) },
    ];
    expect(rankOrder(rows, 'sharpe').map((r) => r.index)).toEqual([2, 1, 3, 0]);
    expect(rankOrder(rows, 'volatility').map((r) => r.index)).toEqual([1, 2, 0, 3]); // lower is better
    expect(() => checkMetric('profit')).toThrow(/choose one of sharpe/);
  });
});

describe('sweep on worker threads', () => {
  let tmp: TempData;
  let base: Omit<SweepInput, 'workers'>;
  const cacheBefore = process.env.DTAO_CACHE_DIR;

  beforeAll(async () => {
    tmp = writeTempData(wavyMarket(36));
    process.env.DTAO_CACHE_DIR = tmp.dir; // workers inherit it and read the dataset from this cache
    const { dataset, contentHash } = loadDataset(tmp.file);
    const loaded = await loadStrategy('top-emission');
    base = {
      data: dataset, sha256: contentHash, dataPath: tmp.file, cache: true, strategy: loaded.strategy, strategyRef: loaded.file,
      fixedParams: { min_pool_tao: 0 }, grid: parseGrid(['n=1,2,3', 'rebalance_blocks=300,900'], loaded.strategy), metric: 'total_return',
      capital: 100n * TAO, model: DEFAULT_MODEL, from: 0, to: dataset.snapshotCount - 1,
    };
  });
  afterAll(() => {
    if (cacheBefore === undefined) delete process.env.DTAO_CACHE_DIR;
    else process.env.DTAO_CACHE_DIR = cacheBefore;
    tmp.cleanup();
  });

  it('gives byte-identical results with 0, 1 and 2 workers', async () => {
    const texts: string[] = [];
    for (const workers of [0, 1, 2]) texts.push(JSON.stringify((await runSweep({ ...base, workers })).sweep));
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
  });

  it('reports for each combination exactly what a plain backtest run of it gives', async () => {
    const { sweep } = await runSweep({ ...base, workers: 2 });
    expect(sweep.results).toHaveLength(6);
    const returns = sweep.results.map((r) => r.metrics.total_return!);
    expect([...returns].sort((a, b) => b - a)).toEqual(returns); // ranked by total_return
    expect(new Set(returns).size).toBeGreaterThan(2); // the combinations really differ
    for (const r of sweep.results) {
      const params = resolveParams(base.strategy, { ...base.fixedParams, ...r.params });
      const direct = summarize(runOne({ name: base.strategy.name, kind: 'strategy', strategy: base.strategy, params }, {
        data: base.data, model: base.model, capital: base.capital, from: base.from, to: base.to,
      }));
      expect(r.metrics).toEqual(direct);
      expect(r.params).toEqual(allCombinations(base.grid)[r.index]);
    }
  });

  it('reports a strategy error from a worker as the user\'s error, with its block', async () => {
    const broken = await loadStrategy('ema-trend');
    const grid = parseGrid(['fast=60'], broken.strategy); // fast >= slow (48): the strategy refuses
    const err = await runSweep({ ...base, strategy: broken.strategy, strategyRef: broken.file, fixedParams: {}, grid, workers: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/strategy "ema-trend" failed at block \d+: fast \(60\) must be shorter than slow \(48\)/);
  });
});
