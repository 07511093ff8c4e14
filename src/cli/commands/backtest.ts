/** `dtao backtest`: replay strategies (and the benchmarks) over a data file; print and write a report. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { DEFAULT_RUN_CONFIG, loadRunConfig, type RunConfig } from '../../config/run-config.ts';
import { assignParamFlags, loadStrategy, resolveParams } from '../../strategy/loader.ts';
import { runBacktestJob } from '../../backtest/job.ts';
import { StrategyError } from '../../engine/engine.ts';
import { backtestTable } from '../../report/backtest-table.ts';
import { writeBacktestOutputs } from '../../report/files.ts';
import { subnetNamesAt } from '../../report/html/input.ts';
import { amountFlag, collect, loadData, rangeOf } from '../common.ts';
import { progress } from '../progress.ts';

interface Options {
  strategy?: string[];
  data?: string;
  config?: string;
  param?: string[];
  from?: string;
  to?: string;
  out?: string;
  json?: boolean;
  capital?: string;
  cache: boolean;
}

export function register(program: Command): void {
  program
    .command('backtest')
    .description('replay strategies over historical or simulated pool data, beside the benchmarks (hold TAO, 100% root, equal-weight alpha)')
    .option('-s, --strategy <name|path>', 'strategy to run: a built-in name or a .ts file (repeat to compare several)', collect)
    .option('-d, --data <file>', 'dtao-snapshots/1 data (.jsonl or .csv)')
    .option('-c, --config <file>', 'run configuration (see config/default.json)')
    .option('-p, --param <key=value>', 'strategy parameter; strategy.key=value targets one strategy (repeatable)', collect)
    .option('--from <block|date>', 'first snapshot to trade at (earlier data is still visible as history)')
    .option('--to <block|date>', 'last snapshot')
    .option('--capital <TAO>', 'starting capital in TAO (default 1000)')
    .option('-o, --out <dir>', 'directory for report.json, trades.csv, equity.csv and report.html')
    .option('--json', 'print report.json to stdout instead of the table')
    .option('--no-cache', 'parse the data file and rerun the benchmarks even if cached copies exist')
    .action(async (opts: Options) => {
      process.exitCode = await backtest(opts);
    });
}

async function backtest(opts: Options): Promise<number> {
  const cfg: RunConfig = opts.config ? loadRunConfig(opts.config) : DEFAULT_RUN_CONFIG;
  const dataPath = opts.data ?? cfg.data;
  const refs = opts.strategy?.length ? opts.strategy : cfg.strategies;
  const loaded = [];
  for (const ref of refs) loaded.push(await loadStrategy(ref));
  const flags = assignParamFlags(opts.param ?? [], loaded.map((l) => l.strategy));
  const strategies = loaded.map((l) => ({
    strategy: l.strategy,
    params: resolveParams(l.strategy, { ...(cfg.params[l.strategy.name] ?? {}), ...flags.get(l.strategy.name) }),
  }));
  const capital = opts.capital !== undefined ? amountFlag('--capital', opts.capital) : cfg.capital;
  if (capital <= 0n) throw new UserError('--capital must be more than 0');

  const { dataset, contentHash } = loadData(dataPath, { cache: opts.cache });
  const [from, to] = rangeOf(dataset, opts.from, opts.to);
  const bar = progress('backtest');
  let outcome;
  try {
    outcome = runBacktestJob({ data: dataset, sha256: contentHash, strategies, model: cfg.model, capital, from, to, cache: opts.cache }, (d, t) => bar.update(d, t));
  } catch (e) {
    if (e instanceof StrategyError) throw new UserError(e.message);
    throw e;
  } finally {
    bar.done();
  }
  const outDir = resolve(opts.out ?? cfg.out);
  const paths = writeBacktestOutputs(outDir, outcome.report, outcome.results, subnetNamesAt(dataset, to));
  if (opts.json) {
    process.stdout.write(JSON.stringify(outcome.report, null, 2) + '\n');
    return 0;
  }
  const r = outcome.report;
  const lines = [backtestTable(r), ''];
  const notes = [...r.assumptions.map((a) => `assumed: ${a}`), ...r.warnings.map((w) => `data: ${w}`)];
  for (const run of r.runs) for (const n of run.notes) notes.push(`${run.name}: ${n}`);
  if (notes.length) lines.push('Notes:', ...notes.map((n) => `  - ${n}`), '');
  lines.push(`Wrote ${paths.report}, ${paths.trades}, ${paths.equity}, ${paths.html}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
