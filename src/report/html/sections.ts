/**
 * The parts of the report page that are plain HTML, rendered here rather than by the page
 * script: the summary cards, the metrics table and the compare tables. Every number cell
 * carries its exact source value in `data-value` (as in report.json / compare.json), so what the
 * page shows can be checked against the files.
 */
import { escapeHtml as h } from './escape.ts';
import { fmtDays, fmtPct, fmtRatio, fmtTao, fmtWhole } from './format.ts';
import type { HtmlCompare, HtmlCompareHorizon, HtmlCompareRow, HtmlRun } from './input.ts';
import type { PageRun } from './page-data.ts';
import type { RunMetrics } from '../summary.ts';

type MetricKind = 'tao' | 'pct' | 'pct1' | 'pct0' | 'ratio' | 'int';

export const METRIC_COLUMNS: { key: keyof RunMetrics; label: string; kind: MetricKind; title: string }[] = [
  { key: 'final_value_spot', label: 'Final value at spot', kind: 'tao', title: 'TAO, positions marked at the spot price' },
  { key: 'final_value_liquidation', label: 'Final value if unstaked', kind: 'tao', title: 'TAO you would have after unstaking everything at the end (fees and slippage paid)' },
  { key: 'total_return', label: 'Return', kind: 'pct', title: 'On the value if unstaked' },
  { key: 'annualized_return', label: 'Annualised', kind: 'pct1', title: 'Compound annual rate' },
  { key: 'volatility', label: 'Volatility', kind: 'pct1', title: 'Annualised, of the spot mark' },
  { key: 'sharpe', label: 'Sharpe', kind: 'ratio', title: 'Annualised, risk-free rate 0' },
  { key: 'sortino', label: 'Sortino', kind: 'ratio', title: 'Annualised' },
  { key: 'max_drawdown', label: 'Max drawdown', kind: 'pct', title: 'Largest fall of the spot mark from a peak' },
  { key: 'calmar', label: 'Calmar', kind: 'ratio', title: 'Annualised return over max drawdown' },
  { key: 'fees_paid', label: 'Fees', kind: 'tao', title: 'Swap fees, TAO' },
  { key: 'slippage_paid', label: 'Slippage', kind: 'tao', title: 'Price impact paid, TAO' },
  { key: 'yield_root', label: 'Root yield', kind: 'tao', title: 'Root dividends received, TAO' },
  { key: 'yield_alpha', label: 'Alpha yield', kind: 'tao', title: 'Alpha dividends received, TAO at the price of the day' },
  { key: 'turnover', label: 'Turnover', kind: 'tao', title: 'TAO value traded' },
  { key: 'trades', label: 'Trades', kind: 'int', title: 'Executed stakes, unstakes and moves' },
  { key: 'time_in_root', label: 'Time on root', kind: 'pct0', title: 'Share of the time with TAO on root' },
];

function metricText(kind: MetricKind, v: unknown): string {
  switch (kind) {
    case 'tao': return fmtTao(String(v));
    case 'pct': return fmtPct(v as number | null, 2);
    case 'pct1': return fmtPct(v as number | null, 1);
    case 'pct0': return fmtPct(v as number | null, 0);
    case 'ratio': return fmtRatio(v as number | null);
    case 'int': return String(v);
  }
}

function dataValue(v: unknown): string {
  return h(typeof v === 'string' ? v : JSON.stringify(v ?? null));
}

function signClass(x: number | null): string {
  return x === null ? '' : x > 0 ? ' pos' : x < 0 ? ' neg' : '';
}

