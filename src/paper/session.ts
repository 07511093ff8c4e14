/**
 * A paper account opened for ticking: the lock, the state (lowdb), the history, the optional
 * record file, and the tick itself.
 *
 * A tick: read a snapshot at a new block, step the strategy and the 100%-root benchmark on it
 * through the engine, have the chain quote the fills, then commit. The commit is synchronous
 * and ordered so that a crash at any instant leaves something the next start repairs:
 *   1. append the snapshot to the history (a crash now leaves a history line past the last
 *      tick, which the next start drops);
 *   2. replace the state file atomically (THE commit: before it the tick did not happen, after
 *      it the tick happened exactly once);
 *   3. append the snapshot to the record file (a crash before this is caught up at the next
 *      start from the history).
 * A failed read, a snapshot not newer than the last tick, a strategy error or an abandoned tick
 * change nothing.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import type { ModelConfig } from '../engine/model.ts';
import { StrategyError } from '../engine/engine.ts';
import type { Strategy } from '../strategy/types.ts';
import { allRoot } from '../backtest/benchmarks.ts';
import type { BlockRef, ChainLog } from '../chain/client.ts';
import { ChainReadError } from '../chain/errors.ts';
import type { ChainSnapshot } from '../chain/snapshot-reader.ts';
import { SnapshotFile } from '../chain/snapshot-file.ts';
import { failpoint } from './failpoint.ts';
import { identityDifferences, identityOf } from './identity.ts';
import { asWritten, historyPathFor, openHistory } from './history.ts';
import { HistoryDataset } from './history-data.ts';
import { acquireStateLock, type StateLock } from './lock.ts';
import { checkQuotes, type ChainQuoter } from './quote-check.ts';
import { PAPER_FORMAT, ROOT_RUN, STRATEGY_RUN, type PaperSettings, type PaperStateJson, type TickJson } from './state.ts';
import { initialRunState, stepRun, type RunSetup } from './step.ts';
import { openStateStore, removeStaleTempFiles, type StateStore } from './store.ts';

export interface PaperLog extends ChainLog {
  error(obj: object, msg: string): void;
}

/** What the paper loop needs from the chain client (ChainClient has all of it). */
export interface PaperChain extends ChainQuoter {
  readonly endpoint: string;
  readonly chainName: string;
  readonly genesisHash: string;
  readSnapshot(at?: BlockRef): Promise<ChainSnapshot>;
}

export interface SessionOptions {
  statePath: string;
  strategy: { ref: string; file: string; strategy: Strategy };
  params: Readonly<Record<string, number | boolean | string>>;
  model: ModelConfig;
  capital: bigint;
  chain: PaperChain;
  /** The cron schedule this session runs on (null for --once); kept in the settings. */
  schedule: string | null;
  /** Also append every snapshot ticked on to this dtao-snapshots/1 file. */
  record?: string;
  /** Discard an existing state and history and start over. */
  reset?: boolean;
  /** Block each tick reads (default the finalized head). */
  at?: BlockRef;
  log: PaperLog;
}

export type TickOutcome =
  | { kind: 'ticked'; tick: TickJson }
  | { kind: 'read-failed'; error: string }
  | { kind: 'not-newer'; block: number; lastBlock: number }
  | { kind: 'bad-snapshot'; block: number; error: string }
  | { kind: 'strategy-failed'; block: number; error: string }
  | { kind: 'abandoned' };

function jsonCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function chainHeader(chain: PaperChain, source: string): Record<string, unknown> {
  return {
    source,
    chain: chain.chainName,
    genesis_hash: chain.genesisHash,
    description: 'Subnet pool state read from a subtensor node, one snapshot per paper-trading tick, all of one snapshot at one block hash.',
  };
}

export class PaperSession {
  private readonly seen: HistoryDataset;
  private closed = false;

  private constructor(
    private readonly opts: SessionOptions,
    private readonly lock: StateLock,
    private readonly store: StateStore,
    private readonly history: SnapshotFile,
    historyHeader: Record<string, unknown>,
    private readonly record: SnapshotFile | undefined,
    private readonly runs: Record<typeof STRATEGY_RUN | typeof ROOT_RUN, RunSetup>,
    snapshots: Snapshot[],
  ) {
    this.seen = new HistoryDataset(history.path, historyHeader, snapshots);
  }

  get state(): PaperStateJson {
    return this.store.data!;
  }

  get statePath(): string {
    return this.opts.statePath;
  }

