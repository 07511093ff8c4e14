/** `dtao lookahead-check`: re-run a strategy on truncated histories and report decisions that used the future. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { DEFAULT_RUN_CONFIG, loadRunConfig } from '../../config/run-config.ts';
import { runLookaheadCheck, type LookaheadReport } from '../../research/lookahead/lookahead.ts';
import { amountFlag, collect, intFlag, loadData, rangeOf } from '../common.ts';
import { progress } from '../progress.ts';

interface Options {
  strategy: string;
  data?: string;
  config?: string;
  param?: string[];
  from?: string;
  to?: string;
  cuts: string;
  capital?: string;
  json?: boolean;
  cache: boolean;
}

export function register(program: Command): void {
  program
    .command('lookahead-check')
    .description('re-run a strategy on histories cut short and report any decision that changes when future data is removed, state kept between runs, or reads of the data file itself; exits 1 if it finds any')
    .requiredOption('-s, --strategy <name|path>', 'strategy: a built-in name or a .ts file')
    .option('-d, --data <file>', 'dtao-snapshots/1 data (.jsonl or .csv)')
    .option('-c, --config <file>', 'run configuration (capital, params, market model)')
    .option('-p, --param <key=value>', 'strategy parameter (repeatable)', collect)
    .option('--from <block|date>', 'first snapshot to trade at')
    .option('--to <block|date>', 'last snapshot')
    .option('--cuts <N|all>', 'cut the data after N snapshots spread over the range, or after every one', '20')
    .option('--capital <TAO>', 'starting capital in TAO (default 1000)')
    .option('--json', 'print the result as JSON')
    .option('--no-cache', 'parse the data file even if a cached copy exists')
    .action(async (opts: Options) => {
      process.exitCode = await check(opts);
    });
}

function parseParams(flags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UserError(`--param ${f}: expected key=value`);
    out[f.slice(0, eq)] = f.slice(eq + 1);
  }
  return out;
}

function describe(r: LookaheadReport): string {
  const d = r.data;
  const head = `${r.strategy} on ${d.file}: ${d.snapshots} snapshots; data cut after ${r.cut_blocks.length} point(s), ${r.decisions_compared} decisions compared with the full run`;
  if (r.ok) return `${head}\nOK: no decision changed when future data was removed, a second run decided the same, and the strategy did not read the data file.`;
  const lines = [head, `FOUND ${r.findings.length} problem(s):`];
  for (const f of r.findings) {
    lines.push(`  - ${f.kind}: ${f.message}`);
    if (f.full_run !== undefined) {
      const other = f.kind === 'state-across-runs' ? 'second run:' : 'without later data:';
      lines.push(`      full run:            ${f.full_run}`, `      ${other.padEnd(20)} ${f.other_run}`);
    }
  }
  return lines.join('\n');
}

async function check(opts: Options): Promise<number> {
  const cfg = opts.config ? loadRunConfig(opts.config) : DEFAULT_RUN_CONFIG;
  const cuts = opts.cuts === 'all' ? 'all' : intFlag('--cuts', opts.cuts, 1);
  const capital = opts.capital !== undefined ? amountFlag('--capital', opts.capital) : cfg.capital;
  if (capital <= 0n) throw new UserError('--capital must be more than 0');
  const dataPath = resolve(opts.data ?? cfg.data);
  const { dataset, contentHash } = loadData(dataPath, { cache: opts.cache });
  const [from, to] = rangeOf(dataset, opts.from, opts.to);
  if (to - from < 1) throw new UserError('lookahead-check needs at least two snapshots in the range');
  // The strategy is loaded inside the check, with the file watch already on, so reads made
  // when its module loads are seen too. Config params are matched to it there by name.
  const flagParams = parseParams(opts.param ?? []);
  const bar = progress('lookahead-check');
  let report;
  try {
    report = await runLookaheadCheck({
      data: dataset, sha256: contentHash, dataPath, strategyRef: opts.strategy, params: flagParams, configParams: cfg.params, model: cfg.model, capital, from, to, cuts,
      onProgress: (a, b) => bar.update(a, b),
    });
  } finally {
    bar.done();
  }
  process.stdout.write((opts.json ? JSON.stringify(report, null, 2) : describe(report)) + '\n');
  return report.ok ? 0 : 1;
}
