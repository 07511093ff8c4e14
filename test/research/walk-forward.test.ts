/** Walk-forward: folds over irregular time, stitching, and the whole analysis against direct backtest runs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFolds, parseWalkForward, stitch, stitchedMetrics } from '../../src/research/sweep/walk-forward.ts';
import { runSweep } from '../../src/research/sweep/sweep.ts';
import { parseGrid, allCombinations } from '../../src/research/sweep/grid.ts';
import { loadStrategy, resolveParams } from '../../src/strategy/loader.ts';
import { loadDataset } from '../../src/data/load.ts';
import { runOne } from '../../src/backtest/run.ts';
import { DEFAULT_MODEL } from '../../src/engine/model.ts';
import { HOUR, TAO, wavyMarket, writeTempData, type TempData } from './helpers.ts';

const spec = (train: number, test: number) => ({ trainMs: train * HOUR, testMs: test * HOUR, text: `train=${train}h,test=${test}h` });

describe('folds', () => {
  it('rolls a training window and steps by the test window', () => {
    const t = Array.from({ length: 48 }, (_, h) => h * HOUR);
    const { folds, skipped } = formFolds(t, 0, 47, spec(12, 6));
    expect(skipped).toEqual([]);
    expect(folds).toEqual([
      { fold: 1, trainFrom: 0, trainTo: 11, testFrom: 12, testTo: 17 },
      { fold: 2, trainFrom: 6, trainTo: 17, testFrom: 18, testTo: 23 },
      { fold: 3, trainFrom: 12, trainTo: 23, testFrom: 24, testTo: 29 },
      { fold: 4, trainFrom: 18, trainTo: 29, testFrom: 30, testTo: 35 },
      { fold: 5, trainFrom: 24, trainTo: 35, testFrom: 36, testTo: 41 },
      { fold: 6, trainFrom: 30, trainTo: 41, testFrom: 42, testTo: 47 },
    ]);
  });

  it('skips folds that fall in a gap, and says why', () => {
    // Hours 0..11, nothing until hour 30, then hourly to 47.
    const t = [...Array.from({ length: 12 }, (_, h) => h), ...Array.from({ length: 18 }, (_, k) => 30 + k)].map((h) => h * HOUR);
    const { folds, skipped } = formFolds(t, 0, t.length - 1, spec(12, 6));
    expect(folds.map((f) => f.fold)).toEqual([6]);
    expect(skipped.map((s) => s.fold)).toEqual([1, 2, 3, 4, 5]);
    // Fold 1 tests 12h..18h: nothing there. Fold 5 trains on 24h..36h, where only hours
    // 30..35 have snapshots: 5 hours of 12, less than half.
    expect(skipped[0]!.reason).toMatch(/0 in the test window/);
    expect(skipped[4]!.reason).toMatch(/cover 5\.0h of 12\.0h/);
    expect(folds[0]).toEqual({ fold: 6, trainFrom: 12, trainTo: 23, testFrom: 24, testTo: 29 });
  });

  it('refuses windows longer than the data, suggesting shorter ones', () => {
    const t = Array.from({ length: 24 }, (_, h) => h * HOUR);
    expect(() => formFolds(t, 0, 23, spec(30 * 24, 7 * 24))).toThrow(/spans 1\.0 days, too short for a 30\.0d training window.*use shorter windows/);
  });

  it('reads train=..,test=..', () => {
    expect(parseWalkForward('train=30d,test=7d')).toEqual({ trainMs: 30 * 24 * HOUR, testMs: 7 * 24 * HOUR, text: 'train=30d,test=7d' });
    expect(() => parseWalkForward('train=30d')).toThrow(/give both train= and test=/);
    expect(() => parseWalkForward('learn=3d,test=1d')).toThrow(/expected train=<duration>,test=<duration>/);
  });
});

describe('stitching', () => {
  it('compounds the folds: each test curve scaled by the growth of the folds before it', () => {
    const cap = 100n * TAO;
    const s = stitch([
      { timeMs: [0, HOUR], equitySpot: [100, 110], finalLiquidation: 105n * TAO, capital: cap },
      { timeMs: [2 * HOUR, 3 * HOUR], equitySpot: [100, 90], finalLiquidation: 95n * TAO, capital: cap },
    ]);
    [1, 1.1, 1.05, 0.945].forEach((v, i) => expect(s.value[i]).toBeCloseTo(v, 14));
    expect(s.growth).toEqual([1.05, 0.95]);
    const m = stitchedMetrics(s);
    expect(m.total_return!).toBeCloseTo(1.05 * 0.95 - 1, 12);
    expect(m.max_drawdown!).toBeCloseTo((1.05 * 0.9) / 1.1 - 1, 12);
    expect(m.days!).toBeCloseTo(3 / 24, 12);
  });
});

describe('walk-forward over a small market', () => {
  let tmp: TempData;
  const cacheBefore = process.env.DTAO_CACHE_DIR;
  beforeAll(() => {
    tmp = writeTempData(wavyMarket(48));
    process.env.DTAO_CACHE_DIR = tmp.dir;
  });
  afterAll(() => {
    if (cacheBefore === undefined) delete process.env.DTAO_CACHE_DIR;
    else process.env.DTAO_CACHE_DIR = cacheBefore;
    tmp.cleanup();
  });

  it('picks each fold\'s winner on its training window and trades it on the next test window', async () => {
    const { dataset, contentHash } = loadDataset(tmp.file);
    const loaded = await loadStrategy('top-emission');
    const grid = parseGrid(['n=1,2,3', 'rebalance_blocks=300,1800'], loaded.strategy);
    const capital = 100n * TAO;
    const out = await runSweep({
      data: dataset, sha256: contentHash, dataPath: tmp.file, cache: true, strategy: loaded.strategy, strategyRef: loaded.file,
      fixedParams: { min_pool_tao: 0 }, grid, metric: 'total_return', capital, model: DEFAULT_MODEL, from: 0, to: 47, workers: 2,
      walkForward: spec(12, 6),
    });
    const wf = out.walkForward!.report;
    expect(wf.folds).toHaveLength(6);
    const combos = allCombinations(grid);
    const direct = (i: number, from: number, to: number) => runOne(
      { name: 'x', kind: 'strategy', strategy: loaded.strategy, params: resolveParams(loaded.strategy, { min_pool_tao: 0, ...combos[i] }) },
      { data: dataset, model: DEFAULT_MODEL, capital, from, to },
    );
    let growth = 1;
    for (const f of wf.folds) {
      const trainFrom = dataset.indexAtOrBefore(f.train.from_block);
      const trainTo = dataset.indexAtOrBefore(f.train.to_block);
      const testFrom = dataset.indexAtOrBefore(f.test.from_block);
      const testTo = dataset.indexAtOrBefore(f.test.to_block);
      // Winner: the best final value on the training window (first index among equals).
      const trainValues = combos.map((_, i) => direct(i, trainFrom, trainTo).finalLiquidation);
      let best = 0;
      trainValues.forEach((v, i) => { if (v > trainValues[best]!) best = i; });
      expect(f.winner.index).toBe(best);
      const test = direct(best, testFrom, testTo);
      expect(f.out_of_sample.total_return!).toBeCloseTo(Number(test.finalLiquidation) / Number(capital) - 1, 11);
      const testValues = combos.map((_, i) => direct(i, testFrom, testTo).finalLiquidation);
      expect(f.winner_rank_on_test).toBe(1 + testValues.filter((v, i) => v > testValues[best]! || (v === testValues[best]! && i < best)).length);
      growth *= Number(test.finalLiquidation) / Number(capital);
    }
    expect(wf.stitched.out_of_sample.total_return!).toBeCloseTo(growth - 1, 11);
    // Picked with hindsight, the in-sample line can only be as good or better.
    expect(wf.stitched.in_sample.total_return!).toBeGreaterThanOrEqual(wf.stitched.out_of_sample.total_return!);
    expect(wf.full_range_best.index).toBe(out.sweep.results[0]!.index);
  });
});
