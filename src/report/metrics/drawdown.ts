/**
 * Maximum drawdown (the largest fall from a running peak, as a fraction, reported as a
 * negative number) and the longest time spent below a previous peak, in milliseconds
 * (still counting at the end if the series never recovered).
 */
export interface Drawdown {
  maxDrawdown: number;
  maxDurationMs: number;
}

export function drawdown(timeMs: ArrayLike<number>, values: ArrayLike<number>): Drawdown {
  let peak = -Infinity;
  let peakTime = 0;
  let max = 0;
  let longest = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v >= peak) {
      if (peak > -Infinity) longest = Math.max(longest, timeMs[i]! - peakTime);
      peak = v;
      peakTime = timeMs[i]!;
    } else if (peak > 0) {
      max = Math.min(max, v / peak - 1);
    }
  }
  if (n > 0 && values[n - 1]! < peak) longest = Math.max(longest, timeMs[n - 1]! - peakTime);
  return { maxDrawdown: max, maxDurationMs: longest };
}
