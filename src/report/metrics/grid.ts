/**
 * Equity series come at the data's own, often irregular, times. Return statistics need
 * equal periods, so the series is resampled on a regular grid (last value carried forward):
 * daily when the run spans a week or more, hourly otherwise.
 */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const YEAR_MS = 365.25 * DAY_MS;

export function gridStepMs(timeMs: ArrayLike<number>): number {
  const n = timeMs.length;
  if (n < 2) return DAY_MS;
  return timeMs[n - 1]! - timeMs[0]! >= 7 * DAY_MS ? DAY_MS : HOUR_MS;
}

/** Values at t0, t0+step, ..., up to the last time (last observation carried forward). */
export function resample(timeMs: ArrayLike<number>, values: ArrayLike<number>, stepMs: number): number[] {
  const n = timeMs.length;
  if (n === 0) return [];
  const out: number[] = [];
  const end = timeMs[n - 1]!;
  let k = 0;
  for (let t = timeMs[0]!; t <= end; t += stepMs) {
    while (k + 1 < n && timeMs[k + 1]! <= t) k++;
    out.push(values[k]!);
  }
  // The last value always counts, even if it falls between grid points.
  if (out.length && out[out.length - 1] !== values[n - 1]) out.push(values[n - 1]!);
  return out;
}

/** Simple returns between consecutive values. */
export function periodReturns(values: number[]): number[] {
  const r: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1]!;
    r.push(a > 0 ? values[i]! / a - 1 : 0);
  }
  return r;
}

export function periodsPerYear(stepMs: number): number {
  return YEAR_MS / stepMs;
}

export function mean(xs: number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n - 1). */
export function stdev(xs: number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}
