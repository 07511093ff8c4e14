/**
 * Writing a backtest's outputs to a directory: report.json, trades.csv (every fill of every
 * run), equity.csv (spot and liquidation marks per run per snapshot) and report.html (the same
 * run as charts, self-contained). Each file is written atomically.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../data/atomic.ts';
import { formatAmount } from '../core/units.ts';
import { csvCell } from '../data/csv.ts';
import type { RunResult } from '../backtest/run.ts';
import type { Report } from './report-json.ts';
import { backtestHtmlInput } from './html/input.ts';
import { writeHtmlReport } from './html/render.ts';

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, (w) => w(JSON.stringify(value, null, 2) + '\n'));
}

const TRADE_COLUMNS = ['run', 'step', 'block', 'time', 'type', 'netuid', 'from', 'to', 'status', 'reason', 'input', 'input_token', 'output', 'output_token', 'fee', 'fee_token', 'fee_tao', 'slippage_tao', 'tx_fee', 'spot_before', 'spot_after'];

function numCell(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}

export function writeTradesCsv(path: string, results: RunResult[]): void {
  writeFileAtomic(path, (w) => {
    w(TRADE_COLUMNS.join(',') + '\n');
    for (const r of results) {
      for (const f of r.fills) {
        w([
          csvCell(r.spec.name), String(f.step), String(f.block), f.time, f.type, f.netuid ?? '', f.from ?? '', f.to ?? '', f.status,
          csvCell(f.reason ?? ''), formatAmount(f.input), f.inputToken, formatAmount(f.output), f.outputToken, formatAmount(f.fee), f.feeToken,
          formatAmount(f.feeTao), formatAmount(f.slippageTao), formatAmount(f.txFee), numCell(f.spotBefore), numCell(f.spotAfter),
        ].join(',') + '\n');
      }
    }
  });
}

/** Marks are doubles; written with 9 decimals (to the rao). */
export function writeEquityCsv(path: string, results: RunResult[]): void {
  if (results.length === 0) return;
  const s0 = results[0]!.series;
  writeFileAtomic(path, (w) => {
    w(['block', 'time', ...results.flatMap((r) => [`${csvCell(r.spec.name)}_spot`, `${csvCell(r.spec.name)}_liquidation`])].join(',') + '\n');
    for (let k = 0; k < s0.block.length; k++) {
      const cells = [String(s0.block[k]), new Date(s0.timeMs[k]!).toISOString()];
      for (const r of results) cells.push(r.series.equitySpot[k]!.toFixed(9), r.series.equityLiquidation[k]!.toFixed(9));
      w(cells.join(',') + '\n');
    }
  });
}

export interface OutputPaths {
  report: string;
  trades: string;
  equity: string;
  html: string;
}

/** `subnetNames` (netuid -> name) labels the HTML report's allocation chart. */
export function writeBacktestOutputs(dir: string, report: Report, results: RunResult[], subnetNames?: Record<string, string>): OutputPaths {
  mkdirSync(dir, { recursive: true });
  const paths = { report: join(dir, 'report.json'), trades: join(dir, 'trades.csv'), equity: join(dir, 'equity.csv'), html: join(dir, 'report.html') };
  writeJson(paths.report, report);
  writeTradesCsv(paths.trades, results);
  writeEquityCsv(paths.equity, results);
  writeHtmlReport(paths.html, backtestHtmlInput(report, results, subnetNames));
  return paths;
}
