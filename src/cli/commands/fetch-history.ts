/**
 * `dtao fetch-history`: snapshots of every subnet at sampled past blocks of a subtensor archive
 * node, appended in block order to a dtao-snapshots/1 file; re-running with the same --out
 * continues after the last block written.
 */
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { checkEndpoint, connectChain } from '../../chain/client.ts';
import { UserError } from '../../core/errors.ts';
import { formOf } from '../../history/convert.ts';
import { ARCHIVE_ENDPOINT, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, fetchHistory } from '../../history/fetch-history.ts';
import type { FetchSummary } from '../../history/fetch-history.ts';
import type { FromBound, ToBound } from '../../history/fetch-range.ts';
import { checkOutputFolder } from '../../data/io-errors.ts';
import { intFlag } from '../common.ts';
import { captureLibraryConsole, createLogger, parseLogLevel } from '../logger.ts';
import { progress, type Progress } from '../progress.ts';
import { dateFlag } from './import.ts';

/** 300 blocks: one hour of 12-second blocks. */
export const DEFAULT_EVERY = 300;
/** Exit code of a run stopped with Ctrl-C / SIGTERM (the file is valid; a re-run continues). */
export const INTERRUPTED_EXIT = 130;

interface Options {
  endpoint: string;
  from: string;
  to?: string;
  every: string;
  out: string;
  concurrency: string;
  timeout: string;
  retries: string;
  logFile?: string;
  logLevel: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('fetch-history')
    .description(
      'read snapshots of every subnet at past blocks (from, from+every, ... up to --to) from a subtensor archive node and append them to a dtao-snapshots/1 file; ' +
        're-running with the same --out continues after the last block written',
    )
    .option('-e, --endpoint <url>', 'subtensor archive node WebSocket URL', ARCHIVE_ENDPOINT)
    .requiredOption('--from <block|time>', 'first block: a block number, or a UTC date (2026-08-01) or instant (2026-08-01T06:00:00Z) meaning the first block at or after it')
    .option('--to <block|time>', 'last block: a block number, or the last block of a UTC date (the whole day counts) or at or before an instant (default: the finalized head)')
    .option('--every <blocks>', `blocks between samples (${DEFAULT_EVERY} = one hour); --to is included when it falls on the grid`, String(DEFAULT_EVERY))
    .requiredOption('-o, --out <file>', 'JSON Lines file to create or continue (.jsonl)')
    .option('--concurrency <n>', `snapshot reads at once (1..${MAX_CONCURRENCY}); lines are still written in block order`, String(DEFAULT_CONCURRENCY))
    .option('--timeout <seconds>', 'timeout of each request to the node', '30')
    .option('--retries <n>', 'retries of a failed read, waiting 1 s, 2 s, 4 s ... (at most 30 s) in between', '5')
    .option('--log-file <file>', 'also write JSON-lines logs to this file')
    .option('--log-level <level>', 'trace, debug, info, warn, error', 'info')
    .option('-q, --quiet', 'no log lines on the terminal (errors and the summary still show)')
    .action(async (opts: Options) => {
      process.exitCode = await fetchHistoryCommand(opts);
    });
}

const BOUND_HELP = 'a block number (e.g. 4920351), a UTC date (2026-08-01) or a UTC instant (2026-08-01T06:00:00Z)';

