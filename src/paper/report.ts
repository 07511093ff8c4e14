/**
 * A backtest-style report of a paper account: its ticks become RunResults (the strategy, the
 * 100%-root benchmark and hold TAO), summarised by the same report code as a backtest
 * (report.json with src/report/summary.ts metrics, trades.csv, equity.csv, report.html).
 * Nothing is recomputed: series, fills and final values are the ones the ticks recorded.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { Portfolio } from '../core/portfolio.ts';
import { parseAmount } from '../core/units.ts';
import type { Dataset } from '../data/dataset.ts';
import { fillFromJSON, type Fill } from '../engine/fill.ts';
import { yieldTableFor } from '../engine/yield-table.ts';
import { defineStrategy } from '../strategy/types.ts';
import { allRoot, holdTao } from '../backtest/benchmarks.ts';
import type { RunResult, RunSeries, RunSpec } from '../backtest/run.ts';
import { buildReport, type Report } from '../report/report-json.ts';
import { writeEquityCsv, writeJson, writeTradesCsv } from '../report/files.ts';
import { backtestHtmlInput, subnetNamesAt } from '../report/html/input.ts';
import { writeHtmlReport } from '../report/html/render.ts';
import { datasetOf, historyPathFor, scanHistory } from './history.ts';
import { modelFromJson } from './model-json.ts';
import { ROOT_RUN, STRATEGY_RUN, type PaperStateJson, type RunKey } from './state.ts';

function emptySeries(n: number): RunSeries {
  return {
    block: new Float64Array(n), timeMs: new Float64Array(n), equitySpot: new Float64Array(n), equityLiquidation: new Float64Array(n),
    rootValue: new Float64Array(n), alphaValue: new Map(), yieldRoot: new Float64Array(n), yieldAlpha: new Float64Array(n),
  };
}

function runResult(state: PaperStateJson, key: RunKey, spec: RunSpec): RunResult {
  const ticks = state.ticks;
  const n = ticks.length;
  const s = emptySeries(n);
  const fills: Fill[] = [];
  ticks.forEach((t, k) => {
    const m = t.marks[key];
    s.block[k] = t.block;
    s.timeMs[k] = Date.parse(t.time);
    s.equitySpot[k] = m.equity_spot;
    s.equityLiquidation[k] = m.equity_liquidation;
    s.rootValue[k] = m.root_value;
    s.yieldRoot[k] = m.yield_root;
    s.yieldAlpha[k] = m.yield_alpha;
    for (const [netuid, v] of Object.entries(m.alpha_value)) {
      let arr = s.alphaValue.get(Number(netuid));
      if (!arr) s.alphaValue.set(Number(netuid), (arr = new Float64Array(n)));
      arr[k] = v;
    }
    for (const f of m.fills) fills.push(fillFromJSON(f));
  });
  const capital = parseAmount(state.identity.capital);
  const last = ticks.at(-1)?.marks[key];
  return {
    spec, initial: capital, series: s, fills, portfolio: Portfolio.fromJSON(state.runs[key].portfolio),
    finalSpot: last ? parseAmount(last.value_spot) : capital, finalLiquidation: last ? parseAmount(last.value_liquidation) : capital,
    notes: state.runs[key].notes,
  };
}

function holdTaoResult(state: PaperStateJson): RunResult {
  const n = state.ticks.length;
  const capital = parseAmount(state.identity.capital);
  const s = emptySeries(n);
  const c = Number(capital) / 1e9;
  state.ticks.forEach((t, k) => {
    s.block[k] = t.block;
    s.timeMs[k] = Date.parse(t.time);
    s.equitySpot[k] = c;
    s.equityLiquidation[k] = c;
  });
  return {
    spec: { name: holdTao.name, kind: 'benchmark', strategy: holdTao, params: {} }, initial: capital, series: s, fills: [],
    portfolio: new Portfolio(capital), finalSpot: capital, finalLiquidation: capital, notes: [],
  };
}

/** The account's runs: the strategy, then hold TAO and 100% root (benchmarks). */
export function paperRunResults(state: PaperStateJson): RunResult[] {
  // The report needs the strategy's name and params only; its code is not run again.
  const named = defineStrategy({ name: state.identity.strategy, description: 'paper account', params: {}, decide() {} });
  return [
    runResult(state, STRATEGY_RUN, { name: state.identity.strategy, kind: 'strategy', strategy: named, params: state.identity.params }),
    holdTaoResult(state),
    runResult(state, ROOT_RUN, { name: allRoot.name, kind: 'benchmark', strategy: allRoot, params: {} }),
  ];
}

export interface PaperReport {
  report: Report;
  results: RunResult[];
  data: Dataset;
}

/** report.json of a paper account, over the snapshots of its history file. */
export function buildPaperReport(statePath: string, state: PaperStateJson): PaperReport {
  const n = state.ticks.length;
  if (n === 0) throw new UserError(`${statePath}: no ticks yet, so nothing to report; run \`dtao paper\` first`);
  const historyPath = historyPathFor(statePath);
  const scanned = scanHistory(historyPath, state.ticks[n - 1]!.block);
  if (scanned.snapshots.length !== n) {
    throw new UserError(`${historyPath} holds ${scanned.snapshots.length} snapshot(s) for ${n} tick(s); the report needs the history the ticks saw`);
  }
  const data = datasetOf(scanned.snapshots, historyPath, {})!;
  const model = modelFromJson(state.identity.model, statePath);
  const table = yieldTableFor(data, model.assumptions);
  for (let i = 0; i < n; i++) table.ensure(i);
  const results = paperRunResults(state);
  const report = buildReport({
    data, sha256: scanned.sha256, from: 0, to: n - 1, capital: parseAmount(state.identity.capital), model, results, assumptions: table.notes(),
  });
  return { report, results, data };
}

export interface PaperReportPaths {
  report: string;
  trades: string;
  equity: string;
  html: string;
}

export function writePaperReport(dir: string, statePath: string, state: PaperStateJson, r: PaperReport = buildPaperReport(statePath, state)): PaperReportPaths {
  mkdirSync(dir, { recursive: true });
  const paths = { report: join(dir, 'report.json'), trades: join(dir, 'trades.csv'), equity: join(dir, 'equity.csv'), html: join(dir, 'report.html') };
  writeJson(paths.report, r.report);
  writeTradesCsv(paths.trades, r.results);
  writeEquityCsv(paths.equity, r.results);
  const input = backtestHtmlInput(r.report, r.results, subnetNamesAt(r.data, r.data.snapshotCount - 1));
  const d = r.report.data;
  input.title = `Paper trading: ${state.identity.strategy}`;
  input.subtitle = [
    `${d.snapshots} ticks · blocks ${d.from_block}–${d.to_block} · ${d.from_time} → ${d.to_time}`,
    `capital ${state.identity.capital} TAO · chain ${state.identity.genesis_hash.slice(0, 18)}… · pool curve ${String(r.report.config.model.curve)}, ${String(r.report.config.model.impact)} impact`,
  ];
  input.runs[0]!.kind = 'paper';
  writeHtmlReport(paths.html, input);
  return paths;
}
