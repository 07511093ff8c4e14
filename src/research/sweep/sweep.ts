/**
 * `sweep`: every combination of a parameter grid through the backtest engine, on worker
 * threads, ranked by one metric; optionally a walk-forward analysis over the same grid.
 *
 * All runs (the full-range ones and, with walk-forward, every fold's training and test runs)
 * are independent pool tasks. Results are put back in task order and ranked with index
 * tie-breaks, so the outputs are byte-identical whatever the number of workers.
 */
import type { Dataset } from '../../data/dataset.ts';
import { formatAmount } from '../../core/units.ts';
import type { ModelConfig } from '../../engine/model.ts';
import type { Strategy } from '../../strategy/types.ts';
import { modelToJson } from '../../report/report-json.ts';
import { num, type RunMetrics } from '../../report/summary.ts';
import { yieldTableFor } from '../../engine/yield-table.ts';
import { runTasks } from '../pool/worker-pool.ts';
import { dataBlock, rangeBlock, type DataBlock, type RangeBlock } from '../../report/data-block.ts';
import { allCombinations, type Grid, type ParamValue } from './grid.ts';
import { METRICS, rankOrder, type MetricName } from './rank.ts';
import type { RunSetup, RunTask, RunTaskResult } from './run-task.ts';
import { formFolds, stitch, stitchedMetrics, type SkippedFold, type Stitched, type StitchedMetrics, type WalkForwardSpec } from './walk-forward.ts';

export const SWEEP_FORMAT = 'dtao-sweep/1';
export const WALK_FORWARD_FORMAT = 'dtao-walk-forward/1';

export interface SweepInput {
  data: Dataset;
  sha256: string;
  /** The data file, for the workers (which load it from the content-hash cache). */
  dataPath: string;
  cache: boolean;
  strategy: Strategy;
  /** Built-in name or absolute file path the workers load the strategy from. */
  strategyRef: string;
  /** Parameters held fixed (from --param or the config), applied under the grid's. */
  fixedParams: Record<string, ParamValue>;
  grid: Grid;
  metric: MetricName;
  capital: bigint;
  model: ModelConfig;
  from: number;
  to: number;
  workers: number;
  walkForward?: WalkForwardSpec;
  onProgress?: (done: number, total: number) => void;
}

export interface SweepRow {
  rank: number;
  index: number;
  params: Record<string, ParamValue>;
  metrics: RunMetrics;
}

export interface SweepReport {
  format: string;
  strategy: string;
  data: DataBlock;
  config: {
    capital: string;
    metric: MetricName;
    metric_direction: 'higher' | 'lower';
    grid: Record<string, ParamValue[]>;
    fixed_params: Record<string, ParamValue>;
    model: Record<string, unknown>;
  };
  combinations: number;
  /** Best first. */
  results: SweepRow[];
  assumptions: string[];
}

export interface FoldResult {
  fold: number;
  train: RangeBlock;
  test: RangeBlock;
  winner: { index: number; params: Record<string, ParamValue> };
  /** The winner's metric and return on its training window (in sample). */
  in_sample: { metric: number | null; total_return: number | null };
  /** The winner's metric and return on the test window (out of sample). */
  out_of_sample: { metric: number | null; total_return: number | null };
  /** Where the winner ranked among all combinations on the test window (1 = best). */
  winner_rank_on_test: number;
  /** The combination that would have been best on the test window, known only afterwards. */
  best_on_test: { index: number; params: Record<string, ParamValue>; metric: number | null; total_return: number | null };
}

export interface WalkForwardReport {
  format: string;
  strategy: string;
  data: DataBlock;
  config: { walk_forward: string; train_days: number; test_days: number; metric: MetricName; capital: string; grid: Record<string, ParamValue[]>; fixed_params: Record<string, ParamValue>; model: Record<string, unknown> };
  combinations: number;
  folds: FoldResult[];
  skipped: SkippedFold[];
  /** Stitched test windows: the winners of each training window (out of sample), and the best
   *  combination of each test window picked with hindsight (in sample, same periods). */
  stitched: { out_of_sample: StitchedMetrics; in_sample: StitchedMetrics };
  /** Mean over folds of the winner's metric on its training and on its test window. */
  mean_metric: { in_sample: number | null; out_of_sample: number | null };
  /** The sweep's best combination over the whole range (in sample). */
  full_range_best: { index: number; params: Record<string, ParamValue>; metric: number | null; total_return: number | null };
}

export interface SweepOutcome {
  sweep: SweepReport;
  walkForward?: { report: WalkForwardReport; outOfSample: Stitched; inSample: Stitched };
}

function gridJson(g: Grid): Record<string, ParamValue[]> {
  return Object.fromEntries(g.keys.map((k, i) => [k, g.values[i]!]));
}

function mean(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? num(v.reduce((a, b) => a + b, 0) / v.length) : null;
}

