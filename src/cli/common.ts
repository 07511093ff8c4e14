/** Option parsing shared by the commands: data loading with progress, block/date ranges, amounts. */
import { UserError } from '../core/errors.ts';
import { AmountFormatError, parseAmount } from '../core/units.ts';
import type { Dataset } from '../data/dataset.ts';
import { loadDataset, type LoadResult } from '../data/load.ts';
import { progress } from './progress.ts';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function loadData(path: string, opts: { cache?: boolean } = {}): LoadResult {
  const bar = progress(`reading ${path}`);
  try {
    return loadDataset(path, { cache: opts.cache, onProgress: (a, b) => bar.update(a, b) });
  } finally {
    bar.done();
  }
}

/** A TAO amount from a flag ("1000", "0.5"). */
export function amountFlag(flag: string, value: string): bigint {
  try {
    return parseAmount(value.trim());
  } catch (e) {
    if (e instanceof AmountFormatError) throw new UserError(`${flag} ${value}: ${e.message} (give TAO as a plain decimal, e.g. 1000 or 0.5)`);
    throw e;
  }
}

export function intFlag(flag: string, value: string, min = 0): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < min) throw new UserError(`${flag} ${value}: expected an integer >= ${min}`);
  return x;
}

/**
 * A position in the data from a flag: a block number ("8700000") or an ISO date/time
 * ("2026-08-10" or "2026-08-10T12:00:00Z"). `bound` picks the first snapshot at or after it
 * ('from') or the last at or before it ('to').
 */
export function indexFor(data: Dataset, flag: string, value: string, bound: 'from' | 'to'): number {
  const c = data.cols;
  const n = data.snapshotCount;
  let key: Float64Array;
  let target: number;
  if (/^\d+$/.test(value)) {
    key = c.block;
    target = Number(value);
  } else {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(ms)) throw new UserError(`${flag} ${value}: expected a block number or an ISO date such as 2026-08-10`);
    key = c.timeMs;
    target = ms;
  }
  let idx = -1;
  if (bound === 'from') {
    for (let i = 0; i < n; i++) if (key[i]! >= target) { idx = i; break; }
  } else {
    for (let i = n - 1; i >= 0; i--) if (key[i]! <= target) { idx = i; break; }
  }
  if (idx < 0) {
    throw new UserError(`${flag} ${value} is outside the data (blocks ${c.block[0]}..${c.block[n - 1]}, ${data.meta.timeText[0]} .. ${data.meta.timeText[n - 1]})`);
  }
  return idx;
}

export function rangeOf(data: Dataset, from: string | undefined, to: string | undefined): [number, number] {
  const a = from === undefined ? 0 : indexFor(data, '--from', from, 'from');
  const b = to === undefined ? data.snapshotCount - 1 : indexFor(data, '--to', to, 'to');
  if (a > b) throw new UserError(`--from ${from} is after --to ${to}: nothing to run`);
  return [a, b];
}