function blockNumber(flag: string, value: string): number | undefined {
  const v = value.trim();
  if (!/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new UserError(`${flag} ${value}: too large for a block number`);
  return n;
}

function timeFlag(flag: string, value: string, side: 'start' | 'end'): number {
  try {
    return dateFlag(flag, value, side);
  } catch {
    throw new UserError(`${flag} ${value}: expected ${BOUND_HELP}`);
  }
}

export function fromFlag(value: string): FromBound {
  const block = blockNumber('--from', value);
  if (block !== undefined) {
    if (block < 1) throw new UserError(`--from ${value}: block 0 is the genesis block, which holds no market state; start at block 1 or later`);
    return { block };
  }
  return { atOrAfterMs: timeFlag('--from', value, 'start'), text: value.trim() };
}

export function toFlag(value: string | undefined): ToBound {
  if (value === undefined || value.trim() === 'head') return 'head';
  const block = blockNumber('--to', value);
  if (block !== undefined) {
    if (block < 1) throw new UserError(`--to ${value}: give a block of 1 or more`);
    return { block };
  }
  return { beforeMs: timeFlag('--to', value, 'end'), text: value.trim() };
}

/** The order of --from and --to when it shows without the chain (both blocks, or both times). */
function checkOrder(from: FromBound, to: ToBound, fromText: string, toText: string | undefined): void {
  if (to === 'head') return;
  const bad = 'block' in from && 'block' in to
    ? from.block > to.block
    : 'atOrAfterMs' in from && 'beforeMs' in to && from.atOrAfterMs >= to.beforeMs;
  if (bad) throw new UserError(`--from ${fromText} is after --to ${toText}: nothing to fetch; give the earlier one as --from`);
}

async function fetchHistoryCommand(opts: Options): Promise<number> {
  const level = parseLogLevel(opts.logLevel);
  checkEndpoint(opts.endpoint);
  const from = fromFlag(opts.from);
  const to = toFlag(opts.to);
  checkOrder(from, to, opts.from, opts.to);
  const every = intFlag('--every', opts.every, 1);
  const concurrency = intFlag('--concurrency', opts.concurrency, 1);
  if (concurrency > MAX_CONCURRENCY) throw new UserError(`--concurrency ${concurrency}: at most ${MAX_CONCURRENCY}`);
  const timeoutMs = intFlag('--timeout', opts.timeout, 1) * 1000;
  const retries = intFlag('--retries', opts.retries, 0);
  if (formOf(opts.out) !== 'jsonl') throw new UserError(`--out ${opts.out}: fetch-history writes JSON Lines; name it .jsonl (dtao convert makes a CSV of it afterwards)`);
  checkOutputFolder(opts.out, '--out');

  // Made when the first block is about to be read, so its ETA does not count connecting and dates.
  let bar: Progress | undefined;
  // Log lines and the progress bar share stderr: clear the bar before each line (it redraws on the next update).
  const terminal = new Writable({
    write(chunk: Buffer, _enc, done) {
      bar?.done();
      process.stderr.write(chunk);
      done();
    },
  });
  const { logger, close } = createLogger({ name: 'fetch-history', level, file: opts.logFile, terminal: opts.quiet ? false : terminal });
  const restoreConsole = captureLibraryConsole(logger);
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal stops at once; the next run cuts off a line the exit may have torn.
    if (stop.signal.aborted) process.exit(INTERRUPTED_EXIT);
    logger.info({ signal }, 'stopping after the reads under way (again to stop at once)');
    stop.abort();
  };
  try {
    const client = await connectChain({
      endpoint: opts.endpoint,
      requestTimeoutMs: timeoutMs,
      retry: { attempts: retries + 1, baseDelayMs: 1000, maxDelayMs: 30_000 },
      reconnectDelayMs: 1000,
      log: logger,
    });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const summary = await fetchHistory({
        source: client, out: opts.out, from, to, every, concurrency, log: logger, signal: stop.signal,
        onProgress: (done, total) => {
          bar ??= progress(`fetching ${opts.out}`);
          bar.update(done, total);
        },
      });
      bar?.done();
      process.stdout.write(summaryText(opts.out, summary));
      return summary.interrupted ? INTERRUPTED_EXIT : 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await client.disconnect().catch(() => {});
    }
  } finally {
    bar?.done();
    restoreConsole();
    close();
  }
}

export function summaryText(out: string, s: FetchSummary): string {
  const lines: string[] = [];
  const grid = `blocks ${s.from} .. ${s.to} every ${s.every}: ${s.planned} sampled block(s)`;
  if (s.written === 0 && !s.interrupted) {
    lines.push(`${out} already holds every sampled block up to ${s.to} (last block ${s.lastBlock}; ${grid}); nothing to fetch`);
  } else {
    const resumed = s.resumedAfter !== undefined ? `, continuing after block ${s.resumedAfter}` : '';
    const written = s.written ? ` (blocks ${s.firstWritten} .. ${s.lastWritten}${resumed})` : '';
    lines.push(`${s.interrupted ? 'Interrupted: wrote' : 'Wrote'} ${s.written} snapshot(s) to ${out}${written}; ${grid}`);
    if (s.runtimes.length) lines.push(`runtime: ${s.runtimes.map((r) => `spec ${r.specVersion} from block ${r.firstBlock}`).join(', ')}`);
    if (s.interrupted) lines.push(`${out} is valid up to block ${s.lastBlock ?? '(none yet)'}; run the same command again to continue`);
  }
  return lines.join('\n') + '\n';
}
