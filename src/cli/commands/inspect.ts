/** `dtao inspect <file>`: what a data file covers and whether it can be trusted; `--strict` to guard a pipeline. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.ts';
import { checkDataFile, isCsvPath } from '../../data/load.ts';
import { INSPECT_DEFAULTS, inspectDataset } from '../../history/inspect.ts';
import { renderInspectText } from '../../history/inspect-text.ts';
import { intFlag, loadData } from '../common.ts';

interface Options {
  json?: boolean;
  strict?: boolean;
  maxGap: string;
  priceTolerance: string;
  maxJump: string;
  top: string;
  cache: boolean;
}

/** Exit code of `--strict` when a check fails (1 is kept for errors such as an unreadable file). */
export const STRICT_FAILURE_EXIT = 3;

export function register(program: Command): void {
  program
    .command('inspect')
    .argument('<file>', 'dtao-snapshots/1 data (.jsonl or .csv)')
    .description('report the blocks and time a data file covers, its cadence, gaps, subnets appearing, disappearing and renamed, prices that disagree with reserves, sudden reserve jumps and which optional fields are present')
    .option('--json', 'print the report as one JSON object')
    .option('--strict', `exit with code ${STRICT_FAILURE_EXIT} when any check fails`)
    .option('--max-gap <duration>', 'longest allowed interval between snapshots: "auto" (3 x the median interval) or e.g. 90m, 6h, 2d (a bare number is hours)', 'auto')
    .option('--price-tolerance <fraction>', 'allowed distance of a given price from the reserves\' price, e.g. 0.01 or 1%', String(INSPECT_DEFAULTS.priceTolerance))
    .option('--max-jump <fraction>', 'largest allowed change of tao_in or alpha_in between consecutive snapshots, e.g. 0.5 or 50%', String(INSPECT_DEFAULTS.maxJump))
    .option('--top <n>', 'findings listed per check', String(INSPECT_DEFAULTS.top))
    .option('--no-cache', 'parse the data file even if a cached copy exists')
    .action((file: string, opts: Options) => {
      process.exitCode = inspect(file, opts);
    });
}

function inspect(file: string, opts: Options): number {
  if (!existsSync(file)) throw new UserError(`${file}: no such file (give a dtao-snapshots/1 .jsonl or .csv file)`);
  const size = checkDataFile(file);
  const maxGapSeconds = opts.maxGap === 'auto' ? undefined : durationFlag('--max-gap', opts.maxGap);
  const priceTolerance = fractionFlag('--price-tolerance', opts.priceTolerance);
  const maxJump = fractionFlag('--max-jump', opts.maxJump);
  const top = intFlag('--top', opts.top, 0);
  const { dataset } = loadData(file, { cache: opts.cache });
  const report = inspectDataset(dataset, { maxGapSeconds, priceTolerance, maxJump, top });
  if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(renderInspectText(report, { path: file, bytes: size, form: isCsvPath(file) ? 'CSV' : 'JSON Lines' }) + '\n');
  return opts.strict && !report.ok ? STRICT_FAILURE_EXIT : 0;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86400 };

/** "90m", "6h", "2d", "3600s" or a bare number of hours, in seconds. */
export function durationFlag(flag: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?\s*$/i.exec(value);
  if (!m) throw new UserError(`${flag} ${value}: expected a duration such as 90m, 6h or 2d (a bare number is hours), or "auto"`);
  const seconds = Number(m[1]) * UNIT_SECONDS[(m[2] ?? 'h').toLowerCase()]!;
  if (!(seconds > 0)) throw new UserError(`${flag} ${value}: must be more than 0`);
  return seconds;
}

/** "0.01" or "1%" as a fraction. */
export function fractionFlag(flag: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(value);
  if (!m) throw new UserError(`${flag} ${value}: expected a fraction such as 0.01 or a percentage such as 1%`);
  const x = Number(m[1]) / (m[2] ? 100 : 1);
  if (!(x >= 0) || !Number.isFinite(x)) throw new UserError(`${flag} ${value}: must be 0 or more`);
  return x;
}
