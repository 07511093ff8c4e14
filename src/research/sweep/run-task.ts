/**
 * One backtest run as a pool task: the strategy with one set of parameters over one range of
 * the data, summarised into the metrics of report.json (and, when asked, its equity series).
 * Sweeps, walk-forward folds and their test windows are all made of these.
 */
import type { Dataset } from '../../data/dataset.ts';
import { loadDataset } from '../../data/load.ts';
import type { ModelConfig } from '../../engine/model.ts';
import { loadStrategy, resolveParams } from '../../strategy/loader.ts';
import { runOne } from '../../backtest/run.ts';
import { summarize, type RunMetrics } from '../../report/summary.ts';
import type { LocalResources, TaskHandler } from '../pool/handlers.ts';

export interface RunSetup {
  dataPath: string;
  cache: boolean;
  /** Built-in strategy name or absolute path of a strategy file. */
  strategy: string;
  model: ModelConfig;
  capital: bigint;
}

export interface RunTask {
  params: Record<string, unknown>;
  /** Dataset indices traded over (inclusive); earlier snapshots are history. */
  from: number;
  to: number;
  /** Also return the equity series. */
  series?: boolean;
}

export interface RunTaskResult {
  metrics: RunMetrics;
  finalLiquidation: bigint;
  series?: { timeMs: Float64Array; equitySpot: Float64Array; equityLiquidation: Float64Array };
}

export function loadSetupData(setup: { dataPath: string; cache: boolean }, local: LocalResources): Dataset {
  return local.dataset ?? loadDataset(setup.dataPath, { cache: setup.cache }).dataset;
}

export async function makeRunHandler(setup: RunSetup, local: LocalResources): Promise<TaskHandler> {
  const data = loadSetupData(setup, local);
  const strategy = local.strategy ?? (await loadStrategy(setup.strategy)).strategy;
  return (t: unknown): RunTaskResult => {
    const task = t as RunTask;
    const params = resolveParams(strategy, task.params);
    const r = runOne({ name: strategy.name, kind: 'strategy', strategy, params }, { data, model: setup.model, capital: setup.capital, from: task.from, to: task.to });
    const out: RunTaskResult = { metrics: summarize(r), finalLiquidation: r.finalLiquidation };
    if (task.series) out.series = { timeMs: r.series.timeMs, equitySpot: r.series.equitySpot, equityLiquidation: r.series.equityLiquidation };
    return out;
  };
}
