/**
 * What the HTML report draws, in a form any producer can fill: a backtest (its RunResults and
 * report.json), the paper-trading state, or a compare. Plain data only (numbers, strings,
 * arrays), so a producer needs nothing from the backtester to use it.
 *
 * - `runs`: one entry per strategy, benchmark or paper account. Each has its series sampled at
 *   the same instants (`timeMs`), its trades, and its metrics exactly as in report.json.
 * - `compare`: a compare's results per horizon and subnet (the fields of compare.json that the
 *   page shows) and, optionally, per-window excess returns for the excess-over-time chart.
 * A page may have runs, a compare, or both; sections without data are left out.
 */
import type { RunMetrics } from '../summary.ts';
import type { Report } from '../report-json.ts';
import type { RunResult } from '../../backtest/run.ts';
import type { Fill, FillType, Token } from '../../engine/fill.ts';
import { formatAmount } from '../../core/units.ts';

/** Values of one run at each sample instant; TAO amounts as numbers (marks, not balances). */
export interface HtmlSeries {
  /** Unix milliseconds of each sample, ascending. */
  timeMs: number[];
  block: number[];
  /** Portfolio value at the spot price, TAO. */
  equitySpot: number[];
  /** Portfolio value if everything were unstaked at that moment, TAO. */
  equityLiquidation: number[];
  /** TAO staked on root. */
  rootValue: number[];
  /** TAO value at spot of each subnet's alpha, by netuid (0 where not held). */
  alphaValue: Record<string, number[]>;
  /** Cumulative yield received, TAO (optional: the yield chart is left out without them). */
  yieldRoot?: number[];
  yieldAlpha?: number[];
}

/** One executed (or refused) order or yield event, as the equity chart marks it. */
export interface HtmlTrade {
  /** Index of the sample the trade happened at. */
  step: number;
  type: FillType;
  status: 'filled' | 'partial' | 'rejected';
  netuid?: number;
  from?: number;
  to?: number;
  /** Exact amounts as decimal text. */
  input: string;
  inputToken: Token;
  output: string;
  outputToken: Token;
  feeTao: string;
  slippageTao: string;
  reason?: string;
}

export interface HtmlRun {
  name: string;
  kind: 'strategy' | 'benchmark' | 'paper';
  series: HtmlSeries;
  trades: HtmlTrade[];
  /** As in report.json's `runs[]`. */
  metrics: RunMetrics;
}

/** One subnet's line of a compare horizon (the same fields as in compare.json). */
export interface HtmlCompareRow {
  netuid: number;
  name: string | null;
  windows: number;
  median_excess: number | null;
  p25_excess: number | null;
  p75_excess: number | null;
  min_excess: number | null;
  max_excess: number | null;
  beat_root_share: number | null;
  median_alpha_return: number | null;
  headline_apr: number | null;
  realised_apr: number | null;
  pool_tao: number | null;
  round_trip_cost: number | null;
  break_even_days: number | null;
  break_even_vs_root_days: number | null;
}

export interface HtmlCompareHorizon {
  horizon: string;
  /** Window starts with an end. */
  windows: number;
  root: { median_return: number | null; headline_apr: number | null };
  /** Best first. */
  subnets: HtmlCompareRow[];
}

/** One window's excess return over root, for the excess-over-time chart. */
export interface HtmlCompareWindow {
  horizon: string;
  netuid: number;
  start_ms: number;
  excess: number | null;
}

export interface HtmlCompare {
  /** TAO per leg, decimal text. */
  amount: string;
  /** The snapshot the pool-depth columns describe. */
  outlookAt: { block: number; time: string };
  horizons: HtmlCompareHorizon[];
  windows?: HtmlCompareWindow[];
}

export interface HtmlReportInput {
  title: string;
  /** Short lines under the title (data file, range, capital). */
  subtitle: string[];
  runs: HtmlRun[];
  /** Subnet names by netuid, for legends. */
  subnetNames?: Record<string, string>;
  compare?: HtmlCompare;
  /** Assumptions, warnings and notes, one line each. */
  notes?: string[];
}

export function tradeFromFill(f: Fill): HtmlTrade {
  const t: HtmlTrade = {
    step: f.step, type: f.type, status: f.status, input: formatAmount(f.input), inputToken: f.inputToken, output: formatAmount(f.output),
    outputToken: f.outputToken, feeTao: formatAmount(f.feeTao), slippageTao: formatAmount(f.slippageTao),
  };
  if (f.netuid !== undefined) t.netuid = f.netuid;
  if (f.from !== undefined) t.from = f.from;
  if (f.to !== undefined) t.to = f.to;
  if (f.reason !== undefined) t.reason = f.reason;
  return t;
}

/** A backtest's runs, paired with their metrics in report.json (same order). */
export function runsFromBacktest(results: RunResult[], report: Report): HtmlRun[] {
  return results.map((r, k) => {
    const s = r.series;
    const alphaValue: Record<string, number[]> = {};
    for (const netuid of [...s.alphaValue.keys()].sort((a, b) => a - b)) alphaValue[String(netuid)] = Array.from(s.alphaValue.get(netuid)!);
    return {
      name: r.spec.name,
      kind: r.spec.kind,
      series: {
        timeMs: Array.from(s.timeMs), block: Array.from(s.block), equitySpot: Array.from(s.equitySpot), equityLiquidation: Array.from(s.equityLiquidation),
        rootValue: Array.from(s.rootValue), alphaValue, yieldRoot: Array.from(s.yieldRoot), yieldAlpha: Array.from(s.yieldAlpha),
      },
      trades: r.fills.map(tradeFromFill),
      metrics: report.runs[k]!,
    };
  });
}

export function backtestHtmlInput(report: Report, results: RunResult[], subnetNames?: Record<string, string>): HtmlReportInput {
  const d = report.data;
  return {
    title: 'Backtest report',
    subtitle: [
      `${d.file} · ${d.snapshots} snapshots · ${d.subnets} subnets · blocks ${d.from_block}–${d.to_block}`,
      `${d.from_time} → ${d.to_time} · capital ${report.config.capital} TAO · pool curve ${String(report.config.model.curve)}, ${String(report.config.model.impact)} impact`,
    ],
    runs: runsFromBacktest(results, report),
    subnetNames,
    notes: [...report.assumptions.map((a) => `assumed: ${a}`), ...report.warnings.map((w) => `data: ${w}`), ...report.runs.flatMap((r) => r.notes.map((n) => `${r.name}: ${n}`))],
  };
}

/** Names of the subnets at the last snapshot of a range, by netuid. */
export function subnetNamesAt(data: { cols: { rowStart: Int32Array; netuid: Uint16Array; nameId: Int32Array }; meta: { names: string[] } }, index: number): Record<string, string> {
  const out: Record<string, string> = {};
  const c = data.cols;
  for (let r = c.rowStart[index]!; r < c.rowStart[index + 1]!; r++) if (c.nameId[r]! >= 0) out[String(c.netuid[r])] = data.meta.names[c.nameId[r]!]!;
  return out;
}