  /** Takes the lock, reads (or creates) the state, repairs the history and the record file. */
  static open(opts: SessionOptions): PaperSession {
    const { statePath, log, chain } = opts;
    mkdirSync(dirname(statePath), { recursive: true });
    const lock = acquireStateLock(statePath);
    if (lock.tookOverFrom !== undefined) log.warn({ lock: lock.path, pid: lock.tookOverFrom }, 'took over the lock of a paper process that is gone');
    const historyPath = historyPathFor(statePath);
    const opened: Array<{ close(): void }> = [];
    try {
      const stale = removeStaleTempFiles(statePath);
      if (stale) log.info({ files: stale }, 'removed temp files of an interrupted state write');
      if (opts.reset) {
        rmSync(statePath, { force: true });
        rmSync(historyPath, { force: true });
        log.warn({ state: statePath }, 'reset: the previous state and history are discarded');
      }
      const store = openStateStore(statePath);
      const identity = identityOf({
        strategyName: opts.strategy.strategy.name, strategyFile: opts.strategy.file, params: opts.params, model: opts.model,
        capital: opts.capital, genesisHash: chain.genesisHash,
      });
      const settings: PaperSettings = { strategy_ref: opts.strategy.ref, endpoint: chain.endpoint, schedule: opts.schedule, record: opts.record ?? null };
      if (store.data) {
        const diffs = identityDifferences(store.data.identity, identity);
        if (diffs.length) {
          throw new UserError(
            `${statePath} belongs to another paper account (${diffs.join('; ')}); run with the state's strategy, params, config and chain, ` +
              'give another --state, or start over with --reset (which discards its ticks)',
          );
        }
        if (JSON.stringify(store.data.settings) !== JSON.stringify(settings)) {
          log.info({ before: store.data.settings, now: settings }, 'settings changed since the last session');
          store.data = { ...store.data, settings };
          store.write();
        }
      } else {
        store.data = {
          format: PAPER_FORMAT, identity, settings,
          runs: { [STRATEGY_RUN]: initialRunState(opts.capital), [ROOT_RUN]: initialRunState(opts.capital) },
          ticks: [],
        };
        store.write();
        log.info({ state: statePath, strategy: identity.strategy, capital: identity.capital }, 'new paper account');
      }
      const state = store.data;
      const last = state.ticks.at(-1);
      const historyHeader = chainHeader(chain, `dtao paper history of ${statePath}`);
      const h = openHistory(historyPath, historyHeader, last?.block);
      opened.push(h.file);
      if (h.droppedLines) log.warn({ lines: h.droppedLines, history: historyPath }, 'dropped history lines of a tick that was not committed');
      if (h.tornBytes) log.warn({ bytes: h.tornBytes, history: historyPath }, 'cut off a torn last history line');
      const blocks = h.snapshots.map((s) => s.block);
      const tickBlocks = state.ticks.map((t) => t.block);
      if (blocks.length !== tickBlocks.length || blocks.some((b, k) => b !== tickBlocks[k])) {
        throw new UserError(
          `${historyPath} holds ${blocks.length} snapshot(s) but ${statePath} has ${tickBlocks.length} tick(s)${blocks.length ? ` (first differing at line ${firstDifference(blocks, tickBlocks) + 2})` : ''}; ` +
            'the history was changed or lost, so the strategy cannot see what it saw before: start over with --reset',
        );
      }
      let record: SnapshotFile | undefined;
      if (opts.record) {
        record = SnapshotFile.open(opts.record, chainHeader(chain, `dtao paper from ${chain.endpoint}`), 'dtao paper');
        opened.push(record);
        const g = record.opened.header.genesis_hash;
        if (!record.opened.created && g !== undefined && g !== chain.genesisHash) {
          throw new UserError(`${opts.record}: recorded from another chain (genesis ${String(g)}, ${chain.endpoint} has ${chain.genesisHash}); choose another --record file`);
        }
        if (record.opened.repairedBytes) log.warn({ file: opts.record, bytes: record.opened.repairedBytes }, 'cut off a torn last line of the record file');
        let caughtUp = 0;
        for (const s of h.snapshots) if (record.append(s)) caughtUp++;
        if (caughtUp) log.info({ file: opts.record, snapshots: caughtUp }, 'record file caught up with ticks it had missed');
      }
      const runs = {
        [STRATEGY_RUN]: { strategy: opts.strategy.strategy, params: opts.params },
        [ROOT_RUN]: { strategy: allRoot, params: {} },
      };
      log.info({ state: statePath, ticks: state.ticks.length, lastBlock: last?.block }, 'paper account opened');
      return new PaperSession(opts, lock, store, h.file, historyHeader, record, runs, h.snapshots);
    } catch (err) {
      for (const f of opened) f.close();
      lock.release();
      throw err;
    }
  }

