/**
 * A whole backtest as users ask for it: the chosen strategies plus the benchmarks, over one
 * dataset and range, summarised into a report. Shared by the CLI and the research tools.
 */
import type { Dataset } from '../data/dataset.ts';
import type { Strategy } from '../strategy/types.ts';
import type { ModelConfig } from '../engine/model.ts';
import { yieldTableFor } from '../engine/yield-table.ts';
import { buildReport, type Report } from '../report/report-json.ts';
import { BENCHMARKS } from './benchmarks.ts';
import { runOne, type RunResult, type RunSpec } from './run.ts';
import { loadResult, resultKey, saveResult } from './result-cache.ts';
import { modelToJson } from '../report/report-json.ts';

export interface BacktestJob {
  data: Dataset;
  sha256: string;
  strategies: { strategy: Strategy; params: Readonly<Record<string, unknown>> }[];
  model: ModelConfig;
  capital: bigint;
  from: number;
  to: number;
  benchmarks?: boolean;
  /** Reuse benchmark results cached by an earlier run of the same data and settings (default true). */
  cache?: boolean;
}

export interface BacktestOutcome {
  results: RunResult[];
  report: Report;
}

export function runBacktestJob(job: BacktestJob, onProgress?: (done: number, total: number) => void): BacktestOutcome {
  const specs: RunSpec[] = job.strategies.map((s) => ({ name: s.strategy.name, kind: 'strategy', strategy: s.strategy, params: s.params }));
  if (job.benchmarks !== false) for (const b of BENCHMARKS) specs.push({ name: b.name, kind: 'benchmark', strategy: b, params: {} });
  const names = new Set<string>();
  for (const s of specs) {
    // Two runs of one strategy with different params get distinct names.
    let name = s.name;
    for (let k = 2; names.has(name); k++) name = `${s.name}#${k}`;
    names.add(name);
    s.name = name;
  }
  const steps = job.to - job.from + 1;
  const total = steps * specs.length;
  const results: RunResult[] = [];
  const c = job.data.cols;
  const key = resultKey({ data: job.sha256, model: modelToJson(job.model), capital: job.capital.toString(), from: c.block[job.from], to: c.block[job.to] });
  specs.forEach((spec, k) => {
    // Benchmarks depend only on the data and the settings: reuse them when cached.
    const cacheable = spec.kind === 'benchmark' && job.cache !== false;
    const cached = cacheable ? loadResult(key, spec) : undefined;
    if (cached) {
      results.push(cached);
      return;
    }
    const r = runOne(spec, {
      data: job.data, model: job.model, capital: job.capital, from: job.from, to: job.to,
      onProgress: onProgress ? (d) => onProgress(k * steps + d, total) : undefined,
    });
    if (cacheable) saveResult(key, r);
    results.push(r);
  });
  const assumptions = yieldTableFor(job.data, job.model.assumptions).notes();
  const report = buildReport({ data: job.data, sha256: job.sha256, from: job.from, to: job.to, capital: job.capital, model: job.model, results, assumptions });
  return { results, report };
}
