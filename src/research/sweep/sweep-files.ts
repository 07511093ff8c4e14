/**
 * Writing a sweep's outputs: sweep.json and sweep.csv (every combination, ranked) and, with
 * walk-forward, walk-forward.json, walk-forward.csv (one row per fold) and
 * walk-forward-equity.csv (the stitched out-of-sample and in-sample curves). Atomic writes;
 * the same inputs give the same bytes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../data/atomic.ts';
import { csvCell } from '../../data/csv.ts';
import { writeJson } from '../../report/files.ts';
import type { RunMetrics } from '../../report/summary.ts';
import type { SweepOutcome, SweepReport, WalkForwardReport } from './sweep.ts';
import type { Stitched } from './walk-forward.ts';
import type { ParamValue } from './grid.ts';

export const SWEEP_METRIC_COLUMNS: (keyof RunMetrics)[] = [
  'total_return', 'total_return_spot', 'annualized_return', 'volatility', 'sharpe', 'sortino', 'max_drawdown', 'calmar',
  'final_value_liquidation', 'final_value_spot', 'fees_paid', 'slippage_paid', 'yield_root', 'yield_alpha', 'turnover', 'trades', 'rejected_orders',
];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return csvCell(String(v));
}

export function paramsText(p: Record<string, ParamValue>): string {
  return Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');
}

export function writeSweepCsv(path: string, s: SweepReport): void {
  const keys = Object.keys(s.config.grid);
  writeFileAtomic(path, (w) => {
    w(['rank', 'index', ...keys.map(csvCell), ...SWEEP_METRIC_COLUMNS].join(',') + '\n');
    for (const r of s.results) w([r.rank, r.index, ...keys.map((k) => r.params[k]), ...SWEEP_METRIC_COLUMNS.map((k) => r.metrics[k])].map(cell).join(',') + '\n');
  });
}

export function writeWalkForwardCsv(path: string, r: WalkForwardReport): void {
  writeFileAtomic(path, (w) => {
    w('fold,train_from,train_to,test_from,test_to,winner_index,winner_params,in_sample_metric,out_of_sample_metric,in_sample_return,out_of_sample_return,winner_rank_on_test,best_on_test_index,best_on_test_params,best_on_test_metric\n');
    for (const f of r.folds) {
      w([
        f.fold, f.train.from_time, f.train.to_time, f.test.from_time, f.test.to_time, f.winner.index, paramsText(f.winner.params),
        f.in_sample.metric, f.out_of_sample.metric, f.in_sample.total_return, f.out_of_sample.total_return, f.winner_rank_on_test,
        f.best_on_test.index, paramsText(f.best_on_test.params), f.best_on_test.metric,
      ].map(cell).join(',') + '\n');
    }
  });
}

/** Both stitched curves share their sample times (the same test windows). Values in TAO. */
export function writeStitchedCsv(path: string, oos: Stitched, is: Stitched, capitalTao: number): void {
  writeFileAtomic(path, (w) => {
    w('time,out_of_sample,in_sample\n');
    for (let i = 0; i < oos.timeMs.length; i++) {
      w(`${new Date(oos.timeMs[i]!).toISOString()},${(oos.value[i]! * capitalTao).toFixed(9)},${(is.value[i]! * capitalTao).toFixed(9)}\n`);
    }
  });
}

export interface SweepPaths {
  json: string;
  csv: string;
  walkForwardJson?: string;
  walkForwardCsv?: string;
  walkForwardEquity?: string;
}

export function writeSweepOutputs(dir: string, o: SweepOutcome): SweepPaths {
  mkdirSync(dir, { recursive: true });
  const paths: SweepPaths = { json: join(dir, 'sweep.json'), csv: join(dir, 'sweep.csv') };
  writeJson(paths.json, o.sweep);
  writeSweepCsv(paths.csv, o.sweep);
  if (o.walkForward) {
    paths.walkForwardJson = join(dir, 'walk-forward.json');
    paths.walkForwardCsv = join(dir, 'walk-forward.csv');
    paths.walkForwardEquity = join(dir, 'walk-forward-equity.csv');
    writeJson(paths.walkForwardJson, o.walkForward.report);
    writeWalkForwardCsv(paths.walkForwardCsv, o.walkForward.report);
    writeStitchedCsv(paths.walkForwardEquity, o.walkForward.outOfSample, o.walkForward.inSample, Number(o.sweep.config.capital));
  }
  return paths;
}
