/**
 * `dtao record`: reads snapshots of every subnet from a subtensor node and appends them to a
 * dtao-snapshots/1 file, once or on a cron schedule, until Ctrl-C / SIGTERM.
 */
import type { Command } from 'commander';
import { checkEndpoint, connectChain } from '../../chain/client.ts';
import { ChainReadError } from '../../chain/errors.ts';
import { DEFAULT_RECORD_SCHEDULE, checkSchedule, runRecorder } from '../../chain/recorder.ts';
import { UserError } from '../../core/errors.ts';
import { intFlag } from '../common.ts';
import { captureLibraryConsole, createLogger, parseLogLevel } from '../logger.ts';

export const DEFAULT_ENDPOINT = 'wss://entrypoint-finney.opentensor.ai:443';

interface Options {
  endpoint: string;
  out: string;
  schedule: string;
  once?: boolean;
  logFile?: string;
  logLevel: string;
  quiet?: boolean;
  timeout: string;
}

export function register(program: Command): void {
  program
    .command('record')
    .description('append snapshots of every subnet, read from a subtensor node, to a dtao-snapshots/1 file (once, or on a cron schedule)')
    .option('-e, --endpoint <url>', 'subtensor node WebSocket URL', DEFAULT_ENDPOINT)
    .requiredOption('-o, --out <file>', 'snapshots file to append to (created with its header if missing)')
    .option('--schedule <cron>', 'when to read: cron expression, 5 fields or 6 with seconds first (default hourly: a tempo is 72 min)', DEFAULT_RECORD_SCHEDULE)
    .option('--once', 'read and append one snapshot, then exit')
    .option('--log-file <file>', 'JSON-lines log file (default: <out>.log)')
    .option('--log-level <level>', 'trace, debug, info, warn, error', 'info')
    .option('-q, --quiet', 'no log lines on the terminal (the log file still gets them)')
    .option('--timeout <seconds>', 'timeout of each request to the node', '30')
    .action(async (opts: Options) => {
      process.exitCode = await record(opts);
    });
}

async function record(opts: Options): Promise<number> {
  const level = parseLogLevel(opts.logLevel);
  const timeoutMs = intFlag('--timeout', opts.timeout, 1) * 1000;
  checkEndpoint(opts.endpoint);
  if (!opts.once) checkSchedule(opts.schedule);
  const { logger, close } = createLogger({ name: 'record', level, file: opts.logFile ?? `${opts.out}.log`, terminal: !opts.quiet });
  const restoreConsole = captureLibraryConsole(logger);
  try {
    const client = await connectChain({ endpoint: opts.endpoint, requestTimeoutMs: timeoutMs, log: logger });
    const stop = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping');
      stop.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const summary = await runRecorder({
        source: client, out: opts.out, schedule: opts.schedule, once: opts.once, log: logger, signal: stop.signal,
      });
      if (opts.once) {
        const what = summary.appended ? `appended block ${summary.lastBlock}` : `block already in the file (last block ${summary.lastBlock})`;
        process.stdout.write(`${opts.out}: ${what}\n`);
      } else {
        process.stdout.write(`${opts.out}: ${summary.appended} snapshot(s) appended, ${summary.skipped} already present, ${summary.failed} failed read(s)\n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof ChainReadError) throw new UserError(`could not read a snapshot from ${opts.endpoint}: ${err.message}`);
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await client.disconnect().catch(() => {});
    }
  } finally {
    restoreConsole();
    close();
  }
}
