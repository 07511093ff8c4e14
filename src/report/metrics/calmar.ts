/** Calmar ratio: annualised return over the size of the maximum drawdown. */
export function calmar(annualizedReturn: number, maxDrawdown: number): number {
  return maxDrawdown < 0 ? annualizedReturn / -maxDrawdown : NaN;
}
