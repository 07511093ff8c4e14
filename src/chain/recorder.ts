/**
 * Records chain snapshots into a `dtao-snapshots/1` file: one read-and-append now (`once`), or
 * one per tick of a cron schedule until stopped. A tick whose read fails is logged and skipped;
 * the next tick tries again. A block already in the file is not appended twice.
 */
import cron from 'node-cron';
import { UserError } from '../core/errors.ts';
import type { BlockRef, ChainLog } from './client.ts';
import { ChainReadError } from './errors.ts';
import type { ChainSnapshot } from './snapshot-reader.ts';
import { SnapshotFile } from './snapshot-file.ts';

/**
 * Hourly, at minute 0. A subnet's tempo is 360 blocks (72 min), which no single cron
 * expression can follow; hourly is the nearest regular schedule that still sees every tempo.
 */
export const DEFAULT_RECORD_SCHEDULE = '0 * * * *';

/** What the recorder needs from the chain client. */
export interface SnapshotSource {
  readonly endpoint: string;
  readonly chainName: string;
  readonly genesisHash: string;
  readSnapshot(at?: BlockRef): Promise<ChainSnapshot>;
}

export interface RecorderLog extends ChainLog {
  error(obj: object, msg: string): void;
}

export interface RecorderOptions {
  source: SnapshotSource;
  out: string;
  /** Cron expression (5 fields, or 6 with seconds first). Default DEFAULT_RECORD_SCHEDULE. */
  schedule?: string;
  /** Read and append one snapshot, then return. */
  once?: boolean;
  /** Which block each read takes (default the finalized head). */
  at?: BlockRef;
  log: RecorderLog;
  /** Stops a scheduled recorder. */
  signal?: AbortSignal;
}

export interface RecordSummary {
  appended: number;
  /** Reads whose block was already in the file. */
  skipped: number;
  /** Reads that failed. */
  failed: number;
  lastBlock: number | undefined;
}

/** Checks a cron expression; a UserError names the bad field. */
export function checkSchedule(expr: string, flag = '--schedule'): string {
  const v = cron.validateDetailed(expr);
  if (!v.valid) {
    const why = v.errors.map((e) => `${e.field}${e.value === undefined ? '' : ` "${e.value}"`}: ${e.message}`).join('; ');
    throw new UserError(
      `${flag} "${expr}" is not a cron expression (${why}); use 5 fields "min hour day month weekday" or 6 with seconds first, e.g. "0 * * * *" for hourly`,
    );
  }
  return expr;
}

function headerFor(source: SnapshotSource): Record<string, unknown> {
  return {
    source: `dtao record from ${source.endpoint}`,
    chain: source.chainName,
    genesis_hash: source.genesisHash,
    description:
      'Subnet pool state read from a subtensor node: SubtensorModule and Swap storage, prices from SwapRuntimeApi where the runtime has it, all of one snapshot at one block hash.',
  };
}

export async function runRecorder(opts: RecorderOptions): Promise<RecordSummary> {
  const { source, log } = opts;
  const schedule = opts.once ? undefined : checkSchedule(opts.schedule ?? DEFAULT_RECORD_SCHEDULE);
  const file = SnapshotFile.open(opts.out, headerFor(source));
  const summary: RecordSummary = { appended: 0, skipped: 0, failed: 0, lastBlock: file.lastBlock };
  const { opened } = file;
  try {
    if (!opened.created && opened.header.genesis_hash !== undefined && opened.header.genesis_hash !== source.genesisHash) {
      throw new UserError(
        `${opts.out}: recorded from another chain (genesis ${String(opened.header.genesis_hash)}, ${source.endpoint} has ${source.genesisHash}); choose another --out`,
      );
    }
  } catch (err) {
    file.close();
    throw err;
  }
  if (opened.repairedBytes > 0) log.warn({ file: opts.out, bytes: opened.repairedBytes }, 'cut off a torn last line left by an interrupted write');
  log.info({ file: opts.out, created: opened.created, lastBlock: file.lastBlock }, 'recording snapshots');

  const tick = async (): Promise<void> => {
    let read: ChainSnapshot;
    try {
      read = await source.readSnapshot(opts.at);
    } catch (err) {
      if (!(err instanceof ChainReadError)) throw err;
      summary.failed++;
      log.warn({ err: err.message }, opts.once ? 'snapshot read failed' : 'snapshot read failed; skipping this tick');
      if (opts.once) throw err;
      return;
    }
    const { snapshot } = read;
    if (file.append(snapshot)) {
      summary.appended++;
      summary.lastBlock = snapshot.block;
      log.info({ block: snapshot.block, hash: read.blockHash, subnets: snapshot.subnets.length, spec: read.specVersion }, 'snapshot appended');
    } else {
      summary.skipped++;
      log.info({ block: snapshot.block, lastWritten: file.lastBlock }, 'block not newer than the last one written; not appended');
    }
  };

  if (opts.once || !schedule) {
    try {
      await tick();
      return summary;
    } finally {
      file.close();
    }
  }

  return new Promise<RecordSummary>((resolve, reject) => {
    let inflight: Promise<void> = Promise.resolve();
    let stopping = false;
    const cronLog = {
      info: (m: string) => log.debug({}, `cron: ${m}`),
      warn: (m: string) => log.warn({}, `cron: ${m}`),
      error: (m: string | Error) => log.error({}, `cron: ${m instanceof Error ? m.message : m}`),
      debug: (m: string | Error) => log.debug({}, `cron: ${m instanceof Error ? m.message : m}`),
    };
    const stop = async (err?: unknown) => {
      if (stopping) return;
      stopping = true;
      opts.signal?.removeEventListener('abort', onAbort);
      await task.stop();
      await task.destroy();
      await inflight.catch(() => {});
      file.close();
      log.info({ appended: summary.appended, skipped: summary.skipped, failed: summary.failed }, 'recorder stopped');
      if (err === undefined) resolve(summary);
      else reject(err);
    };
    const onAbort = () => void stop();
    const task = cron.schedule(
      schedule,
      async () => {
        if (stopping) return;
        inflight = tick();
        try {
          await inflight;
        } catch (err) {
          void stop(err);
        }
      },
      { name: 'dtao-record', noOverlap: true, logger: cronLog },
    );
    log.info({ schedule, next: task.getNextRun()?.toISOString() }, 'waiting for the schedule');
    if (opts.signal?.aborted) void stop();
    else opts.signal?.addEventListener('abort', onAbort);
  });
}
