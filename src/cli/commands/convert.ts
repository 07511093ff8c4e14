/** `dtao convert <in> <out>`: JSON Lines <-> long CSV, value for value, validated, written atomically. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { checkDataFile } from '../../data/load.ts';
import { convertSnapshotsFile } from '../../history/convert.ts';
import { checkOutputFolder } from '../../data/io-errors.ts';
import { grouped } from '../../history/inspect-text.ts';
import { progress } from '../progress.ts';

interface Options {
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('convert')
    .argument('<in>', 'data file to read (.jsonl or .csv)')
    .argument('<out>', 'file to write, in the other form (.csv or .jsonl)')
    .description('convert a dtao-snapshots/1 file between JSON Lines and the long CSV form (one row per subnet per snapshot); amounts keep their exact digits, so a round trip gives the same file')
    .option('-f, --force', 'replace <out> if it exists')
    .action((input: string, output: string, opts: Options) => {
      process.exitCode = convert(input, output, opts);
    });
}

function convert(input: string, output: string, opts: Options): number {
  if (!existsSync(input)) throw new UserError(`${input}: no such file (give a dtao-snapshots/1 .jsonl or .csv file to convert)`);
  const size = checkDataFile(input);
  if (resolve(input) === resolve(output)) throw new UserError(`<in> and <out> are the same file (${input}); write the conversion to a new file`);
  checkOutputFolder(output, '<out>');
  if (existsSync(output) && !opts.force) throw new UserError(`${output} exists; pass --force to replace it, or choose another name`);
  const bar = progress(`converting ${input}`);
  let result;
  try {
    result = convertSnapshotsFile(input, output, size, { onProgress: (a, b) => bar.update(a, b) });
  } finally {
    bar.done();
  }
  const form = result.to === 'csv' ? 'CSV' : 'JSON Lines';
  const lines = [`Wrote ${output} (${form}): ${grouped(result.snapshots)} snapshots, ${grouped(result.rows)} subnet rows${result.hasHeader ? ', with the header' : ''}`];
  if (result.columns) lines.push(`Columns: ${result.columns.join(',')}`);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
