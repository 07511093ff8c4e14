/** The tables a sweep prints: the ranked combinations and, with walk-forward, the folds. */
import { fixed, pct, renderTable, tao } from '../../report/table.ts';
import type { SweepReport, SweepRow, WalkForwardReport } from './sweep.ts';
import type { StitchedMetrics } from './walk-forward.ts';
import { paramsText } from './sweep-files.ts';
import type { MetricName } from './rank.ts';

function metricText(metric: MetricName, v: number | null): string {
  if (v === null) return '-';
  return metric === 'sharpe' || metric === 'sortino' || metric === 'calmar' ? fixed(v) : pct(v);
}

export function sweepTable(s: SweepReport, top: number): string {
  const keys = Object.keys(s.config.grid);
  const m = s.config.metric;
  // The ranking metric first, then the usual figures it is not already one of.
  const extra: [string, (r: SweepRow) => string][] = ([
    ['return', 'total_return', (r: SweepRow) => pct(r.metrics.total_return)],
    ['Sharpe', 'sharpe', (r: SweepRow) => fixed(r.metrics.sharpe)],
    ['max DD', 'max_drawdown', (r: SweepRow) => pct(r.metrics.max_drawdown, 1)],
  ] as const).filter(([, k]) => k !== m).map(([label, , f]) => [label, f]);
  const header = ['rank', ...keys, m, ...extra.map(([label]) => label), 'final liq.', 'trades'];
  const shown = top > 0 ? s.results.slice(0, top) : s.results;
  const rows = shown.map((r) => [
    String(r.rank), ...keys.map((k) => String(r.params[k])), metricText(m, r.metrics[m]), ...extra.map(([, f]) => f(r)),
    tao(r.metrics.final_value_liquidation), String(r.metrics.trades),
  ]);
  const d = s.data;
  const head = `${s.strategy} on ${d.file}: ${d.snapshots} snapshots (${d.from_time} .. ${d.to_time}); ${s.combinations} combinations ranked by ${m} (${s.config.metric_direction} is better); capital ${s.config.capital} TAO`;
  const more = shown.length < s.results.length ? `\n(${s.results.length - shown.length} more in sweep.csv; --top 0 shows all)` : '';
  return `${head}\n\n${renderTable(header, rows, ['r'])}${more}`;
}

function stitchedLine(label: string, metric: MetricName, m: StitchedMetrics): string {
  const shown = metric === 'sharpe' || metric === 'total_return' || metric === 'max_drawdown' || !(metric in m);
  const mv = shown ? '' : `, ${metric} ${metricText(metric, (m as unknown as Record<string, number | null>)[metric] ?? null)}`;
  return `${label}: return ${pct(m.total_return)}${mv}, Sharpe ${fixed(m.sharpe)}, max DD ${pct(m.max_drawdown, 1)} over ${m.days === null ? '-' : m.days.toFixed(1)} days`;
}

export function walkForwardTable(r: WalkForwardReport): string {
  const m = r.config.metric;
  const header = ['fold', 'train', 'test', 'winner (chosen on train)', `${m} train`, `${m} test`, 'test return', 'rank on test'];
  const day = (t: string) => t.slice(5, 16).replace('T', ' ');
  const rows = r.folds.map((f) => [
    String(f.fold), `${day(f.train.from_time)} .. ${day(f.train.to_time)}`, `${day(f.test.from_time)} .. ${day(f.test.to_time)}`, paramsText(f.winner.params),
    metricText(m, f.in_sample.metric), metricText(m, f.out_of_sample.metric), pct(f.out_of_sample.total_return), `${f.winner_rank_on_test}/${r.combinations}`,
  ]);
  const lines = [
    `Walk-forward ${r.config.walk_forward} (rolling training window; each test window starts from cash and ends unstaked):`,
    renderTable(header, rows, ['r', 'l', 'l', 'l']),
  ];
  if (r.skipped.length) lines.push(`(${r.skipped.length} fold(s) skipped for gaps in the data: ${r.skipped.map((s) => s.fold).join(', ')})`);
  lines.push(
    '',
    stitchedLine('Out of sample (winners of each training window, stitched)', m, r.stitched.out_of_sample),
    stitchedLine('In sample (best combination of each test window, picked afterwards)', m, r.stitched.in_sample),
    `Mean ${m} of the winners: ${metricText(m, r.mean_metric.in_sample)} on their training windows, ${metricText(m, r.mean_metric.out_of_sample)} on the test windows that followed`,
    `Best over the whole range (in sample): ${paramsText(r.full_range_best.params)}: ${m} ${metricText(m, r.full_range_best.metric)}, return ${pct(r.full_range_best.total_return)}`,
  );
  return lines.join('\n');
}
