/**
 * `dtao paper`: paper-trades a strategy against a subtensor node. Each tick reads a snapshot,
 * steps the strategy through the same engine as the backtester, simulates the fills, has the
 * chain quote them, and saves the state. Never signs or submits anything.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { checkEndpoint, connectChain } from '../../chain/client.ts';
import { checkSchedule } from '../../chain/recorder.ts';
import { UserError } from '../../core/errors.ts';
import { DEFAULT_RUN_CONFIG, loadRunConfig } from '../../config/run-config.ts';
import { assignParamFlags, loadStrategy, resolveParams } from '../../strategy/loader.ts';
import { DEFAULT_PAPER_SCHEDULE, runPaper } from '../../paper/loop.ts';
import type { TickOutcome } from '../../paper/session.ts';
import { STRATEGY_RUN } from '../../paper/state.ts';
import { tao } from '../../report/table.ts';
import { amountFlag, collect, intFlag } from '../common.ts';
import { captureLibraryConsole, createLogger, parseLogLevel } from '../logger.ts';
import { DEFAULT_ENDPOINT } from './record.ts';

interface Options {
  strategy: string;
  endpoint: string;
  schedule: string;
  state: string;
  capital?: string;
  config?: string;
  param?: string[];
  once?: boolean;
  record?: string;
  reset?: boolean;
  logFile?: string;
  logLevel: string;
  quiet?: boolean;
  timeout: string;
  stopTimeout: string;
}

export function register(program: Command): void {
  program
    .command('paper')
    .description('paper-trade a strategy against a subtensor node on a schedule: simulated fills through the backtester\'s engine, crash-safe state, chain quotes as a check of the pool model (never signs or submits anything)')
    .requiredOption('-s, --strategy <name|path>', 'strategy: a built-in name or a .ts file')
    .option('-e, --endpoint <url>', 'subtensor node WebSocket URL', DEFAULT_ENDPOINT)
    .option('--schedule <cron>', 'when to tick: cron expression, 5 fields or 6 with seconds first; hourly by default, a tempo being 72 min', DEFAULT_PAPER_SCHEDULE)
    .option('--state <file>', 'state file (JSON); its history goes to <file>.history.jsonl and its log to <file>.log', 'paper.json')
    .option('--capital <TAO>', 'starting capital in TAO (default: the config\'s, 1000)')
    .option('-c, --config <file>', 'run configuration: model, params, capital (see config/default.json)')
    .option('-p, --param <key=value>', 'strategy parameter (repeatable)', collect)
    .option('--once', 'one tick now, then exit')
    .option('--record <file>', 'also append every snapshot ticked on to this dtao-snapshots/1 file (backtest it to check parity)')
    .option('--reset', 'discard an existing state file and its history, and start over')
    .option('--log-file <file>', 'JSON-lines log file (default: <state>.log)')
    .option('--log-level <level>', 'trace, debug, info, warn, error', 'info')
    .option('-q, --quiet', 'no log lines on the terminal (the log file still gets them)')
    .option('--timeout <seconds>', 'timeout of each request to the node', '30')
    .option('--stop-timeout <seconds>', 'on Ctrl-C / SIGTERM, how long a running tick may take to finish before it is abandoned (a second Ctrl-C abandons it at once)', '20')
    .action(async (opts: Options) => {
      process.exitCode = await paper(opts);
    });
}

function outcomeLine(state: string, o: TickOutcome | undefined): string {
  if (!o) return `${state}: no tick`;
  switch (o.kind) {
    case 'ticked': {
      const t = o.tick;
      const m = t.marks[STRATEGY_RUN];
      const trades = m.fills.filter((f) => f.status !== 'rejected' && (f.type === 'stake' || f.type === 'unstake' || f.type === 'move')).length;
      const rejected = m.fills.filter((f) => f.status === 'rejected').length;
      return `${state}: tick ${t.seq} at block ${t.block}: ${trades} trade(s)${rejected ? `, ${rejected} rejected` : ''}; value ${tao(m.value_spot, 4)} TAO at spot, ${tao(m.value_liquidation, 4)} at liquidation (100% root: ${tao(t.marks.root_100.value_spot, 4)})`;
    }
    case 'not-newer':
      return `${state}: block ${o.block} is not newer than the last tick (block ${o.lastBlock}); nothing done`;
    case 'abandoned':
      return `${state}: tick abandoned; nothing saved`;
    default:
      return `${state}: tick skipped: ${o.error}`;
  }
}

async function paper(opts: Options): Promise<number> {
  const level = parseLogLevel(opts.logLevel);
  const timeoutMs = intFlag('--timeout', opts.timeout, 1) * 1000;
  const stopTimeoutMs = intFlag('--stop-timeout', opts.stopTimeout, 0) * 1000;
  checkEndpoint(opts.endpoint);
  if (!opts.once) checkSchedule(opts.schedule);
  const cfg = opts.config ? loadRunConfig(opts.config) : DEFAULT_RUN_CONFIG;
  const loaded = await loadStrategy(opts.strategy);
  const flags = assignParamFlags(opts.param ?? [], [loaded.strategy]);
  const params = resolveParams(loaded.strategy, { ...(cfg.params[loaded.strategy.name] ?? {}), ...flags.get(loaded.strategy.name) });
  const capital = opts.capital !== undefined ? amountFlag('--capital', opts.capital) : cfg.capital;
  if (capital <= 0n) throw new UserError('--capital must be more than 0');
  const statePath = resolve(opts.state);
  const record = opts.record !== undefined ? resolve(opts.record) : undefined;

  const { logger, close } = createLogger({ name: 'paper', level, file: opts.logFile ?? `${statePath}.log`, terminal: !opts.quiet });
  const restoreConsole = captureLibraryConsole(logger);
  try {
    const client = await connectChain({ endpoint: opts.endpoint, requestTimeoutMs: timeoutMs, log: logger });
    const stop = new AbortController();
    const abandon = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (stop.signal.aborted) {
        logger.warn({ signal }, 'stopping now');
        abandon.abort();
        return;
      }
      logger.info({ signal }, 'stopping (again to abandon a running tick at once)');
      stop.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const summary = await runPaper({
        statePath, strategy: loaded, params, model: cfg.model, capital, chain: client, schedule: opts.schedule, once: opts.once,
        record, reset: opts.reset, log: logger, signal: stop.signal, abandonSignal: abandon.signal, stopTimeoutMs,
      });
      if (opts.once) {
        const o = summary.last;
        if (o && (o.kind === 'read-failed' || o.kind === 'strategy-failed' || o.kind === 'bad-snapshot')) throw new UserError(outcomeLine(opts.state, o));
        process.stdout.write(`${outcomeLine(opts.state, o)}\n`);
      } else {
        process.stdout.write(`${opts.state}: ${summary.ticked} tick(s) this session (${summary.ticks} in all), ${summary.skipped} skipped, ${summary.failed} failed\n`);
      }
      return 0;
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
