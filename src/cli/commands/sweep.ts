/** `dtao sweep`: every combination of a parameter grid on worker threads, ranked; optionally walk-forward. */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { DEFAULT_RUN_CONFIG, loadRunConfig } from '../../config/run-config.ts';
import { assignParamFlags, loadStrategy, resolveParams } from '../../strategy/loader.ts';
import { parseGrid, combinationCount, type ParamValue } from '../../research/sweep/grid.ts';
import { checkMetric } from '../../research/sweep/rank.ts';
import { runSweep } from '../../research/sweep/sweep.ts';
import { parseWalkForward } from '../../research/sweep/walk-forward.ts';
import { writeSweepOutputs } from '../../research/sweep/sweep-files.ts';
import { sweepTable, walkForwardTable } from '../../research/sweep/sweep-table.ts';
import { workersFlag } from '../../research/pool/worker-pool.ts';
import { amountFlag, collect, intFlag, loadData, rangeOf } from '../common.ts';
import { formatSeconds, progress } from '../progress.ts';

interface Options {
  strategy: string;
  data?: string;
  config?: string;
  grid?: string[];
  param?: string[];
  metric: string;
  workers?: string;
  walkForward?: string;
  from?: string;
  to?: string;
  capital?: string;
  top: string;
  out?: string;
  json?: boolean;
  cache: boolean;
}

export function register(program: Command): void {
  program
    .command('sweep')
    .description('run a strategy over every combination of a parameter grid, in parallel on worker threads, and rank the results; --walk-forward tests the optimisation out of sample')
    .requiredOption('-s, --strategy <name|path>', 'strategy: a built-in name or a .ts file')
    .option('-d, --data <file>', 'dtao-snapshots/1 data (.jsonl or .csv)')
    .option('-c, --config <file>', 'run configuration (capital, fixed params, market model)')
    .option('-g, --grid <key=values>', 'a parameter and its values: key=1,2,3 or key=start:stop:step (repeat per parameter)', collect)
    .option('-p, --param <key=value>', 'a parameter held fixed (repeatable)', collect)
    .option('-m, --metric <name>', 'what to rank by: sharpe, sortino, calmar, total_return, total_return_spot, annualized_return, max_drawdown, volatility', 'sharpe')
    .option('-w, --workers <N>', 'worker threads (default: the machine\'s cores; 0 = main thread only)')
    .option('--walk-forward <train=D,test=D>', 'optimise on each training window and trade the winner on the next test window, e.g. train=30d,test=7d')
    .option('--from <block|date>', 'first snapshot to trade at')
    .option('--to <block|date>', 'last snapshot')
    .option('--capital <TAO>', 'starting capital in TAO (default 1000)')
    .option('--top <N>', 'rows of the ranked table to print (0 = all)', '20')
    .option('-o, --out <dir>', 'directory for sweep.json, sweep.csv (and walk-forward.*) (default: <out>/sweep)')
    .option('--json', 'print the JSON result to stdout instead of the tables')
    .option('--no-cache', 'parse the data file even if a cached copy exists')
    .action(async (opts: Options) => {
      process.exitCode = await sweep(opts);
    });
}

async function sweep(opts: Options): Promise<number> {
  const cfg = opts.config ? loadRunConfig(opts.config) : DEFAULT_RUN_CONFIG;
  if (!opts.grid?.length) throw new UserError('give at least one --grid key=v1,v2,... (run `dtao strategies` to see the parameters)');
  const loaded = await loadStrategy(opts.strategy);
  const strategy = loaded.strategy;
  const grid = parseGrid(opts.grid, strategy);
  const flagParams = assignParamFlags(opts.param ?? [], [strategy]).get(strategy.name) ?? {};
  for (const k of Object.keys(flagParams)) if (grid.keys.includes(k)) throw new UserError(`"${k}" is given both as --param and as --grid; keep one`);
  const given = { ...(cfg.params[strategy.name] ?? {}), ...flagParams };
  const resolved = resolveParams(strategy, given);
  const fixedParams: Record<string, ParamValue> = Object.fromEntries(Object.keys(given).filter((k) => !grid.keys.includes(k)).sort().map((k) => [k, resolved[k]!]));
  const metric = checkMetric(opts.metric);
  const workers = workersFlag(opts.workers);
  const walkForward = opts.walkForward === undefined ? undefined : parseWalkForward(opts.walkForward);
  const top = intFlag('--top', opts.top);
  const capital = opts.capital !== undefined ? amountFlag('--capital', opts.capital) : cfg.capital;
  if (capital <= 0n) throw new UserError('--capital must be more than 0');
  const dataPath = resolve(opts.data ?? cfg.data);

  const { dataset, contentHash } = loadData(dataPath, { cache: opts.cache });
  const [from, to] = rangeOf(dataset, opts.from, opts.to);
  const bar = progress(`sweep ${combinationCount(grid)} combinations`);
  const started = performance.now();
  let outcome;
  try {
    outcome = await runSweep({
      data: dataset, sha256: contentHash, dataPath, cache: opts.cache, strategy, strategyRef: loaded.file, fixedParams, grid, metric, capital,
      model: cfg.model, from, to, workers, walkForward, onProgress: (d, t) => bar.update(d, t),
    });
  } finally {
    bar.done();
  }
  const seconds = (performance.now() - started) / 1000;
  const outDir = resolve(opts.out ?? join(cfg.out, 'sweep'));
  const paths = writeSweepOutputs(outDir, outcome);
  if (opts.json) {
    const doc = outcome.walkForward ? { sweep: outcome.sweep, walk_forward: outcome.walkForward.report } : outcome.sweep;
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return 0;
  }
  const lines = [sweepTable(outcome.sweep, top), ''];
  if (outcome.walkForward) lines.push(walkForwardTable(outcome.walkForward.report), '');
  const runs = outcome.sweep.combinations * (1 + 2 * (outcome.walkForward?.report.folds.length ?? 0));
  lines.push(`${runs} runs in ${formatSeconds(seconds)} on ${workers === 0 ? 'the main thread' : `${workers} worker thread(s)`}.`);
  lines.push(`Wrote ${[paths.json, paths.csv, paths.walkForwardJson, paths.walkForwardCsv, paths.walkForwardEquity].filter(Boolean).join(', ')}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
