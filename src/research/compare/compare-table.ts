/** The compare tables a terminal shows: one per horizon, best median excess over root first. */
import { renderTable } from '../../report/table.ts';
import type { CompareReport, HorizonResult, SubnetRow } from './compare.ts';

function pct(x: number | null, digits = 2, sign = true): string {
  if (x === null) return '-';
  const s = (x * 100).toFixed(digits);
  return `${sign && x > 0 ? '+' : ''}${s}%`;
}

function days(x: number | null): string {
  if (x === null) return 'never';
  return x < 1 ? `${(x * 24).toFixed(1)}h` : `${x.toFixed(1)}d`;
}

function subnetLabel(r: SubnetRow): string {
  const name = r.name ?? '';
  const short = name.length > 18 ? `${name.slice(0, 17)}…` : name;
  return short ? `${r.netuid} ${short}` : String(r.netuid);
}

export function horizonTable(h: HorizonResult, top: number): string {
  if (h.windows === 0) return `${h.horizon} windows: none. No pair of snapshots in the range is ${h.horizon} apart within the tolerance (gaps in the data, or a range shorter than ${h.horizon}).`;
  const header = ['subnet', 'windows', 'median excess', 'p25 .. p75', 'beats root', 'headline APR', 'realised APR', 'pool TAO', 'round trip', 'break-even', 'vs root'];
  const rows = h.subnets.filter((r) => r.windows > 0);
  const shown = top > 0 ? rows.slice(0, top) : rows;
  const body = shown.map((r) => [
    subnetLabel(r), String(r.windows), pct(r.median_excess), `${pct(r.p25_excess, 1)} .. ${pct(r.p75_excess, 1)}`, pct(r.beat_root_share, 0, false),
    pct(r.headline_apr, 1, false), pct(r.realised_apr, 0), r.pool_tao === null ? '-' : Math.round(r.pool_tao).toLocaleString('en-US'),
    pct(r.round_trip_cost, 2, false), r.round_trip_cost === null ? '-' : days(r.break_even_days), r.round_trip_cost === null ? '-' : days(r.break_even_vs_root_days),
  ]);
  const without = h.subnets.length - rows.length;
  const lines = [
    `${h.horizon} windows: ${h.windows} starts; root median return ${pct(h.root.median_return, 3)} per window (headline root APR ${pct(h.root.headline_apr, 2, false)})`,
    renderTable(header, body),
  ];
  const more: string[] = [];
  if (shown.length < rows.length) more.push(`${rows.length - shown.length} more subnet(s) in compare.csv (--top 0 shows all)`);
  if (without > 0) more.push(`${without} subnet(s) without a usable window`);
  if (more.length) lines.push(`(${more.join('; ')})`);
  return lines.join('\n');
}

export function compareTables(report: CompareReport, top: number): string {
  const d = report.data;
  const head = [
    `${d.file}: ${d.snapshots} snapshots, ${d.subnets} subnets, ${d.from_time} .. ${d.to_time}; ${report.config.amount} TAO per leg, staked at a window's start and unstaked at its end`,
    'excess = alpha leg return - root leg return over the same window, fees and slippage included; APRs are simple annual rates;',
    `pool TAO, round trip (in and out at today's depth) and break-even (holding time for the alpha yield to repay the round trip, at a constant price) are as of block ${report.outlook_at.block}`,
  ];
  return [head.join('\n'), ...report.horizons.map((h) => horizonTable(h, top))].join('\n\n');
}