  /**
   * One tick. `abandon()` is asked after every wait; once it says true nothing more of this
   * tick is done and nothing of it is saved.
   */
  async tick(abandon: () => boolean = () => false): Promise<TickOutcome> {
    if (this.closed) throw new Error('paper session is closed');
    const { chain, log, model } = this.opts;
    let read: ChainSnapshot;
    try {
      read = await chain.readSnapshot(this.opts.at);
    } catch (err) {
      if (!(err instanceof ChainReadError)) throw err;
      log.warn({ err: err.message }, 'snapshot read failed; tick skipped');
      return { kind: 'read-failed', error: err.message };
    }
    if (abandon() || this.closed) return { kind: 'abandoned' };
    const state = this.state;
    const last = state.ticks.at(-1);
    const block = read.snapshot.block;
    if (last && block <= last.block) {
      log.info({ block, lastTick: last.block }, 'block not newer than the last tick; tick skipped');
      return { kind: 'not-newer', block, lastBlock: last.block };
    }
    let snapshot: Snapshot;
    try {
      snapshot = asWritten(read.snapshot, `block ${block} from ${chain.endpoint}`);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      log.error({ block, err: err.message }, 'the chain snapshot does not pass the data checks; tick skipped');
      return { kind: 'bad-snapshot', block, error: err.message };
    }
    const data = this.seen.preview(snapshot);
    const index = data.snapshotCount - 1;
    if (index !== state.ticks.length) throw new Error(`paper history holds ${index} snapshot(s) for ${state.ticks.length} tick(s)`);
    let stepped;
    try {
      stepped = {
        [STRATEGY_RUN]: stepRun(data, model, this.runs[STRATEGY_RUN], state.runs[STRATEGY_RUN]),
        [ROOT_RUN]: stepRun(data, model, this.runs[ROOT_RUN], state.runs[ROOT_RUN]),
      };
    } catch (err) {
      if (!(err instanceof StrategyError)) throw err;
      log.error({ block, err: err.message }, 'the strategy failed; tick skipped');
      return { kind: 'strategy-failed', block, error: err.message };
    }
    const quotes = await checkQuotes(chain, read.blockHash, data, index, model, stepped[STRATEGY_RUN].fills);
    if (abandon() || this.closed) return { kind: 'abandoned' };

    const tick: TickJson = {
      seq: index, block, hash: read.blockHash, time: snapshot.time, spec_version: read.specVersion,
      marks: { [STRATEGY_RUN]: stepped[STRATEGY_RUN].mark, [ROOT_RUN]: stepped[ROOT_RUN].mark },
      quotes,
    };
    // The new parts in their JSON form (NaN marks become null), as a restart would read them.
    const next: PaperStateJson = {
      ...state,
      runs: jsonCopy({ [STRATEGY_RUN]: stepped[STRATEGY_RUN].state, [ROOT_RUN]: stepped[ROOT_RUN].state }),
      ticks: [...state.ticks, jsonCopy(tick)],
    };
    // The commit: synchronous from here on, in the order the file comment explains.
    log.debug({ seq: index, block }, 'committing tick');
    if (!this.history.append(snapshot)) throw new Error(`${this.history.path}: block ${block} is not after its last line`);
    failpoint('after-history-append');
    this.store.data = next;
    this.store.write();
    failpoint('after-state-write');
    this.seen.commit();
    this.record?.append(snapshot);

    this.logTick(next.ticks.at(-1)!);
    return { kind: 'ticked', tick: next.ticks.at(-1)! };
  }

  private logTick(t: TickJson): void {
    const { log } = this.opts;
    const m = t.marks[STRATEGY_RUN];
    for (const f of m.fills) {
      const where = f.type === 'move' ? { from: f.from, to: f.to } : { netuid: f.netuid };
      const entry = { seq: t.seq, block: t.block, type: f.type, ...where, status: f.status, input: f.input, inputToken: f.input_token, output: f.output, outputToken: f.output_token, reason: f.reason };
      if (f.status === 'rejected') log.warn(entry, 'order rejected');
      else log.info(entry, 'fill');
    }
    for (const q of t.quotes) {
      const entry = { seq: t.seq, block: t.block, netuid: q.netuid, leg: q.leg, amountRao: q.amount_rao, modelRao: q.model_out_rao, chainRao: q.chain_out_rao, diffRao: q.diff_rao, relError: q.rel_error };
      if (q.unavailable) log.info({ ...entry, why: q.unavailable }, 'model-vs-chain quote unavailable');
      else if (Math.abs(q.rel_error!) > 1e-4) log.warn(entry, 'our pool model disagrees with the chain quote');
      else log.info(entry, 'model-vs-chain quote');
    }
    const r = t.marks[ROOT_RUN];
    log.info({
      seq: t.seq, block: t.block, chainTime: t.time, fills: m.fills.length, valueSpot: m.value_spot, valueLiquidation: m.value_liquidation,
      root100Spot: r.value_spot,
    }, 'tick');
  }

  /** Closes the files and releases the lock (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.history.close();
      this.record?.close();
    } finally {
      this.lock.release();
    }
  }
}

function firstDifference(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return k;
  return n;
}
