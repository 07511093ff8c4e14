/**
 * Which metric a sweep optimises and in which direction, and the ranking it implies. Metrics are
 * those of report.json (`RunMetrics`). Ties, and combinations whose metric is undefined (null,
 * e.g. the Sharpe ratio of a flat line), are ordered by combination index, nulls last, so the
 * ranking never depends on the order results arrived in.
 */
import { UserError } from '../../core/errors.ts';
import type { RunMetrics } from '../../report/summary.ts';

export const METRICS = {
  sharpe: 'higher',
  sortino: 'higher',
  calmar: 'higher',
  total_return: 'higher',
  total_return_spot: 'higher',
  annualized_return: 'higher',
  max_drawdown: 'higher', // drawdowns are negative: closer to 0 is better
  volatility: 'lower',
} as const;

export type MetricName = keyof typeof METRICS;

export function checkMetric(name: string): MetricName {
  if (!(name in METRICS)) throw new UserError(`--metric ${name}: choose one of ${Object.keys(METRICS).join(', ')}`);
  return name as MetricName;
}

export function metricValue(m: RunMetrics, metric: MetricName): number | null {
  return m[metric];
}

/** -1 if a ranks before b. */
export function compareByMetric(metric: MetricName, a: { index: number; metrics: RunMetrics }, b: { index: number; metrics: RunMetrics }): number {
  const va = a.metrics[metric];
  const vb = b.metrics[metric];
  if (va === null || vb === null) {
    if (va !== vb) return va === null ? 1 : -1;
    return a.index - b.index;
  }
  if (va !== vb) return METRICS[metric] === 'higher' ? vb - va : va - vb;
  return a.index - b.index;
}

/** Indices of `rows` from best to worst. */
export function rankOrder<T extends { index: number; metrics: RunMetrics }>(rows: readonly T[], metric: MetricName): T[] {
  return [...rows].sort((a, b) => compareByMetric(metric, a, b));
}