export function metricsTable(runs: HtmlRun[], colors: PageRun[]): string {
  const head = `<tr><th class="l">Run</th>${METRIC_COLUMNS.map((c) => `<th title="${h(c.title)}">${h(c.label)}</th>`).join('')}</tr>`;
  const rows = runs.map((r, k) => {
    const cells = METRIC_COLUMNS.map((c) => {
      const v = r.metrics[c.key];
      const cls = c.kind.startsWith('pct') && c.key !== 'time_in_root' ? signClass(v as number | null) : '';
      return `<td class="num${cls}" data-key="${h(c.key)}" data-value="${dataValue(v)}">${h(metricText(c.kind, v))}</td>`;
    }).join('');
    const badge = r.kind === 'benchmark' ? ' <span class="badge">benchmark</span>' : r.kind === 'paper' ? ' <span class="badge">paper</span>' : '';
    return `<tr data-run="${h(r.name)}"><th class="l"><span class="swatch" style="background:${colors[k]!.color}"></span>${h(r.name)}${badge}</th>${cells}</tr>`;
  });
  return `<div class="table-wrap"><table id="metrics-table" class="data"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export function summaryCards(runs: HtmlRun[], colors: PageRun[]): string {
  const cards = runs.map((r, k) => {
    const m = r.metrics;
    return `<div class="card" style="border-top-color:${colors[k]!.color}">
<div class="card-name">${h(r.name)}${r.kind === 'benchmark' ? ' <span class="badge">benchmark</span>' : ''}</div>
<div class="card-big${signClass(m.total_return)}">${h(fmtPct(m.total_return, 2, true))}</div>
<div class="card-sub">${h(fmtTao(m.final_value_liquidation))} TAO if unstaked</div>
<div class="card-sub">max drawdown ${h(fmtPct(m.max_drawdown, 1))} · Sharpe ${h(fmtRatio(m.sharpe))}</div>
</div>`;
  });
  return `<div class="cards">${cards.join('\n')}</div>`;
}

/** One sentence a reader can take away: the best strategy against the benchmarks. */
export function verdict(runs: HtmlRun[]): string {
  const strategies = runs.filter((r) => r.kind !== 'benchmark' && r.metrics.total_return !== null);
  if (strategies.length === 0) return '';
  const best = strategies.reduce((a, b) => (b.metrics.total_return! > a.metrics.total_return! ? b : a));
  const benches = runs.filter((r) => r.kind === 'benchmark').map((b) => `${h(b.name)} ${h(fmtPct(b.metrics.total_return, 2, true))}`);
  return `<p class="verdict"><strong>${h(best.name)}</strong> did best: ${h(fmtPct(best.metrics.total_return, 2, true))} after unstaking everything at the end` +
    (benches.length ? `, against ${benches.join(', ')}.` : '.') + '</p>';
}

const COMPARE_COLUMNS: { key: keyof HtmlCompareRow; label: string; title: string; text: (r: HtmlCompareRow) => string; signed?: boolean }[] = [
  { key: 'windows', label: 'Windows', title: 'Windows counted', text: (r) => String(r.windows) },
  { key: 'median_excess', label: 'Median excess', title: 'Median of (alpha leg return - root leg return) over the windows', text: (r) => fmtPct(r.median_excess, 2, true), signed: true },
  { key: 'p25_excess', label: 'p25', title: '25th percentile of the excess return', text: (r) => fmtPct(r.p25_excess, 1, true), signed: true },
  { key: 'p75_excess', label: 'p75', title: '75th percentile of the excess return', text: (r) => fmtPct(r.p75_excess, 1, true), signed: true },
  { key: 'beat_root_share', label: 'Beats root', title: 'Share of windows in which the alpha leg returned more than root', text: (r) => fmtPct(r.beat_root_share, 0) },
  { key: 'headline_apr', label: 'Headline APR', title: 'Median advertised alpha yield at the window starts (simple annual rate)', text: (r) => fmtPct(r.headline_apr, 1) },
  { key: 'realised_apr', label: 'Realised APR', title: 'Median of the alpha leg return annualised (simple): yield, price change, fees and slippage', text: (r) => fmtPct(r.realised_apr, 0, true), signed: true },
  { key: 'round_trip_cost', label: 'Round trip', title: 'Cost of staking the amount and unstaking it again at the pool depth of the last snapshot', text: (r) => fmtPct(r.round_trip_cost, 2) },
  { key: 'break_even_days', label: 'Break-even', title: 'Holding time for the alpha yield to repay the round trip (price unchanged)', text: (r) => (r.round_trip_cost === null ? '–' : fmtDays(r.break_even_days)) },
  { key: 'break_even_vs_root_days', label: 'vs root', title: 'Holding time to overtake root after the round trip (price unchanged)', text: (r) => (r.round_trip_cost === null ? '–' : fmtDays(r.break_even_vs_root_days)) },
  { key: 'pool_tao', label: 'Pool TAO', title: 'TAO in the pool at the last snapshot', text: (r) => fmtWhole(r.pool_tao) },
];

function compareRow(r: HtmlCompareRow, rank: number): string {
  const cells = COMPARE_COLUMNS.map((c) => {
    const v = r[c.key];
    const cls = c.signed ? signClass(v as number | null) : '';
    return `<td class="num${cls}" data-key="${h(c.key)}" data-value="${dataValue(v)}">${h(c.text(r))}</td>`;
  }).join('');
  const name = r.name ? ` <span class="muted">${h(r.name)}</span>` : '';
  return `<tr data-netuid="${r.netuid}"><td class="num muted">${rank}</td><th class="l">SN${r.netuid}${name}</th>${cells}</tr>`;
}

export function compareTable(hz: HtmlCompareHorizon, index: number): string {
  const rows = hz.subnets.filter((r) => r.windows > 0);
  const head = `<tr><th class="num">#</th><th class="l">Subnet</th>${COMPARE_COLUMNS.map((c) => `<th title="${h(c.title)}">${h(c.label)}</th>`).join('')}</tr>`;
  return `<div class="table-wrap tall compare-table" data-horizon="${h(hz.horizon)}"${index === 0 ? '' : ' hidden'}>` +
    `<table class="data" data-horizon="${h(hz.horizon)}"><thead>${head}</thead><tbody>${rows.map((r, k) => compareRow(r, k + 1)).join('')}</tbody></table></div>`;
}

export function compareCards(c: HtmlCompare): string {
  return c.horizons.map((hz, i) => {
    const withWindows = hz.subnets.filter((r) => r.windows > 0);
    const mostly = withWindows.filter((r) => (r.beat_root_share ?? 0) > 0.5).length;
    const best = withWindows[0];
    return `<div class="cards compare-cards" data-horizon="${h(hz.horizon)}"${i === 0 ? '' : ' hidden'}>
<div class="card"><div class="card-name">Root over ${h(hz.horizon)}</div><div class="card-big">${h(fmtPct(hz.root.median_return, 3, true))}</div><div class="card-sub">median return per window · ${hz.windows} window starts</div></div>
<div class="card"><div class="card-name">Subnets that beat root in most windows</div><div class="card-big">${mostly} <span class="muted">of ${withWindows.length}</span></div><div class="card-sub">after entry and exit costs</div></div>
${best ? `<div class="card"><div class="card-name">Best median excess</div><div class="card-big${signClass(best.median_excess)}">${h(fmtPct(best.median_excess, 2, true))}</div><div class="card-sub">SN${best.netuid}${best.name ? ` ${h(best.name)}` : ''} · beats root in ${h(fmtPct(best.beat_root_share, 0))} of windows</div></div>` : ''}
</div>`;
  }).join('\n');
}

export function horizonTabs(c: HtmlCompare): string {
  return `<div class="tabs" role="tablist">${c.horizons.map((hz, i) => `<button type="button" role="tab" data-horizon="${h(hz.horizon)}" aria-selected="${i === 0}">${h(hz.horizon)}</button>`).join('')}</div>`;
}
