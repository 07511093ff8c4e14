/**
 * `compare`: should this TAO sit on root or in a subnet's alpha, which subnet, and for how long?
 *
 * For every subnet and every window of each horizon (see `../windows.ts` for how windows are
 * formed over irregular data), the realised return of staking `amount` TAO into the subnet's
 * alpha at the window's start and unstaking at its end, against staking the same amount on root
 * over the same window. Both legs run through the backtest engine (`legs.ts`). Per subnet and
 * horizon: the median and spread of the excess return over root, the share of windows that beat
 * root, the headline yield against the realised one, and, from the last snapshot, the round-trip
 * cost and break-even holding time at today's pool depth (`outlook.ts`).
 *
 * Returns are (TAO back - TAO put in) / amount, transaction fees included. Annual rates are
 * simple (return x year / window length), the same basis as the headline rate.
 */
import type { Dataset } from '../../data/dataset.ts';
import { UserError } from '../../core/errors.ts';
import { formatAmount } from '../../core/units.ts';
import type { ModelConfig } from '../../engine/model.ts';
import { yieldTableFor } from '../../engine/yield-table.ts';
import { modelToJson } from '../../report/report-json.ts';
import { num } from '../../report/summary.ts';
import { YEAR_MS } from '../../report/metrics/grid.ts';
import { formWindows, type HoldWindow } from '../windows.ts';
import { quantileSorted, sortedCopy } from '../quantile.ts';
import { DAY_MS } from '../duration.ts';
import { dataBlock, type DataBlock } from '../../report/data-block.ts';
import { legCapital, runLeg, type LegOutcome, type LegStatus } from './legs.ts';
import { headlineYields, outlook, type Outlook } from './outlook.ts';
import { runSubnetLegs, type SubnetLegs, type SubnetTask } from './subnet-legs.ts';

export const COMPARE_FORMAT = 'dtao-compare/1';

export interface Horizon {
  /** As the user wrote it ("7d"). */
  label: string;
  ms: number;
}

export interface CompareInput {
  data: Dataset;
  sha256: string;
  model: ModelConfig;
  /** TAO staked in each leg, rao. */
  amount: bigint;
  horizons: Horizon[];
  /** Window-end tolerance as a fraction of the horizon. */
  tolerance: number;
  /** Least time between window starts, ms (0 = every snapshot). */
  stepMs: number;
  from: number;
  to: number;
  /** Subnets to compare (default: every subnet in the range). */
  netuids?: number[];
  /** Keep windows over which the subnet changed its name (default: left out). */
  includeRenamed?: boolean;
  /** Runs the per-subnet legs; default in this thread. The CLI passes a worker pool. */
  runSubnets?: (tasks: SubnetTask[]) => Promise<SubnetLegs[]>;
}

export interface SubnetRow {
  netuid: number;
  name: string | null;
  /** Windows counted in the statistics. */
  windows: number;
  entry_rejected: number;
  exit_rejected: number;
  excluded_renamed: number;
  /** Windows (counted) in which the subnet left the data and its pool paid out. */
  deregistered: number;
  median_excess: number | null;
  p25_excess: number | null;
  p75_excess: number | null;
  min_excess: number | null;
  max_excess: number | null;
  beat_root_share: number | null;
  median_alpha_return: number | null;
  median_root_return: number | null;
  /** Median over windows of the headline alpha rate at the window's start. */
  headline_apr: number | null;
  /** Median over windows of the alpha leg's return, annualised (simple). */
  realised_apr: number | null;
  /** Median over windows of the alpha earned per alpha bought, annualised (simple). */
  realised_yield_apr: number | null;
  /** At the last snapshot: pool depth, round trip of `amount`, break-even holding times. */
  pool_tao: number | null;
  round_trip_cost: number | null;
  break_even_days: number | null;
  break_even_vs_root_days: number | null;
  note?: string;
}

export interface HorizonResult {
  horizon: string;
  horizon_days: number;
  /** Window starts that found an end snapshot. */
  windows: number;
  root: { median_return: number | null; p25_return: number | null; p75_return: number | null; headline_apr: number | null };
  /** Sorted: highest median excess over root first; subnets without windows last. */
  subnets: SubnetRow[];
}

