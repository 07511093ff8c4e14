/**
 * Indicator helpers for strategies, over plain number series (oldest first), backed by
 * `technicalindicators`. Outputs are shorter than inputs by the warm-up period, as the
 * library returns them; the last element is the value at the current step.
 * NaN values (a subnet absent from some snapshots) are dropped before computing.
 */
import { EMA, RSI, ROC, SMA } from 'technicalindicators';
import type { IndicatorView } from './types.ts';

function clean(values: number[]): number[] {
  return values.some(Number.isNaN) ? values.filter((v) => !Number.isNaN(v)) : values;
}

function checkPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`indicator period must be a positive integer, got ${period}`);
}

export const indicators: IndicatorView = {
  ema(values, period) {
    checkPeriod(period);
    const v = clean(values);
    return v.length >= period ? EMA.calculate({ period, values: v }) : [];
  },
  sma(values, period) {
    checkPeriod(period);
    const v = clean(values);
    return v.length >= period ? SMA.calculate({ period, values: v }) : [];
  },
  rsi(values, period) {
    checkPeriod(period);
    const v = clean(values);
    return v.length > period ? RSI.calculate({ period, values: v }) : [];
  },
  roc(values, period) {
    checkPeriod(period);
    const v = clean(values);
    return v.length > period ? ROC.calculate({ period, values: v }) : [];
  },
};
