import { stdev } from './grid.ts';

/** Annualised volatility of period returns. */
export function volatility(returns: number[], periodsPerYear: number): number {
  return stdev(returns) * Math.sqrt(periodsPerYear);
}
