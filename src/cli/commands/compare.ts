/** `dtao compare`: root or a subnet's alpha, which subnet, for how long; over every window of the data, after costs. */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { DEFAULT_RUN_CONFIG, loadRunConfig } from '../../config/run-config.ts';
import { runCompare } from '../../research/compare/compare.ts';
import { compareTables } from '../../research/compare/compare-table.ts';
import { writeCompareOutputs } from '../../research/compare/compare-files.ts';
import { compareHtmlInput } from '../../research/compare/compare-html.ts';
import type { SubnetLegs, SubnetTask } from '../../research/compare/subnet-legs.ts';
import type { CompareSetup } from '../../research/compare/subnet-task.ts';
import { runTasks, workersFlag } from '../../research/pool/worker-pool.ts';
import { parseDuration, parseDurationList } from '../../research/duration.ts';
import { checkTolerance } from '../../research/windows.ts';
import { parseSubnetList } from '../../research/subnet-list.ts';
import { writeHtmlReport } from '../../report/html/render.ts';
import { amountFlag, intFlag, loadData, rangeOf } from '../common.ts';
import { progress } from '../progress.ts';

interface Options {
  data?: string;
  config?: string;
  amount: string;
  horizon: string;
  subnets?: string;
  tolerance: string;
  step?: string;
  from?: string;
  to?: string;
  includeRenamed?: boolean;
  top: string;
  workers?: string;
  out?: string;
  json?: boolean;
  cache: boolean;
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('stake --amount TAO into each subnet\'s alpha at the start of every window and unstake at its end, against root over the same window: median and spread of the excess return, share of windows that beat root, headline vs realised yield, break-even holding time')
    .option('-d, --data <file>', 'dtao-snapshots/1 data (.jsonl or .csv)')
    .option('-c, --config <file>', 'run configuration (market model: curve, impact, fees, take, assumptions)')
    .option('-a, --amount <TAO>', 'TAO staked in each leg', '100')
    .option('-H, --horizon <list>', 'holding periods, comma-separated (h, d, w)', '7d,30d')
    .option('--subnets <list>', 'subnets to compare, e.g. 1,3,10-20 (default: all)')
    .option('--tolerance <fraction>', 'a window ends at the snapshot nearest start + horizon, if within this fraction of the horizon (0.1 or 10%)', '0.1')
    .option('--step <duration>', 'least time between window starts (default: every snapshot)')
    .option('--from <block|date>', 'first snapshot a window may start at')
    .option('--to <block|date>', 'last snapshot a window may end at')
    .option('--include-renamed', 'keep windows over which a subnet changed its name (possible deregistration)')
    .option('--top <N>', 'rows per horizon in the terminal table (0 = all)', '25')
    .option('-w, --workers <N>', 'worker threads (default: the machine\'s cores; 0 = main thread only)')
    .option('-o, --out <dir>', 'directory for compare.json, compare.csv, windows.csv and report.html (default: <out>/compare)')
    .option('--json', 'print compare.json to stdout instead of the tables')
    .option('--no-cache', 'parse the data file even if a cached copy exists')
    .action(async (opts: Options) => {
      process.exitCode = await compare(opts);
    });
}

async function compare(opts: Options): Promise<number> {
  const cfg = opts.config ? loadRunConfig(opts.config) : DEFAULT_RUN_CONFIG;
  const amount = amountFlag('--amount', opts.amount);
  if (amount <= 0n) throw new UserError('--amount must be more than 0');
  const horizons = parseDurationList('--horizon', opts.horizon);
  const tolerance = checkTolerance('--tolerance', opts.tolerance);
  const stepMs = opts.step === undefined ? 0 : parseDuration('--step', opts.step);
  const netuids = opts.subnets === undefined ? undefined : parseSubnetList('--subnets', opts.subnets);
  const top = intFlag('--top', opts.top);
  const workers = workersFlag(opts.workers);
  const dataPath = resolve(opts.data ?? cfg.data);

  const { dataset, contentHash } = loadData(dataPath, { cache: opts.cache });
  const [from, to] = rangeOf(dataset, opts.from, opts.to);
  const bar = progress('compare');
  const setup: CompareSetup = { dataPath, cache: opts.cache, model: cfg.model, amount };
  let outcome;
  try {
    outcome = await runCompare({
      data: dataset, sha256: contentHash, model: cfg.model, amount, horizons, tolerance, stepMs, from, to, netuids, includeRenamed: opts.includeRenamed,
      runSubnets: (tasks) => runTasks<SubnetTask, SubnetLegs>('compare-subnet', setup, tasks, { workers, onProgress: (d, t) => bar.update(d, t), local: { dataset } }),
    });
  } finally {
    bar.done();
  }
  const outDir = resolve(opts.out ?? join(cfg.out, 'compare'));
  const paths = writeCompareOutputs(outDir, outcome);
  const html = join(outDir, 'report.html');
  writeHtmlReport(html, compareHtmlInput(outcome));
  if (opts.json) {
    process.stdout.write(JSON.stringify(outcome.report, null, 2) + '\n');
    return 0;
  }
  const r = outcome.report;
  const lines = [compareTables(r, top), ''];
  const notes = [r.windows_rule, ...r.assumptions.map((a) => `assumed: ${a}`), ...r.warnings.map((w) => `data: ${w}`)];
  lines.push('Notes:', ...notes.map((n) => `  - ${n}`), '');
  lines.push(`Wrote ${paths.json}, ${paths.csv}, ${paths.windows}, ${html}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
