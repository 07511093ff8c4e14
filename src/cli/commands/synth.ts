/**
 * `dtao synth`: generate a simulated market (src/sim) as a dtao-snapshots/1 file, or list the
 * scenarios. The output goes to --out atomically, or to stdout when --out is absent or "-".
 */
import type { Command } from 'commander';
import { existsSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { formatHeaderLine, formatSnapshotLine, writeSnapshotsFile } from '../../data/writer.ts';
import { DEFAULT_START_BLOCK, DEFAULT_START_TIME } from '../../sim/engine.ts';
import { generateMarket, type GenerateOptions } from '../../sim/generate.ts';
import { listScenarioNames, loadScenario } from '../../sim/scenario.ts';
import { intFlag } from '../common.ts';
import { progress } from '../progress.ts';

interface Options {
  scenario: string;
  list?: boolean;
  subnets?: string;
  days?: string;
  step?: string;
  seed: string;
  out?: string;
  startBlock?: string;
  startTime?: string;
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('generate a simulated dTAO market (positive cycle, stagnation, death spiral, new-subnet launches) as dtao-snapshots/1')
    .option('--scenario <name|path>', 'scenario name (see --list) or a path to a scenario .json file', 'mixed')
    .option('--list', 'list the scenarios, one sentence each')
    .option('--subnets <n>', 'number of subnets (default: the scenario\'s)')
    .option('--days <d>', 'days to simulate (default: the scenario\'s)')
    .option('--step <blocks>', 'blocks between snapshots (default: the scenario\'s; 300 = hourly)')
    .option('--seed <s>', 'random seed; the same seed and parameters give a byte-identical file', '1')
    .option('-o, --out <file>', 'output file (written atomically); "-" or absent: stdout')
    .option('--start-block <b>', `block number of the first snapshot (default ${DEFAULT_START_BLOCK})`)
    .option('--start-time <iso>', `UTC time of the first snapshot (default ${DEFAULT_START_TIME})`)
    .action((opts: Options) => {
      process.exitCode = synth(opts);
    });
}

function listScenarios(): number {
  const names = listScenarioNames();
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((n) => {
    const s = loadScenario(n);
    return `${n.padEnd(width)}  ${s.description}${n === 'mixed' ? ' (default)' : ''}`;
  });
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function positiveNumber(flag: string, value: string): number {
  const x = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(x > 0)) throw new UserError(`${flag} ${value}: expected a number of days above 0, e.g. 90 or 0.5`);
  return x;
}

function checkOutputPath(out: string): string {
  const path = resolve(out);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--out ${out}: directory ${dir} does not exist (create it first)`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UserError(`--out ${out} is a directory; give a file name such as ${out.replace(/\/$/, '')}/market.jsonl`);
  return path;
}

/** Writes lines to stdout synchronously; a closed pipe (e.g. `| head`) ends the output quietly. */
function stdoutWriter(): { write(s: string): boolean; flush(): void } {
  let buf: string[] = [];
  let size = 0;
  let closed = false;
  const flush = () => {
    if (closed || buf.length === 0) return;
    const chunk = buf.join('');
    buf = [];
    size = 0;
    try {
      writeSync(1, chunk);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') closed = true;
      else throw e;
    }
  };
  return {
    write(s) {
      buf.push(s);
      size += s.length;
      if (size > 1 << 20) flush();
      return !closed;
    },
    flush,
  };
}

function synth(opts: Options): number {
  if (opts.list) return listScenarios();
  const scenario = loadScenario(opts.scenario);
  const seed = intFlag('--seed', opts.seed, 0);
  if (!Number.isSafeInteger(seed)) throw new UserError(`--seed ${opts.seed}: too large (at most ${Number.MAX_SAFE_INTEGER})`);
  const gen: GenerateOptions = {
    scenario,
    seed,
    days: opts.days === undefined ? scenario.days : positiveNumber('--days', opts.days),
    step: opts.step === undefined ? scenario.step : intFlag('--step', opts.step, 1),
  };
  if (opts.subnets !== undefined) gen.subnets = intFlag('--subnets', opts.subnets, 1);
  if (opts.startBlock !== undefined) gen.startBlock = intFlag('--start-block', opts.startBlock, 0);
  if (opts.startTime !== undefined) gen.startTime = opts.startTime;
  const toStdout = opts.out === undefined || opts.out === '-';
  const outPath = toStdout ? undefined : checkOutputPath(opts.out!);

  const bar = progress(`synth ${scenario.name}`);
  gen.onProgress = (done, total) => bar.update(done, total);
  const run = generateMarket(gen);
  const header = {
    source: 'dtao synth',
    description: `Simulated dTAO market, scenario "${scenario.name}": ${scenario.description}`,
    scenario: scenario.name,
    seed,
    subnets: run.engine.state.subnets.length,
    days: gen.days,
    step: gen.step,
    start_block: run.engine.startBlock,
    start_time: new Date(run.engine.startTimeMs).toISOString().replace('.000Z', 'Z'),
  };
  try {
    if (outPath) {
      writeSnapshotsFile(outPath, run.snapshots, header);
    } else {
      const out = stdoutWriter();
      out.write(formatHeaderLine(header) + '\n');
      for (const snap of run.snapshots) if (!out.write(formatSnapshotLine(snap) + '\n')) break;
      out.flush();
    }
  } finally {
    bar.done();
  }
  if (outPath) process.stderr.write(`wrote ${run.count} snapshots of ${header.subnets} subnets to ${opts.out}\n`);
  return 0;
}
