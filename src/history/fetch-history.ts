/**
 * `dtao fetch-history`: snapshots of every subnet at sampled past blocks (from, from + every,
 * ... <= to), read through the chain adapter at each block's hash, appended in block order to a
 * `dtao-snapshots/1` file.
 *
 * - Each block is read with that block's own runtime (metadata), so a range may cross runtime
 *   upgrades; what an older runtime does not have is left out of its snapshots.
 * - Reads run a few at a time, but lines are written strictly in block order, each one whole
 *   and fsynced (src/chain/snapshot-file.ts): after a crash the file is a prefix of the run.
 * - Re-running with the same --out continues after the last block in the file; the header
 *   records the chain and the sampling grid, so a file is only continued on the same grid of
 *   the same chain.
 * - The first block is read alone before anything else, so a node that has pruned old state
 *   is found out at once.
 */
import { existsSync, rmSync } from 'node:fs';
import type { BlockRef, ChainLog } from '../chain/client.ts';
import { BlockUnavailableError, ChainReadError } from '../chain/errors.ts';
import { SnapshotFile } from '../chain/snapshot-file.ts';
import type { ChainSnapshot } from '../chain/snapshot-reader.ts';
import { UserError } from '../core/errors.ts';
import type { BlockTimeSource, FromBound, Grid, ReadFailure, ToBound } from './fetch-range.ts';
import { gridCount, nextOnGrid, resolveRange } from './fetch-range.ts';
import { isNoSpace, noSpaceError } from '../data/io-errors.ts';
import { runOrdered } from './ordered-pool.ts';

export const ARCHIVE_ENDPOINT = 'wss://archive.chain.opentensor.ai:443';
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 64;

/** What fetching needs from the chain client (ChainClient has all of it). */
export interface HistorySource extends BlockTimeSource {
  readonly endpoint: string;
  readonly chainName: string;
  readonly genesisHash: string;
  readSnapshot(at: BlockRef): Promise<ChainSnapshot>;
}

export interface FetchHistoryOptions {
  source: HistorySource;
  out: string;
  from: FromBound;
  /** Default: the finalized head. */
  to?: ToBound;
  /** Blocks between samples (>= 1). */
  every: number;
  /** Most snapshot reads at once (default 4). */
  concurrency?: number;
  log?: ChainLog;
  /** Snapshots written so far in this run, of the number this run has to write. */
  onProgress?: (done: number, total: number) => void;
  /** Stops after the reads under way; what they read is still written in order. */
  signal?: AbortSignal;
}

export interface RuntimeSpan {
  specVersion: number;
  /** First block of this run read with that runtime. */
  firstBlock: number;
}

export interface FetchSummary {
  from: number;
  to: number;
  every: number;
  head: number;
  /** Sampled blocks in from..to. */
  planned: number;
  /** Of those, already in the file when the run started. */
  alreadyPresent: number;
  written: number;
  firstWritten: number | undefined;
  lastWritten: number | undefined;
  /** Last block in the file when the run started (undefined: new or empty file). */
  resumedAfter: number | undefined;
  /** Last block in the file now. */
  lastBlock: number | undefined;
  /** Bytes of a torn last line cut off on open. */
  repairedBytes: number;
  /** Runtime versions met in this run, in block order. */
  runtimes: RuntimeSpan[];
  /** Stopped by the signal before the range was done. */
  interrupted: boolean;
  /** Timestamps read to map --from / --to times to blocks (and the head). */
  timeReads: number;
}

const silent: ChainLog = { info: () => {}, warn: () => {}, debug: () => {} };

/** The endpoint without credentials, path or query (a provider may put an API key in either). */
export function endpointOrigin(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'an endpoint';
  }
}

function headerFor(source: HistorySource, grid: Grid): Record<string, unknown> {
  return {
    source: `dtao fetch-history from ${endpointOrigin(source.endpoint)}`,
    chain: source.chainName,
    genesis_hash: source.genesisHash,
    sampling: { first_block: grid.from, every_blocks: grid.every },
    description:
      `Subnet pool state read from a subtensor node every ${grid.every} block(s) from block ${grid.from}: SubtensorModule and Swap storage, ` +
      'prices from SwapRuntimeApi where the block\'s runtime has it (else from the pool curve), all of one snapshot at one block hash. ' +
      'Items a block\'s runtime does not have are left out of that snapshot.',
  };
}

