/**
 * Time in a position: the fraction of the run's duration during which `values` (a position's
 * value at each step) was above zero. Step k's value holds until step k+1.
 */
export function timeHeld(timeMs: ArrayLike<number>, values: ArrayLike<number>): number {
  const n = timeMs.length;
  if (n < 2) return n === 1 && values[0]! > 0 ? 1 : 0;
  const span = timeMs[n - 1]! - timeMs[0]!;
  if (!(span > 0)) return 0;
  let held = 0;
  for (let k = 0; k + 1 < n; k++) if (values[k]! > 0) held += timeMs[k + 1]! - timeMs[k]!;
  return held / span;
}