export interface CompareReport {
  format: string;
  data: DataBlock;
  config: { amount: string; horizons: string[]; tolerance: number; step_days: number | null; include_renamed: boolean; model: Record<string, unknown> };
  windows_rule: string;
  /** The snapshot the pool-depth columns (round trip, break-even) describe. */
  outlook_at: { block: number; time: string };
  horizons: HorizonResult[];
  assumptions: string[];
  warnings: string[];
}

/** One window of one subnet, as windows.csv lists it. */
export interface WindowRecord {
  horizon: string;
  netuid: number;
  start_block: number;
  start_time: string;
  start_ms: number;
  end_block: number;
  end_time: string;
  days: number;
  status: LegStatus | 'excluded_renamed';
  alpha_value: string;
  root_value: string;
  alpha_return: number | null;
  root_return: number | null;
  excess: number | null;
  headline_apr: number | null;
  alpha_bought: string;
  alpha_earned: string;
}

export interface CompareOutcome {
  report: CompareReport;
  windows: WindowRecord[];
}

export function windowsRuleText(tolerance: number, stepMs: number): string {
  const starts = stepMs > 0 ? `snapshots at least ${(stepMs / DAY_MS).toFixed(3).replace(/\.?0+$/, '')} days apart` : 'every snapshot';
  return `A window of horizon H starts at ${starts} and ends at the snapshot closest to start + H, if one lies within ${(tolerance * 100).toFixed(0)}% of H; ` +
    'otherwise that start has no window of horizon H. Windows overlap, so their statistics describe start times, not independent trials. ' +
    'Windows over which a subnet changed its name (possibly deregistered and re-registered) are left out unless asked for.';
}

/** Netuids present anywhere in the snapshots [from, to], ascending. */
export function netuidsIn(data: Dataset, from: number, to: number): number[] {
  const seen = new Set<number>();
  const c = data.cols;
  for (let r = c.rowStart[from]!; r < c.rowStart[to + 1]!; r++) seen.add(c.netuid[r]!);
  return [...seen].sort((a, b) => a - b);
}

/** Indices k in (from, to] where the subnet's name differs from the one at k - 1 (both present). */
function nameChanges(data: Dataset, netuid: number, from: number, to: number): number[] {
  const out: number[] = [];
  let prev = -2;
  for (let i = from; i <= to; i++) {
    const r = data.rowOf(i, netuid);
    const id = r < 0 ? -2 : data.cols.nameId[r]!;
    if (id !== -2 && prev !== -2 && id !== prev) out.push(i);
    if (id !== -2) prev = id;
  }
  return out;
}

function spans(changes: number[], w: HoldWindow): boolean {
  for (const k of changes) if (k > w.start && k <= w.end) return true;
  return false;
}

const key = (start: number, end: number) => `${start}:${end}`;