/** Refuses to continue a file of another chain, another grid, or not written by this command. */
function checkContinuable(header: Record<string, unknown>, source: HistorySource, grid: Grid, out: string): void {
  if (typeof header.genesis_hash === 'string' && header.genesis_hash !== source.genesisHash) {
    throw new UserError(
      `${out} holds blocks of another chain (genesis ${header.genesis_hash}; ${endpointOrigin(source.endpoint)} has ${source.genesisHash}); choose another --out or the endpoint it was fetched from`,
    );
  }
  const s = header.sampling as { first_block?: unknown; every_blocks?: unknown } | undefined;
  if (!s || typeof s !== 'object' || !Number.isSafeInteger(s.first_block) || !Number.isSafeInteger(s.every_blocks)) {
    throw new UserError(`${out} was not written by dtao fetch-history (its header has no sampling grid); choose another --out`);
  }
  const first = s.first_block as number;
  const every = s.every_blocks as number;
  if (every !== grid.every) {
    throw new UserError(`${out} samples every ${every} blocks, not every ${grid.every}; run with --every ${every} to continue it, or choose another --out`);
  }
  if ((grid.from - first) % every !== 0) {
    throw new UserError(
      `${out} samples blocks ${first} + k x ${every}, and --from block ${grid.from} is not one of them; give a --from on that grid (e.g. ${first}) to continue it, or choose another --out`,
    );
  }
}

