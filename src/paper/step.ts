/**
 * One run's step at one tick, through the one Engine the backtester uses. Each tick starts a
 * new Engine from the run's saved state (portfolio, impact flows, strategy memory) and resumes
 * it after the previous tick's snapshot, so a tick after a restart is computed exactly as it
 * would have been without one, and exactly as a backtest of the same snapshots computes it.
 */
import { Portfolio } from '../core/portfolio.ts';
import { formatAmount } from '../core/units.ts';
import type { Dataset } from '../data/dataset.ts';
import { Engine } from '../engine/engine.ts';
import type { Fill } from '../engine/fill.ts';
import { fillToJSON } from '../engine/fill.ts';
import type { ModelConfig } from '../engine/model.ts';
import type { Strategy } from '../strategy/types.ts';
import { exactValues } from '../backtest/run.ts';
import type { RunMarkJson, RunStateJson } from './state.ts';

export interface RunSetup {
  strategy: Strategy;
  params: Readonly<Record<string, unknown>>;
}

export interface SteppedRun {
  state: RunStateJson;
  mark: RunMarkJson;
  fills: Fill[];
}

export function initialRunState(capital: bigint): RunStateJson {
  return { portfolio: new Portfolio(capital).toJSON(), flows: {}, strategy_state: {}, notes: [] };
}

/** JSON copy: the strategy's memory is saved as JSON, so every tick starts from that form. */
function jsonCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * Steps a run on the last snapshot of `data`. The snapshots before it must be the previous
 * ticks, one each, so the last index is also the number of steps taken so far.
 */
export function stepRun(data: Dataset, model: ModelConfig, setup: RunSetup, prev: RunStateJson): SteppedRun {
  const index = data.snapshotCount - 1;
  const portfolio = Portfolio.fromJSON(prev.portfolio);
  const engine = new Engine({ data, strategy: setup.strategy, params: setup.params, model, portfolio, state: jsonCopy(prev.strategy_state) });
  engine.market.restoreFlows(prev.flows);
  if (index > 0) engine.resumeAfter(index - 1, index);
  const alphaValue: Record<string, number> = {};
  const r = engine.step(index, (netuid, v) => {
    alphaValue[String(netuid)] = v;
  });
  const exact = exactValues(engine);
  const notes = [...prev.notes];
  for (const n of engine.notes()) if (!notes.includes(n)) notes.push(n);
  return {
    state: { portfolio: portfolio.toJSON(), flows: engine.market.flowsJSON(), strategy_state: jsonCopy(engine.state), notes },
    mark: {
      fills: r.fills.map(fillToJSON),
      equity_spot: r.equitySpot,
      equity_liquidation: r.equityLiquidation,
      root_value: r.rootValue,
      alpha_value: alphaValue,
      yield_root: Number(portfolio.totals.yieldRoot) / 1e9,
      yield_alpha: Number(portfolio.totals.yieldAlpha) / 1e9,
      value_spot: formatAmount(exact.spot),
      value_liquidation: formatAmount(exact.liquidation),
    },
    fills: r.fills,
  };
}