export async function runCompare(input: CompareInput): Promise<CompareOutcome> {
  const { data, model, amount, from, to } = input;
  if (amount <= 0n) throw new UserError('--amount must be more than 0');
  if (to <= from) throw new UserError('compare needs at least two snapshots in the range');
  const c = data.cols;
  const present = netuidsIn(data, from, to);
  const netuids = input.netuids ?? present;
  for (const n of netuids) {
    if (!present.includes(n)) throw new UserError(`--subnets: subnet ${n} is not in the data between blocks ${c.block[from]} and ${c.block[to]} (present: ${present[0]}..${present[present.length - 1]})`);
  }

  const windowsOf = input.horizons.map((h) => formWindows(c.timeMs, from, to, { horizonMs: h.ms, tolerance: input.tolerance, stepMs: input.stepMs }));
  // Every window end, per start, across all horizons: one engine run per start serves them all.
  const endsByStart = new Map<number, Set<number>>();
  for (const ws of windowsOf) for (const w of ws) {
    let s = endsByStart.get(w.start);
    if (!s) endsByStart.set(w.start, (s = new Set()));
    s.add(w.end);
  }
  const starts = [...endsByStart.keys()].sort((a, b) => a - b);
  const sortedEnds = (start: number) => [...endsByStart.get(start)!].sort((a, b) => a - b);

  // Root legs: the same for every subnet.
  const root = new Map<string, LegOutcome>();
  const rootHeadline = new Map<number, number>();
  for (const s of starts) {
    for (const o of runLeg(data, model, 0, amount, s, sortedEnds(s))) root.set(key(s, o.end), o);
    rootHeadline.set(s, headlineYields(data, model, s).rootApr());
  }

  // Alpha legs, per subnet: only windows the subnet is present at the start of and, unless
  // asked, that do not span a name change.
  const changes = new Map(netuids.map((n) => [n, input.includeRenamed ? [] : nameChanges(data, n, from, to)]));
  const tasks: SubnetTask[] = [];
  for (const netuid of netuids) {
    const ch = changes.get(netuid)!;
    const list: SubnetTask['starts'] = [];
    for (const s of starts) {
      if (data.rowOf(s, netuid) < 0) continue;
      const ends = sortedEnds(s).filter((e) => !spans(ch, { start: s, end: e }));
      if (ends.length) list.push({ start: s, ends });
    }
    tasks.push({ netuid, starts: list });
  }
  const run = input.runSubnets ?? (async (ts: SubnetTask[]) => ts.map((t) => runSubnetLegs(data, model, amount, t)));
  const legs = new Map((await run(tasks)).map((l) => [l.netuid, l]));

  const capital = legCapital(amount, model);
  const ret = (value: bigint) => Number(value - capital) / Number(amount);
  const yieldsNow = headlineYields(data, model, to);
  const outlooks = new Map<number, Outlook>(netuids.map((n) => [n, outlook(data, model, to, n, amount, yieldsNow)]));
  const records: WindowRecord[] = [];
  const horizons: HorizonResult[] = input.horizons.map((h, hi) => {
    const ws = windowsOf[hi]!;
    const rootReturns = sortedCopy(ws.map((w) => ret(root.get(key(w.start, w.end))!.value)));
    const rows = netuids.map((netuid) => subnetRow({ data, horizon: h.label, windows: ws, netuid, root, legs: legs.get(netuid), outlook: outlooks.get(netuid)!, ret, records, from, to }));
    rows.sort((a, b) => (b.median_excess ?? -Infinity) - (a.median_excess ?? -Infinity) || a.netuid - b.netuid);
    return {
      horizon: h.label, horizon_days: num(h.ms / DAY_MS)!, windows: ws.length,
      root: {
        median_return: rootReturns.length ? num(quantileSorted(rootReturns, 0.5)) : null,
        p25_return: rootReturns.length ? num(quantileSorted(rootReturns, 0.25)) : null,
        p75_return: rootReturns.length ? num(quantileSorted(rootReturns, 0.75)) : null,
        headline_apr: ws.length ? num(quantileSorted(sortedCopy(ws.map((w) => rootHeadline.get(w.start)!)), 0.5)) : null,
      },
      subnets: rows,
    };
  });

  const report: CompareReport = {
    format: COMPARE_FORMAT,
    data: dataBlock(data, input.sha256, from, to),
    config: {
      amount: formatAmount(amount), horizons: input.horizons.map((h) => h.label), tolerance: input.tolerance,
      step_days: input.stepMs > 0 ? num(input.stepMs / DAY_MS) : null, include_renamed: input.includeRenamed === true, model: modelToJson(model),
    },
    windows_rule: windowsRuleText(input.tolerance, input.stepMs),
    outlook_at: { block: c.block[to]!, time: data.meta.timeText[to]! },
    horizons,
    assumptions: yieldTableFor(data, model.assumptions).notes(),
    warnings: data.meta.warnings,
  };
  return { report, windows: records };
}

interface RowInput {
  data: Dataset;
  horizon: string;
  windows: HoldWindow[];
  netuid: number;
  /** Root legs by window key. */
  root: Map<string, LegOutcome>;
  legs: SubnetLegs | undefined;
  outlook: Outlook;
  /** Return of a leg from the TAO it ended with. */
  ret: (value: bigint) => number;
  /** Where each window's record is appended (windows.csv). */
  records: WindowRecord[];
  from: number;
  to: number;
}