function checkOptions(opts: FetchHistoryOptions): { every: number; concurrency: number } {
  const every = opts.every;
  if (!Number.isSafeInteger(every) || every < 1) throw new UserError(`--every ${every}: expected a whole number of blocks, 1 or more`);
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new UserError(`--concurrency ${concurrency}: expected a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return { every, concurrency };
}

export async function fetchHistory(opts: FetchHistoryOptions): Promise<FetchSummary> {
  const { every, concurrency } = checkOptions(opts);
  const { source, out } = opts;
  const log = opts.log ?? silent;
  const existedBefore = existsSync(out);
  let file: SnapshotFile | undefined;
  let written = 0;

  /** What the output file holds now, for error messages ("was not created", "is valid and ..."). */
  const fileHolds = (): string => {
    if (!file) return existedBefore ? 'is unchanged' : 'was not created';
    if (written === 0 && !existedBefore) return 'was not created';
    if (file.lastBlock === undefined) return 'holds no snapshots yet';
    return `is valid and holds snapshots up to block ${file.lastBlock}`;
  };
  const fileState = (): string =>
    file?.lastBlock !== undefined
      ? `${out} ${fileHolds()}; run the same command again to continue from there.`
      : `${out} ${fileHolds()}.`;

  const fail: ReadFailure = (err, block, doing) => {
    if (err instanceof UserError || !(err instanceof ChainReadError)) return err as Error;
    const where = block === 'finalized' ? 'the finalized head' : `block ${block}`;
    const endpoint = endpointOrigin(source.endpoint);
    let what: string;
    // The adapter's wording: a block number the node has no hash for, and a runtime without the dTAO items.
    if (err instanceof BlockUnavailableError || /is not known to/.test(err.message)) {
      what = `${endpoint} does not have the state of ${where} (${doing}): it keeps only recent blocks, it is not an archive node; ` +
        `read past blocks from an archive node such as ${ARCHIVE_ENDPOINT}`;
    } else if (/not a dTAO subtensor runtime/.test(err.message)) {
      what = `${where} predates dTAO: ${err.message}; start --from at a later block`;
    } else if (err.retryable) {
      what = `cannot read ${where} from ${endpoint} (${doing}): ${err.message}; gave up after retrying; check the connection and the node`;
    } else {
      what = `cannot read ${where} from ${endpoint} (${doing}): ${err.message}`;
    }
    return new UserError(`${what}. ${fileState()}`, { cause: err });
  };

  const range = await resolveRange(source, opts.from, opts.to ?? 'head', fail);
  const grid: Grid = { from: range.from, every, to: range.to };
  log.info({ from: grid.from, to: grid.to, every, head: range.head.number, timeReads: range.timeReads }, 'range of blocks to fetch');

  try {
    file = SnapshotFile.open(out, headerFor(source, grid), 'dtao fetch-history');
  } catch (err) {
    if (isNoSpace(err)) throw noSpaceError(out, err, 'nothing was written');
    throw err;
  }
  const { opened } = file;
  const summary: FetchSummary = {
    from: grid.from, to: grid.to, every, head: range.head.number,
    planned: gridCount(grid), alreadyPresent: 0, written: 0, firstWritten: undefined, lastWritten: undefined,
    resumedAfter: opened.lastBlock, lastBlock: opened.lastBlock, repairedBytes: opened.repairedBytes,
    runtimes: [], interrupted: false, timeReads: range.timeReads,
  };
  try {
    if (!opened.created) checkContinuable(opened.header, source, grid, out);
    if (opened.repairedBytes > 0) log.warn({ file: out, bytes: opened.repairedBytes }, 'cut off a torn last line left by an interrupted write');
    const start = nextOnGrid(grid, opened.lastBlock);
    const remaining = start > grid.to ? 0 : gridCount({ ...grid, from: start });
    summary.alreadyPresent = summary.planned - remaining;
    if (opened.lastBlock !== undefined) log.info({ file: out, lastBlock: opened.lastBlock, next: start }, 'continuing after the last block in the file');
    if (remaining === 0) return summary;

    let previous: ChainSnapshot | undefined;
    const write = (r: ChainSnapshot): void => {
      noteRuntime(r, previous, summary, log);
      previous = r;
      try {
        file!.append(r.snapshot);
      } catch (err) {
        if (isNoSpace(err)) throw noSpaceError(out, err, `it ${fileHolds()}`);
        throw err;
      }
      written++;
      summary.written = written;
      summary.firstWritten ??= r.blockNumber;
      summary.lastWritten = r.blockNumber;
      summary.lastBlock = r.blockNumber;
      opts.onProgress?.(written, remaining);
    };
    const read = async (block: number): Promise<ChainSnapshot> => {
      const r = await source.readSnapshot(block).catch((err: unknown) => {
        throw new BlockReadFailure(block, err);
      });
      if (r.blockNumber !== block) {
        throw new BlockReadFailure(block, new ChainReadError(`the node answered with block ${r.blockNumber}`, { retryable: false }));
      }
      return r;
    };

    let rest;
    try {
      // The first block alone: a pruning node, an unreachable state or a pre-dTAO block shows here.
      opts.onProgress?.(0, remaining);
      write(await read(start));
      rest = await runOrdered({
        count: remaining - 1,
        concurrency,
        run: (i) => read(start + (i + 1) * every),
        deliver: (_i, r) => write(r),
        signal: opts.signal,
      });
    } catch (err) {
      // Mapped only now that every read under way has been written: the message says what the file holds.
      if (err instanceof BlockReadFailure) throw fail(err.cause, err.block, 'reading its snapshot');
      throw err;
    }
    summary.interrupted = rest.aborted;
    return summary;
  } finally {
    file.close();
    if (written === 0 && opened.created && !existedBefore) rmSync(out, { force: true });
  }
}

/** A snapshot read that failed, with its block (turned into the user's message once the pool has stopped). */
class BlockReadFailure extends Error {
  constructor(readonly block: number, override readonly cause: unknown) {
    super(`block ${block}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** Records the runtime of each snapshot and logs an upgrade with what it added and removed. */
function noteRuntime(r: ChainSnapshot, previous: ChainSnapshot | undefined, summary: FetchSummary, log: ChainLog): void {
  if (previous && previous.specVersion === r.specVersion) return;
  summary.runtimes.push({ specVersion: r.specVersion, firstBlock: r.blockNumber });
  if (!previous) return;
  const before = new Set(previous.capabilities);
  const after = new Set(r.capabilities);
  log.info(
    {
      after: previous.blockNumber, block: r.blockNumber, from: previous.specVersion, to: r.specVersion,
      added: r.capabilities.filter((c) => !before.has(c)), removed: previous.capabilities.filter((c) => !after.has(c)),
    },
    `runtime upgrade between block ${previous.blockNumber} and block ${r.blockNumber}: spec ${previous.specVersion} -> ${r.specVersion}`,
  );
}
