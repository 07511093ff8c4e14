import { YEAR_MS } from './grid.ts';

/** Total return: final / initial - 1. */
export function totalReturn(initial: number, final: number): number {
  return initial > 0 ? final / initial - 1 : NaN;
}

/** Compound annual growth rate over `spanMs` (NaN for a zero-length run). */
export function annualizedReturn(total: number, spanMs: number): number {
  if (!(spanMs > 0) || !(total > -1)) return total <= -1 ? -1 : NaN;
  return Math.pow(1 + total, YEAR_MS / spanMs) - 1;
}
