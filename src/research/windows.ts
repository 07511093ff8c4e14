/**
 * How holding windows are formed over data whose snapshots come at irregular times (the real
 * file has hourly stretches, nightly gaps and a 15-day hole).
 *
 * A window of horizon H starts at a snapshot i and ends at the snapshot j closest in time to
 * t_i + H, provided it lies within `tolerance * H` of it (ties go to the earlier snapshot).
 * When no snapshot lies that close, there is no window from i: a "7-day" window that really
 * spans 15 days is not a 7-day window. Every snapshot in the range is a candidate start unless
 * `stepMs` asks for starts at least that far apart (taken greedily from the first). Windows of
 * one horizon therefore overlap; their statistics describe start times, not independent trials.
 */
import { UserError } from '../core/errors.ts';

export interface HoldWindow {
  /** Dataset indices of the entry and exit snapshots. */
  start: number;
  end: number;
}

export interface WindowRule {
  horizonMs: number;
  /** Largest allowed |actual - H| as a fraction of H, in [0, 1). */
  tolerance: number;
  /** Least time between consecutive starts; 0 or absent = every snapshot. */
  stepMs?: number;
}

/** A tolerance as users write it: a fraction ("0.1") or a percentage ("10%"), from 0 to below 1. */
export function checkTolerance(flag: string, text: string | number): number {
  const s = String(text).trim();
  const tolerance = s.endsWith('%') ? Number(s.slice(0, -1)) / 100 : Number(s);
  if (s === '' || !(tolerance >= 0 && tolerance < 1)) throw new UserError(`${flag} ${s}: expected a fraction from 0 to below 1 (e.g. 0.1, or 10%)`);
  return tolerance;
}

/** First index in [lo, hi] with timeMs >= t, or hi + 1. */
function lowerBound(timeMs: ArrayLike<number>, lo: number, hi: number, t: number): number {
  let a = lo;
  let b = hi + 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (timeMs[mid]! < t) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** The snapshot that ends a window starting at `start`, or -1 if none is close enough. */
export function windowEnd(timeMs: ArrayLike<number>, start: number, to: number, rule: WindowRule): number {
  const target = timeMs[start]! + rule.horizonMs;
  const slack = rule.tolerance * rule.horizonMs;
  let best = -1;
  let bestGap = Infinity;
  for (let j = lowerBound(timeMs, start + 1, to, target - slack); j <= to && timeMs[j]! <= target + slack; j++) {
    const gap = Math.abs(timeMs[j]! - target);
    if (gap < bestGap) {
      best = j;
      bestGap = gap;
    }
  }
  return best;
}

/** Every window of one horizon inside the dataset indices [from, to], in start order. */
export function formWindows(timeMs: ArrayLike<number>, from: number, to: number, rule: WindowRule): HoldWindow[] {
  const out: HoldWindow[] = [];
  const step = rule.stepMs ?? 0;
  let lastStart = -Infinity;
  for (let i = from; i < to; i++) {
    if (step > 0 && timeMs[i]! < lastStart + step) continue;
    lastStart = timeMs[i]!;
    const end = windowEnd(timeMs, i, to, rule);
    if (end >= 0) out.push({ start: i, end });
  }
  return out;
}