/** One subnet's statistics over the windows of one horizon, recording each window on the way. */
function subnetRow(x: RowInput): SubnetRow {
  const { data, netuid, ret } = x;
  const c = data.cols;
  const byKey = new Map<string, { o: LegOutcome; headline: number }>();
  for (const l of x.legs?.legs ?? []) for (const o of l.outcomes) byKey.set(key(l.start, o.end), { o, headline: l.headlineApr });
  const excess: number[] = [];
  const alphaR: number[] = [];
  const rootR: number[] = [];
  const headline: number[] = [];
  const realised: number[] = [];
  const realisedYield: number[] = [];
  const counts = { entry_rejected: 0, exit_rejected: 0, excluded_renamed: 0, deregistered: 0 };
  let beat = 0;
  for (const w of x.windows) {
    if (data.rowOf(w.start, netuid) < 0) continue;
    const rootLeg = x.root.get(key(w.start, w.end))!;
    const hit = byKey.get(key(w.start, w.end));
    const durationMs = c.timeMs[w.end]! - c.timeMs[w.start]!;
    const rec: WindowRecord = {
      horizon: x.horizon, netuid, start_block: c.block[w.start]!, start_time: data.meta.timeText[w.start]!, start_ms: c.timeMs[w.start]!,
      end_block: c.block[w.end]!, end_time: data.meta.timeText[w.end]!, days: num(durationMs / DAY_MS)!, status: 'excluded_renamed',
      alpha_value: '', root_value: formatAmount(rootLeg.value), alpha_return: null, root_return: num(ret(rootLeg.value)), excess: null,
      headline_apr: null, alpha_bought: '', alpha_earned: '',
    };
    x.records.push(rec);
    if (!hit) {
      counts.excluded_renamed++; // no leg was run: the window spans a name change
      continue;
    }
    const { o } = hit;
    rec.status = o.status;
    rec.headline_apr = num(hit.headline);
    if (o.status === 'entry_rejected' || o.status === 'exit_rejected') {
      counts[o.status]++;
      continue;
    }
    if (o.status === 'deregistered') counts.deregistered++;
    const a = ret(o.value);
    const r = ret(rootLeg.value);
    rec.alpha_value = formatAmount(o.value);
    rec.alpha_return = num(a);
    rec.excess = num(a - r);
    rec.alpha_bought = formatAmount(o.alphaBought);
    rec.alpha_earned = formatAmount(o.alphaEarned);
    excess.push(a - r);
    alphaR.push(a);
    rootR.push(r);
    headline.push(hit.headline);
    realised.push((a * YEAR_MS) / durationMs);
    if (o.alphaBought > 0n) realisedYield.push(((Number(o.alphaEarned) / Number(o.alphaBought)) * YEAR_MS) / durationMs);
    if (a > r) beat++;
  }
  const ex = sortedCopy(excess);
  const med = (xs: number[]) => (xs.length ? num(quantileSorted(sortedCopy(xs), 0.5)) : null);
  const q = (p: number) => (ex.length ? num(quantileSorted(ex, p)) : null);
  const nul = (v: number | null) => (v === null || !Number.isFinite(v) ? null : num(v));
  const out = x.outlook;
  const row: SubnetRow = {
    netuid, name: out.name ?? lastName(data, netuid, x.from, x.to) ?? null, windows: ex.length, ...counts,
    median_excess: q(0.5), p25_excess: q(0.25), p75_excess: q(0.75), min_excess: ex.length ? num(ex[0]!) : null, max_excess: ex.length ? num(ex[ex.length - 1]!) : null,
    beat_root_share: ex.length ? num(beat / ex.length) : null,
    median_alpha_return: med(alphaR), median_root_return: med(rootR), headline_apr: med(headline), realised_apr: med(realised), realised_yield_apr: med(realisedYield),
    pool_tao: nul(out.poolTao), round_trip_cost: nul(out.roundTripCost), break_even_days: nul(out.breakEvenDays), break_even_vs_root_days: nul(out.breakEvenVsRootDays),
  };
  if (out.rejected) row.note = `at the last snapshot: ${out.rejected}`;
  return row;
}

function lastName(data: Dataset, netuid: number, from: number, to: number): string | undefined {
  for (let i = to; i >= from; i--) {
    const r = data.rowOf(i, netuid);
    if (r >= 0 && data.cols.nameId[r]! >= 0) return data.meta.names[data.cols.nameId[r]!];
  }
  return undefined;
}
