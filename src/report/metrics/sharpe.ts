import { mean, stdev } from './grid.ts';

/** Annualised Sharpe ratio of period returns; the risk-free rate is 0 (holding TAO earns nothing). */
export function sharpe(returns: number[], periodsPerYear: number): number {
  const sd = stdev(returns);
  if (!(sd > 0)) return NaN;
  return (mean(returns) / sd) * Math.sqrt(periodsPerYear);
}
