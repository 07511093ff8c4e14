/**
 * Order statistics of a sample: the quantile by linear interpolation between closest ranks
 * (the "type 7" rule of R and NumPy's default), so the median of an even-sized sample is the
 * mean of the two middle values.
 */

/** q in [0, 1] of an ascending-sorted sample; NaN for an empty one. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function sortedCopy(xs: Iterable<number>): number[] {
  return [...xs].sort((a, b) => a - b);
}

export function median(xs: Iterable<number>): number {
  return quantileSorted(sortedCopy(xs), 0.5);
}
