/**
 * Writing a compare's outputs: compare.json (the whole report), compare.csv (one row per
 * horizon and subnet) and windows.csv (every window of every subnet). Each file is written
 * atomically; the same inputs give the same bytes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../data/atomic.ts';
import { csvCell } from '../../data/csv.ts';
import { writeJson } from '../../report/files.ts';
import type { CompareOutcome, CompareReport, SubnetRow, WindowRecord } from './compare.ts';

const ROW_COLUMNS: (keyof SubnetRow)[] = [
  'netuid', 'name', 'windows', 'median_excess', 'p25_excess', 'p75_excess', 'min_excess', 'max_excess', 'beat_root_share',
  'median_alpha_return', 'median_root_return', 'headline_apr', 'realised_apr', 'realised_yield_apr', 'pool_tao', 'round_trip_cost',
  'break_even_days', 'break_even_vs_root_days', 'entry_rejected', 'exit_rejected', 'excluded_renamed', 'deregistered', 'note',
];

const WINDOW_COLUMNS: (keyof WindowRecord)[] = [
  'horizon', 'netuid', 'start_block', 'start_time', 'end_block', 'end_time', 'days', 'status', 'alpha_value', 'root_value',
  'alpha_return', 'root_return', 'excess', 'headline_apr', 'alpha_bought', 'alpha_earned',
];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return csvCell(String(v));
}

export function writeCompareCsv(path: string, report: CompareReport): void {
  writeFileAtomic(path, (w) => {
    w(['horizon', ...ROW_COLUMNS].join(',') + '\n');
    for (const h of report.horizons) for (const r of h.subnets) w([cell(h.horizon), ...ROW_COLUMNS.map((k) => cell(r[k]))].join(',') + '\n');
  });
}

export function writeWindowsCsv(path: string, windows: WindowRecord[]): void {
  writeFileAtomic(path, (w) => {
    w(WINDOW_COLUMNS.join(',') + '\n');
    for (const r of windows) w(WINDOW_COLUMNS.map((k) => cell(r[k])).join(',') + '\n');
  });
}

export interface ComparePaths {
  json: string;
  csv: string;
  windows: string;
}

export function writeCompareOutputs(dir: string, outcome: CompareOutcome): ComparePaths {
  mkdirSync(dir, { recursive: true });
  const paths = { json: join(dir, 'compare.json'), csv: join(dir, 'compare.csv'), windows: join(dir, 'windows.csv') };
  writeJson(paths.json, outcome.report);
  writeCompareCsv(paths.csv, outcome.report);
  writeWindowsCsv(paths.windows, outcome.windows);
  return paths;
}
