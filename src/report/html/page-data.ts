/**
 * The data the report page's charts draw, derived from the report input: drawdown per run,
 * allocation grouped for a stacked chart, trade markers with their captions, and the compare
 * figures. Derived here, in tested TypeScript, so the page script only draws.
 *
 * Numbers are rounded to 9 significant digits: charts need no more, and the page stays small.
 */
import type { HtmlCompare, HtmlReportInput, HtmlRun, HtmlTrade } from './input.ts';

export const ALLOCATION_SUBNETS = 8;

export interface PageRun {
  name: string;
  kind: HtmlRun['kind'];
  color: string;
  t: number[];
  spot: number[];
  liq: number[];
  /** Fall from the running peak of the spot mark, as a fraction (0 or negative). */
  dd: number[];
  alloc: { labels: string[]; series: number[][] };
  yieldRoot?: number[];
  yieldAlpha?: number[];
  marks: { i: number; kind: 'buy' | 'sell' | 'move' | 'payout'; text: string }[];
  trades: { i: number; text: string; status: string }[];
}

export interface PageData {
  runs: PageRun[];
  compare?: HtmlCompare;
  names: Record<string, string>;
}

/** Strategies get strong colours, benchmarks muted ones; fixed order so pages are stable. */
export const STRATEGY_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#ea580c', '#4f46e5'];
export const BENCHMARK_COLORS = ['#6b7280', '#0f766e', '#a16207', '#9ca3af'];

export function round9(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(9)) : 0;
}

/** value / running peak - 1 at each point (0 at a new peak). */
export function drawdownSeries(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  let peak = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > peak) peak = v;
    out.push(peak > 0 ? v / peak - 1 : 0);
  }
  return out;
}

function subnetLabel(netuid: string, names: Record<string, string>): string {
  const n = names[netuid];
  return n ? `SN${netuid} ${n}` : `SN${netuid}`;
}

/**
 * Root, the largest subnets by average value, the other subnets together and free TAO (what
 * the spot mark holds beyond root and alpha: free TAO and unclaimed root dividends), per point.
 */
export function allocationSeries(run: HtmlRun, names: Record<string, string>, top = ALLOCATION_SUBNETS): { labels: string[]; series: number[][] } {
  const s = run.series;
  const n = s.timeMs.length;
  const netuids = Object.keys(s.alphaValue);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const ranked = netuids
    .map((k) => ({ k, m: mean(s.alphaValue[k]!) }))
    .filter((x) => x.m > 0)
    .sort((a, b) => b.m - a.m || Number(a.k) - Number(b.k));
  const own = ranked.slice(0, top).map((x) => x.k);
  const rest = ranked.slice(top).map((x) => x.k);
  const labels = ['root'];
  const series: number[][] = [Array.from(s.rootValue, round9)];
  for (const k of own) {
    labels.push(subnetLabel(k, names));
    series.push(s.alphaValue[k]!.map(round9));
  }
  if (rest.length) {
    labels.push(`${rest.length} other subnets`);
    series.push(Array.from({ length: n }, (_, i) => round9(rest.reduce((a, k) => a + s.alphaValue[k]![i]!, 0))));
  }
  labels.push('free TAO');
  series.push(Array.from({ length: n }, (_, i) => {
    let alpha = 0;
    for (const k of netuids) alpha += s.alphaValue[k]![i]!;
    return round9(Math.max(0, s.equitySpot[i]! - s.rootValue[i]! - alpha));
  }));
  return { labels, series };
}

const where = (n: number | undefined, names: Record<string, string>) => (n === undefined ? '?' : n === 0 ? 'root' : subnetLabel(String(n), names));
const token = (t: string) => (t === 'tao' ? 'TAO' : 'α');

/** One line describing a trade, for tooltips and the trades list. */
export function tradeText(t: HtmlTrade, names: Record<string, string>): string {
  const io = `${t.input} ${token(t.inputToken)} → ${t.output} ${token(t.outputToken)}`;
  let text: string;
  switch (t.type) {
    case 'stake': text = `stake on ${where(t.netuid, names)}: ${io}`; break;
    case 'unstake': text = `unstake from ${where(t.netuid, names)}: ${io}`; break;
    case 'move': text = `move ${where(t.from, names)} → ${where(t.to, names)}: ${io}`; break;
    case 'claim': text = `root dividends from ${where(t.netuid, names)}: ${io}`; break;
    case 'deregister': text = `${where(t.netuid, names)} deregistered, paid out: ${io}`; break;
  }
  if (t.status === 'rejected') text = `refused: ${text.split(':')[0]} (${t.reason ?? 'no reason given'})`;
  else if (t.status === 'partial') text += ' (partial)';
  return text;
}

function markKind(t: HtmlTrade): PageRun['marks'][number]['kind'] | undefined {
  if (t.status === 'rejected') return undefined;
  switch (t.type) {
    case 'stake': return 'buy';
    case 'unstake': return 'sell';
    case 'move': return t.to === 0 ? 'sell' : t.from === 0 ? 'buy' : 'move';
    case 'deregister': return 'payout';
    default: return undefined; // root-dividend claims are yield, shown in the yield chart
  }
}

export const TRADE_LIST_LIMIT = 300;

export function pageData(input: HtmlReportInput): PageData {
  const names = input.subnetNames ?? {};
  let si = 0;
  let bi = 0;
  const runs = input.runs.map((run): PageRun => {
    const color = run.kind === 'benchmark' ? BENCHMARK_COLORS[bi++ % BENCHMARK_COLORS.length]! : STRATEGY_COLORS[si++ % STRATEGY_COLORS.length]!;
    const s = run.series;
    const marks: PageRun['marks'] = [];
    for (const t of run.trades) {
      const kind = markKind(t);
      if (kind && t.step >= 0 && t.step < s.timeMs.length) marks.push({ i: t.step, kind, text: tradeText(t, names) });
    }
    const out: PageRun = {
      name: run.name, kind: run.kind, color, t: s.timeMs.slice(), spot: s.equitySpot.map(round9), liq: s.equityLiquidation.map(round9),
      dd: drawdownSeries(s.equitySpot).map(round9), alloc: allocationSeries(run, names), marks,
      trades: run.trades.filter((t) => t.type !== 'claim').slice(0, TRADE_LIST_LIMIT).map((t) => ({ i: t.step, text: tradeText(t, names), status: t.status })),
    };
    if (s.yieldRoot && s.yieldAlpha) {
      out.yieldRoot = s.yieldRoot.map(round9);
      out.yieldAlpha = s.yieldAlpha.map(round9);
    }
    return out;
  });
  return { runs, compare: input.compare, names };
}
