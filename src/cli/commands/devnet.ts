/**
 * `dtao devnet`: a local node that speaks the Substrate JSON-RPC protocol with a
 * subtensor-compatible runtime, its blocks produced by the market simulator. Point the chain
 * adapter (or any @polkadot/api client) at the printed ws:// URL.
 */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { startDevnet } from '../../devnet/server.ts';
import { createMarketSim } from '../../sim/market.ts';
import type { MarketSimOptions } from '../../sim/market.ts';
import { intFlag } from '../common.ts';
import { createLogger, parseLogLevel } from '../logger.ts';

interface Options {
  port: string;
  host: string;
  scenario: string;
  seed: string;
  subnets?: string;
  blockTime: string;
  startBlock?: string;
  startTime?: string;
  window: string;
  logFile?: string;
  logLevel: string;
}

export function register(program: Command): void {
  program
    .command('devnet')
    .description('run a local subtensor-like node (WebSocket JSON-RPC) whose blocks come from the market simulator')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '9944')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('-s, --scenario <name|file>', 'simulator scenario (a name from config/scenarios or a .json path)', 'mixed')
    .option('--seed <N>', 'simulator seed', '1')
    .option('--subnets <N>', 'number of subnets (default: the scenario\'s)')
    .option('--block-time <ms>', 'milliseconds between blocks', '12000')
    .option('--start-block <N>', 'first block number (default 1000000)')
    .option('--start-time <iso>', 'time of the first block, ISO UTC (default 2026-01-01T00:00:00Z)')
    .option('--window <blocks>', 'blocks whose state is kept; older reads fail as on a pruned node', '4096')
    .option('--log-file <file>', 'also write JSON-lines logs to this file')
    .option('--log-level <level>', 'trace, debug (one line per block), info, warn, error', 'info')
    .action(async (opts: Options) => {
      process.exitCode = await devnet(opts);
    });
}

async function devnet(opts: Options): Promise<number> {
  const level = parseLogLevel(opts.logLevel);
  const port = intFlag('--port', opts.port, 0);
  if (port > 65535) throw new UserError(`--port ${port}: ports go up to 65535`);
  const seed = intFlag('--seed', opts.seed, 0);
  const blockTimeMs = intFlag('--block-time', opts.blockTime, 1);
  const stateWindow = intFlag('--window', opts.window, 2);
  const simOpts: MarketSimOptions = { scenario: opts.scenario, seed };
  if (opts.subnets !== undefined) simOpts.subnets = intFlag('--subnets', opts.subnets, 1);
  if (opts.startBlock !== undefined) simOpts.startBlock = intFlag('--start-block', opts.startBlock, 1);
  if (opts.startTime !== undefined) {
    if (Number.isNaN(Date.parse(opts.startTime))) throw new UserError(`--start-time ${opts.startTime}: expected an ISO UTC time such as 2026-01-01T00:00:00Z`);
    simOpts.startTime = opts.startTime;
  }
  const { logger, close } = createLogger({ name: 'devnet', level, file: opts.logFile });
  try {
    const sim = createMarketSim(simOpts);
    let failed: unknown;
    let wake: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const server = await startDevnet({
      source: sim,
      host: opts.host,
      port,
      blockTimeMs,
      stateWindow,
      genesisLabel: `${opts.scenario}/${seed}/${simOpts.subnets ?? ''}/${simOpts.startBlock ?? ''}/${simOpts.startTime ?? ''}`,
      onBlock: (b) => logger.debug({ block: b.number, hash: b.hash, spec: b.specVersion }, 'block'),
      onError: (err) => {
        failed = err;
        logger.error({ err: (err as Error)?.message ?? String(err) }, 'the simulator failed; stopping');
        wake();
      },
    }).catch((err: NodeJS.ErrnoException) => {
      if (err?.code === 'EADDRINUSE') throw new UserError(`--port ${port}: address ${opts.host}:${port} is in use; choose another port (or --port 0 for any free one)`);
      if (err?.code === 'EADDRNOTAVAIL') throw new UserError(`--host ${opts.host}: not an address of this machine`);
      throw err;
    });
    process.stdout.write(`devnet listening on ${server.url} (block ${server.bestNumber}, one block every ${blockTimeMs} ms; Ctrl-C to stop)\n`);
    logger.info({ url: server.url, scenario: opts.scenario, seed, block: server.bestNumber, genesis: server.genesisHash }, 'devnet started');
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping');
      wake();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    await done;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await server.close();
    logger.info({ block: server.bestNumber }, 'devnet stopped');
    if (failed !== undefined) throw failed;
    return 0;
  } finally {
    close();
  }
}
