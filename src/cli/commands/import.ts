/** `dtao import taostats`: Taostats pool history into a dtao-snapshots/1 file, resumable and within the rate limit. */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { systemClock } from '../../history/clock.ts';
import { formOf } from '../../history/convert.ts';
import { checkOutputFolder } from '../../data/io-errors.ts';
import { grouped } from '../../history/inspect-text.ts';
import { DEFAULT_BASE_URL, normalizeBaseUrl } from '../../history/taostats/client.ts';
import { importTaostats, type ImportEvent } from '../../history/taostats/import.ts';
import { FREQUENCIES, type Frequency } from '../../history/taostats/periods.ts';
import { formatSeconds, progress } from '../progress.ts';

interface TaostatsOptions {
  apiKey?: string;
  netuid: string;
  from: string;
  to: string;
  frequency: string;
  out: string;
  baseUrl?: string;
  rateLimit: string;
}

export function register(program: Command): void {
  const imp = program
    .command('import')
    .description('bring pool history from an outside source into a dtao-snapshots/1 file');
  imp
    .command('taostats')
    .description('read Taostats pool history (GET /api/dtao/pool/history/v1), merge the per-subnet rows into one snapshot per hour or day, and append them to --out; re-running with the same --out continues after the last snapshot written')
    .option('--api-key <key>', 'Taostats API key (default: $TAOSTATS_API_KEY; the environment keeps it out of your shell history)')
    .option('--netuid <all|N,...>', 'subnets: all, or a list such as 1,3,64 or 1-10', 'all')
    .requiredOption('--from <date>', 'first day or instant, UTC: 2026-08-01 or 2026-08-01T06:00:00Z')
    .requiredOption('--to <date>', 'last day (included) or instant, UTC: 2026-08-21 or 2026-08-21T18:00:00Z')
    .option('--frequency <by_hour|by_day>', 'one snapshot per UTC hour or per UTC day', 'by_hour')
    .requiredOption('-o, --out <file>', 'JSON Lines file to create or continue (.jsonl)')
    .option('--base-url <url>', `API base URL (default: $TAOSTATS_BASE_URL, else ${DEFAULT_BASE_URL})`)
    .option('--rate-limit <per-minute>', 'most requests per minute (the free tier allows 5)', '5')
    .action(async (opts: TaostatsOptions) => {
      process.exitCode = await importFromTaostats(opts);
    });
}

async function importFromTaostats(opts: TaostatsOptions): Promise<number> {
  const apiKey = (opts.apiKey ?? process.env.TAOSTATS_API_KEY ?? '').trim();
  if (!apiKey) throw new UserError('no Taostats API key: pass --api-key or set TAOSTATS_API_KEY (get a key at taostats.io)');
  // An HTTP header cannot carry these; fetch would fail on every attempt.
  if (/[^\x20-\x7e]/.test(apiKey)) throw new UserError('the Taostats API key holds a control or non-ASCII character; copy it again from taostats.io');
  const frequency = opts.frequency as Frequency;
  if (!FREQUENCIES.includes(frequency)) throw new UserError(`--frequency ${opts.frequency}: expected by_hour or by_day`);
  const netuids = netuidFlag(opts.netuid);
  const fromMs = dateFlag('--from', opts.from, 'start');
  const toMs = dateFlag('--to', opts.to, 'end');
  if (fromMs >= toMs) throw new UserError(`--from ${opts.from} is not before --to ${opts.to}; give the earlier date first`);
  const rateLimit = Number(opts.rateLimit);
  if (!(rateLimit > 0) || !Number.isFinite(rateLimit)) throw new UserError(`--rate-limit ${opts.rateLimit}: expected a number of requests per minute above 0`);
  const baseUrl = opts.baseUrl !== undefined
    ? normalizeBaseUrl(opts.baseUrl, '--base-url')
    : process.env.TAOSTATS_BASE_URL ? normalizeBaseUrl(process.env.TAOSTATS_BASE_URL, 'TAOSTATS_BASE_URL') : DEFAULT_BASE_URL;
  if (formOf(opts.out) !== 'jsonl') throw new UserError(`--out ${opts.out}: the importer writes JSON Lines; name it .jsonl (dtao convert makes a CSV of it afterwards)`);
  checkOutputFolder(opts.out, '--out');

  const bar = progress('importing from Taostats');
  const onEvent = (e: ImportEvent) => {
    switch (e.kind) {
      case 'progress':
        bar.update(e.doneMs, e.totalMs);
        break;
      case 'retry':
        bar.done();
        process.stderr.write(`taostats: ${e.problem}; trying again in ${formatSeconds(e.waitMs / 1000)} (attempt ${e.nextAttempt} of ${e.maxAttempts})\n`);
        break;
      case 'resume':
        if (e.repairedBytes > 0) process.stderr.write(`${opts.out}: cut off ${e.repairedBytes} bytes of an unfinished last line (an earlier run was interrupted)\n`);
        process.stderr.write(`${opts.out}: continuing after block ${e.afterBlock} (${e.afterTime})\n`);
        break;
      default:
        break;
    }
  };
  let r;
  try {
    r = await importTaostats({ out: opts.out, apiKey, baseUrl, netuids, fromMs, toMs, frequency, rateLimit, clock: systemClock, onEvent });
  } finally {
    bar.done();
  }
  const lines: string[] = [];
  if (r.upToDate) lines.push(`${opts.out} already reaches past --to (last block ${r.resumedAfterBlock}); nothing to fetch`);
  else if (r.written === 0) lines.push(`No new snapshots for ${opts.out} (its last block is ${r.resumedAfterBlock}); ${r.requests} request(s)`);
  else {
    lines.push(`Wrote ${grouped(r.written)} snapshot(s) to ${opts.out} (blocks ${grouped(r.firstBlock!)} .. ${grouped(r.lastBlock!)}${r.resumedAfterBlock !== undefined ? `, continuing after ${grouped(r.resumedAfterBlock)}` : ''}); ${r.requests} request(s), ${r.retries} retried, ${grouped(r.rowsRead)} rows read`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** "all", or netuids and ranges: "1,3,64", "1-10". */
export function netuidFlag(value: string): 'all' | number[] {
  const v = value.trim().toLowerCase();
  if (v === 'all') return 'all';
  const out = new Set<number>();
  for (const part of v.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new UserError(`--netuid ${value}: expected all, or netuids such as 1,3,64 or a range such as 1-10`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UserError(`--netuid ${value}: the range ${part.trim()} runs backwards`);
    if (a === 0) throw new UserError('--netuid 0 is root, which has no pool; give subnets 1 and up');
    if (b > 65535) throw new UserError(`--netuid ${value}: netuids go up to 65535`);
    for (let n = a; n <= b; n++) out.add(n);
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * A UTC date ("2026-08-01") or instant ("2026-08-01T06:00:00Z"; no zone means UTC) in epoch ms.
 * As an 'end', a date means the end of that day and an instant is included.
 */
export function dateFlag(flag: string, value: string, side: 'start' | 'end'): number {
  const v = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (day) {
    const ms = Date.parse(`${v}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v) throw new UserError(`${flag} ${value}: not a calendar date`);
    return side === 'end' ? ms + 86_400_000 : ms;
  }
  const m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.exec(v);
  const ms = m ? Date.parse(m[3] ? v : `${v}Z`) : NaN;
  if (Number.isNaN(ms)) throw new UserError(`${flag} ${value}: expected a UTC date such as 2026-08-01 or an instant such as 2026-08-01T06:00:00Z`);
  return side === 'end' ? ms + 1 : ms;
}
