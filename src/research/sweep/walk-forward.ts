/**
 * Walk-forward analysis: optimise on a training window, trade the winner on the window that
 * follows, move on by one test window, repeat; then stitch the test windows together. The
 * stitched result is what the optimisation would really have earned out of sample; set beside
 * the in-sample figures it shows how much of a sweep's best result was fitted to the past.
 *
 * Folds are formed in time (the data's snapshots are irregular): test windows start at
 * t0 + train, t0 + train + test, ... and each trains on the `train` before its start (a rolling
 * window). A fold needs at least two snapshots in each of its windows, and snapshots covering at
 * least half of its training window; folds that fall in a gap of the data are skipped and listed.
 *
 * Each test run starts from cash with the sweep's capital and ends valued at what unstaking
 * everything would return. The stitched curve compounds the folds: fold k's curve is scaled by
 * the growth of the folds before it, as if trade sizes scaled with the capital (slippage is
 * not re-simulated at the compounded size).
 */
import { UserError } from '../../core/errors.ts';
import { DAY_MS, formatDays, parseDuration } from '../duration.ts';
import { gridStepMs, periodReturns, periodsPerYear, resample } from '../../report/metrics/grid.ts';
import { annualizedReturn } from '../../report/metrics/returns.ts';
import { volatility } from '../../report/metrics/volatility.ts';
import { sharpe } from '../../report/metrics/sharpe.ts';
import { sortino } from '../../report/metrics/sortino.ts';
import { drawdown } from '../../report/metrics/drawdown.ts';
import { num } from '../../report/summary.ts';

export interface WalkForwardSpec {
  trainMs: number;
  testMs: number;
  /** As written ("train=30d,test=7d"). */
  text: string;
}

export function parseWalkForward(text: string): WalkForwardSpec {
  const flag = '--walk-forward';
  const parts = new Map<string, string>();
  for (const p of text.split(',')) {
    const [k, v] = p.split('=').map((x) => x.trim());
    if (!k || v === undefined || (k !== 'train' && k !== 'test')) throw new UserError(`${flag} ${text}: expected train=<duration>,test=<duration>, e.g. train=30d,test=7d`);
    parts.set(k, v);
  }
  if (!parts.has('train') || !parts.has('test')) throw new UserError(`${flag} ${text}: give both train= and test=, e.g. train=30d,test=7d`);
  return { trainMs: parseDuration(`${flag} train=`, parts.get('train')!), testMs: parseDuration(`${flag} test=`, parts.get('test')!), text };
}

export interface Fold {
  /** 1-based, counting skipped folds too, so numbers match the time grid. */
  fold: number;
  trainFrom: number;
  trainTo: number;
  testFrom: number;
  testTo: number;
}

export interface SkippedFold {
  fold: number;
  test_start: string;
  reason: string;
}

/** First index in [from, to] with time >= t (to + 1 if none). */
function firstAtOrAfter(timeMs: ArrayLike<number>, from: number, to: number, t: number): number {
  let i = from;
  while (i <= to && timeMs[i]! < t) i++;
  return i;
}

export function formFolds(timeMs: ArrayLike<number>, from: number, to: number, spec: WalkForwardSpec): { folds: Fold[]; skipped: SkippedFold[] } {
  const t0 = timeMs[from]!;
  const tEnd = timeMs[to]!;
  if (t0 + spec.trainMs >= tEnd) {
    const span = (tEnd - t0) / DAY_MS;
    throw new UserError(`--walk-forward ${spec.text}: the data range spans ${span.toFixed(1)} days, too short for a ${formatDays(spec.trainMs)} training window followed by a test window; ` +
      `use shorter windows (for example train=${Math.max(1, Math.floor(span / 4))}d,test=${Math.max(1, Math.floor(span / 12))}d)`);
  }
  const folds: Fold[] = [];
  const skipped: SkippedFold[] = [];
  for (let k = 0; ; k++) {
    const start = t0 + spec.trainMs + k * spec.testMs;
    if (start > tEnd) break;
    const trainFrom = firstAtOrAfter(timeMs, from, to, start - spec.trainMs);
    const testFrom = firstAtOrAfter(timeMs, from, to, start);
    const trainTo = testFrom - 1;
    const testTo = firstAtOrAfter(timeMs, from, to, start + spec.testMs) - 1;
    const fold = k + 1;
    const trainN = trainTo - trainFrom + 1;
    const testN = testTo - testFrom + 1;
    if (trainN < 2 || testN < 2) {
      skipped.push({ fold, test_start: new Date(start).toISOString(), reason: `${trainN} snapshot(s) in the training window and ${testN} in the test window (each needs at least 2): a gap in the data` });
      continue;
    }
    const covered = timeMs[trainTo]! - timeMs[trainFrom]!;
    if (covered < spec.trainMs / 2) {
      skipped.push({ fold, test_start: new Date(start).toISOString(), reason: `the training window's snapshots cover ${formatDays(covered)} of ${formatDays(spec.trainMs)} (at least half is needed): a gap in the data` });
      continue;
    }
    folds.push({ fold, trainFrom, trainTo, testFrom, testTo });
  }
  if (folds.length === 0) throw new UserError(`--walk-forward ${spec.text}: no fold has enough data in both its training and its test window (gaps in the data); try longer windows`);
  return { folds, skipped };
}

/** One test window's result, to be stitched. */
export interface FoldCurve {
  timeMs: ArrayLike<number>;
  equitySpot: ArrayLike<number>;
  /** Exact final value after unstaking, and the capital the fold started with, rao. */
  finalLiquidation: bigint;
  capital: bigint;
}

export interface Stitched {
  timeMs: number[];
  /** Spot marks, in units of the starting capital (1 = the capital). */
  value: number[];
  /** Growth factor of each fold (final value after unstaking / capital). */
  growth: number[];
}

export function stitch(curves: readonly FoldCurve[]): Stitched {
  const out: Stitched = { timeMs: [], value: [], growth: [] };
  let scale = 1;
  for (const c of curves) {
    const cap = Number(c.capital) / 1e9;
    for (let i = 0; i < c.timeMs.length; i++) {
      out.timeMs.push(c.timeMs[i]!);
      out.value.push((scale * c.equitySpot[i]!) / cap);
    }
    const g = Number(c.finalLiquidation) / Number(c.capital);
    out.growth.push(g);
    scale *= g;
  }
  return out;
}

export interface StitchedMetrics {
  /** Compounded return of the folds, on the values after unstaking at each fold's end. */
  total_return: number | null;
  annualized_return: number | null;
  volatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  max_drawdown: number | null;
  /** Time the test windows cover, days. */
  days: number | null;
}

/** The same statistics as report.json, computed on a stitched curve by the same metric modules. */
export function stitchedMetrics(s: Stitched): StitchedMetrics {
  const n = s.timeMs.length;
  if (n === 0) return { total_return: null, annualized_return: null, volatility: null, sharpe: null, sortino: null, max_drawdown: null, days: null };
  const total = s.growth.reduce((a, g) => a * g, 1) - 1;
  const span = s.timeMs[n - 1]! - s.timeMs[0]!;
  const step = gridStepMs(s.timeMs);
  const rets = periodReturns(resample(s.timeMs, s.value, step));
  const ppy = periodsPerYear(step);
  return {
    total_return: num(total), annualized_return: num(annualizedReturn(total, span)), volatility: num(volatility(rets, ppy)),
    sharpe: num(sharpe(rets, ppy)), sortino: num(sortino(rets, ppy)), max_drawdown: num(drawdown(s.timeMs, s.value).maxDrawdown), days: num(span / DAY_MS),
  };
}