export async function runSweep(input: SweepInput): Promise<SweepOutcome> {
  const { data, grid, metric } = input;
  const combos = allCombinations(grid);
  const paramsOf = (i: number) => ({ ...input.fixedParams, ...combos[i]! });
  const tasks: RunTask[] = combos.map((_, i) => ({ params: paramsOf(i), from: input.from, to: input.to }));
  const wf = input.walkForward ? formFolds(data.cols.timeMs, input.from, input.to, input.walkForward) : undefined;
  const foldBase: { train: number; test: number }[] = [];
  for (const f of wf?.folds ?? []) {
    foldBase.push({ train: tasks.length, test: tasks.length + combos.length });
    for (let i = 0; i < combos.length; i++) tasks.push({ params: paramsOf(i), from: f.trainFrom, to: f.trainTo });
    for (let i = 0; i < combos.length; i++) tasks.push({ params: paramsOf(i), from: f.testFrom, to: f.testTo, series: true });
  }
  const setup: RunSetup = { dataPath: input.dataPath, cache: input.cache, strategy: input.strategyRef, model: input.model, capital: input.capital };
  const results = await runTasks<RunTask, RunTaskResult>('backtest-run', setup, tasks, {
    workers: input.workers, onProgress: input.onProgress, local: { dataset: data, strategy: input.strategy },
  });

  const rowsAt = (base: number) => combos.map((_, i) => ({ index: i, metrics: results[base + i]!.metrics }));
  const ranked = rankOrder(rowsAt(0), metric).map((r, k): SweepRow => ({ rank: k + 1, index: r.index, params: combos[r.index]!, metrics: r.metrics }));
  const common = {
    strategy: input.strategy.name,
    data: dataBlock(data, input.sha256, input.from, input.to),
  };
  const sweep: SweepReport = {
    format: SWEEP_FORMAT, ...common,
    config: {
      capital: formatAmount(input.capital), metric, metric_direction: METRICS[metric], grid: gridJson(grid), fixed_params: input.fixedParams, model: modelToJson(input.model),
    },
    combinations: combos.length,
    results: ranked,
    assumptions: yieldTableFor(data, input.model.assumptions).notes(),
  };
  if (!wf || !input.walkForward) return { sweep };

  const folds: FoldResult[] = [];
  const oosCurves = [];
  const isCurves = [];
  for (let k = 0; k < wf.folds.length; k++) {
    const f = wf.folds[k]!;
    const { train, test } = foldBase[k]!;
    const winner = rankOrder(rowsAt(train), metric)[0]!;
    const testRanked = rankOrder(rowsAt(test), metric);
    const best = testRanked[0]!;
    const oos = results[test + winner.index]!;
    const hindsight = results[test + best.index]!;
    folds.push({
      fold: f.fold,
      train: rangeBlock(data, f.trainFrom, f.trainTo),
      test: rangeBlock(data, f.testFrom, f.testTo),
      winner: { index: winner.index, params: combos[winner.index]! },
      in_sample: { metric: winner.metrics[metric], total_return: winner.metrics.total_return },
      out_of_sample: { metric: oos.metrics[metric], total_return: oos.metrics.total_return },
      winner_rank_on_test: testRanked.findIndex((r) => r.index === winner.index) + 1,
      best_on_test: { index: best.index, params: combos[best.index]!, metric: best.metrics[metric], total_return: best.metrics.total_return },
    });
    oosCurves.push({ timeMs: oos.series!.timeMs, equitySpot: oos.series!.equitySpot, finalLiquidation: oos.finalLiquidation, capital: input.capital });
    isCurves.push({ timeMs: hindsight.series!.timeMs, equitySpot: hindsight.series!.equitySpot, finalLiquidation: hindsight.finalLiquidation, capital: input.capital });
  }
  const outOfSample = stitch(oosCurves);
  const inSample = stitch(isCurves);
  const top = ranked[0]!;
  const report: WalkForwardReport = {
    format: WALK_FORWARD_FORMAT, ...common,
    config: {
      walk_forward: input.walkForward.text, train_days: num(input.walkForward.trainMs / 86_400_000)!, test_days: num(input.walkForward.testMs / 86_400_000)!,
      metric, capital: formatAmount(input.capital), grid: gridJson(grid), fixed_params: input.fixedParams, model: modelToJson(input.model),
    },
    combinations: combos.length,
    folds,
    skipped: wf.skipped,
    stitched: { out_of_sample: stitchedMetrics(outOfSample), in_sample: stitchedMetrics(inSample) },
    mean_metric: { in_sample: mean(folds.map((f) => f.in_sample.metric)), out_of_sample: mean(folds.map((f) => f.out_of_sample.metric)) },
    full_range_best: { index: top.index, params: top.params, metric: top.metrics[metric], total_return: top.metrics.total_return },
  };
  return { sweep, walkForward: { report, outOfSample, inSample } };
}
