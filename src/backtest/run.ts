/**
 * The backtest driver: replays a dataset snapshot by snapshot through the engine for each
 * strategy and benchmark, and collects what the report needs. Snapshots come from the file;
 * state lives in memory. All trading logic is the engine's.
 */
import type { Dataset } from '../data/dataset.ts';
import { Portfolio } from '../core/portfolio.ts';
import { curveByName } from '../core/pool/index.ts';
import { alphaLiquidationValue, alphaValueAtSpot } from '../core/valuation.ts';
import type { Strategy } from '../strategy/types.ts';
import { Engine } from '../engine/engine.ts';
import type { ModelConfig } from '../engine/model.ts';
import type { Fill } from '../engine/fill.ts';

export interface RunSpec {
  name: string;
  kind: 'strategy' | 'benchmark';
  strategy: Strategy;
  params: Readonly<Record<string, unknown>>;
}

export interface RunSeries {
  block: Float64Array;
  timeMs: Float64Array;
  equitySpot: Float64Array;
  equityLiquidation: Float64Array;
  rootValue: Float64Array;
  /** Per subnet ever held: its TAO value at spot at each step (0 when not held). */
  alphaValue: Map<number, Float64Array>;
  /** Cumulative yield received so far (portfolio totals after each step), TAO. */
  yieldRoot: Float64Array;
  yieldAlpha: Float64Array;
}

export interface RunResult {
  spec: RunSpec;
  initial: bigint;
  series: RunSeries;
  fills: Fill[];
  portfolio: Portfolio;
  /** Exact final values, rao. */
  finalSpot: bigint;
  finalLiquidation: bigint;
  notes: string[];
}

export interface BacktestOptions {
  data: Dataset;
  model: ModelConfig;
  capital: bigint;
  /** Dataset indices to trade over (inclusive); history before `from` is visible to strategies. */
  from: number;
  to: number;
  onProgress?: (done: number, total: number) => void;
}

/** Runs one strategy over the range. */
export function runOne(spec: RunSpec, o: BacktestOptions): RunResult {
  const portfolio = new Portfolio(o.capital);
  const engine = new Engine({ data: o.data, strategy: spec.strategy, params: spec.params, model: o.model, portfolio });
  const n = o.to - o.from + 1;
  const s: RunSeries = {
    block: new Float64Array(n), timeMs: new Float64Array(n), equitySpot: new Float64Array(n), equityLiquidation: new Float64Array(n),
    rootValue: new Float64Array(n), alphaValue: new Map(), yieldRoot: new Float64Array(n), yieldAlpha: new Float64Array(n),
  };
  const fills: Fill[] = [];
  const cols = o.data.cols;
  let k = 0;
  // Series per subnet, found by index (this runs for every position at every step).
  const byNetuid: (Float64Array | undefined)[] = [];
  const sink = (netuid: number, v: number) => {
    let arr = byNetuid[netuid];
    if (!arr) {
      arr = new Float64Array(n);
      byNetuid[netuid] = arr;
      s.alphaValue.set(netuid, arr);
    }
    arr[k] = v;
  };
  for (; k < n; k++) {
    const i = o.from + k;
    const r = engine.step(i, sink);
    s.block[k] = r.block;
    s.timeMs[k] = cols.timeMs[i]!;
    s.equitySpot[k] = r.equitySpot;
    s.equityLiquidation[k] = r.equityLiquidation;
    s.rootValue[k] = r.rootValue;
    s.yieldRoot[k] = Number(portfolio.totals.yieldRoot) / 1e9;
    s.yieldAlpha[k] = Number(portfolio.totals.yieldAlpha) / 1e9;
    for (const f of r.fills) fills.push(f);
    if (o.onProgress && (k & 255) === 0) o.onProgress(k, n);
  }
  const { spot, liquidation } = exactValues(engine);
  return {
    spec, initial: o.capital, series: s, fills, portfolio, finalSpot: spot, finalLiquidation: liquidation,
    notes: engine.notes(),
  };
}

/** Exact (rao) spot and liquidation values of the engine's portfolio at its current snapshot. */
export function exactValues(engine: Engine): { spot: bigint; liquidation: bigint } {
  const p = engine.portfolio;
  const m = engine.market;
  const curve = curveByName(m.curve.kind);
  let spot = p.free + p.root;
  let liquidation = spot;
  for (const netuid of p.heldNetuids()) {
    const pool = m.pool(netuid);
    if (!pool) continue;
    const a = p.alphaOf(netuid);
    spot += alphaValueAtSpot(curve, pool, a);
    liquidation += alphaLiquidationValue(curve, pool, a);
  }
  for (const [netuid, a] of p.claimable) {
    const pool = m.pool(netuid);
    if (!pool) continue;
    const v = alphaValueAtSpot(curve, pool, a);
    spot += v;
    liquidation += v;
  }
  return { spot, liquidation };
}

/** Runs every spec over the same data and range. */
export function runBacktest(specs: RunSpec[], o: BacktestOptions): RunResult[] {
  return specs.map((spec) => runOne(spec, o));
}
