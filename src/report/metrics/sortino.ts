import { mean } from './grid.ts';

/** Annualised Sortino ratio: mean return over the downside deviation (returns below 0). */
export function sortino(returns: number[], periodsPerYear: number): number {
  if (returns.length < 2) return NaN;
  let s = 0;
  for (const r of returns) if (r < 0) s += r * r;
  const dd = Math.sqrt(s / returns.length);
  if (!(dd > 0)) return NaN;
  return (mean(returns) / dd) * Math.sqrt(periodsPerYear);
}
