/**
 * `dtao status`: a paper account from its state file: portfolio, value at spot and at
 * liquidation, profit and loss against holding TAO and 100% root, the last ticks, and how far
 * our pool model is from the chain's quotes. `--out` writes a backtest-style report.
 * Reads only; safe while `dtao paper` runs on the same state.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { paperStatus } from '../../paper/status.ts';
import { statusText } from '../../paper/status-text.ts';
import { readPaperState } from '../../paper/store.ts';
import { writePaperReport } from '../../paper/report.ts';
import { intFlag } from '../common.ts';

interface Options {
  state: string;
  json?: boolean;
  out?: string;
  last: string;
}

export function register(program: Command): void {
  program
    .command('status')
    .description('show a paper account: portfolio, value at spot and liquidation, P&L against hold TAO and 100% root, last ticks, model-vs-chain quote error')
    .option('--state <file>', 'paper state file', 'paper.json')
    .option('--json', 'print the status as JSON')
    .option('-o, --out <dir>', 'also write report.json, trades.csv, equity.csv and report.html (as a backtest does)')
    .option('-n, --last <N>', 'number of recent ticks to show', '10')
    .action((opts: Options) => {
      process.exitCode = status(opts);
    });
}

function status(opts: Options): number {
  const lastN = intFlag('--last', opts.last, 1);
  const statePath = resolve(opts.state);
  const state = readPaperState(statePath);
  const s = paperStatus(state, lastN);
  const paths = opts.out ? writePaperReport(resolve(opts.out), statePath, state) : undefined;
  if (opts.json) {
    process.stdout.write(JSON.stringify(s, null, 2) + '\n');
    return 0;
  }
  let text = statusText(s, opts.state);
  if (paths) text += `\nWrote ${paths.report}, ${paths.trades}, ${paths.equity}, ${paths.html}\n`;
  process.stdout.write(text);
  return 0;
}
