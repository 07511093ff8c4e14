/**
 * fetch-history against the local devnet (127.0.0.1, port 0) through the real chain adapter.
 * The devnet serves a scripted market whose state at every block is a formula of the block
 * number (test/devnet/script-source.ts), so every value written can be checked by hand:
 * across a runtime upgrade in the middle of the range, at any concurrency with reads finishing
 * out of order, through a dropped connection, when resumed after a stop or a torn line, and
 * for the errors: a node that prunes old state, another chain's file, another grid, bad ranges.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainClient, ChainClientOptions, ChainLog } from '../../src/chain/client.ts';
import { connectChain } from '../../src/chain/client.ts';
import { UserError } from '../../src/core/errors.ts';
import { parseAmount } from '../../src/core/units.ts';
import { loadDataset } from '../../src/data/load.ts';
import { CURRENT_RUNTIME, PRE_BALANCER_RUNTIME } from '../../src/devnet/runtime/runtime.ts';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { startDevnet } from '../../src/devnet/server.ts';
import type { FetchHistoryOptions, HistorySource } from '../../src/history/fetch-history.ts';
import { fetchHistory } from '../../src/history/fetch-history.ts';
import { resolveRange } from '../../src/history/fetch-range.ts';
import { START_BLOCK, START_MS, ScriptSource, TAO } from '../devnet/script-source.ts';

const FAST: Partial<ChainClientOptions> = {
  requestTimeoutMs: 2000,
  connectTimeoutMs: 5000,
  reconnectDelayMs: 50,
  retry: { attempts: 8, baseDelayMs: 30, maxDelayMs: 200 },
};

interface LogLine { level: string; msg: string; obj: Record<string, unknown> }

function recordingLog(lines: LogLine[]): ChainLog {
  return {
    info: (obj, msg) => lines.push({ level: 'info', msg, obj: obj as Record<string, unknown> }),
    warn: (obj, msg) => lines.push({ level: 'warn', msg, obj: obj as Record<string, unknown> }),
    debug: () => {},
  };
}

/** The client, counting snapshot reads and how many run at once. */
function counted(client: ChainClient) {
  const stats = { reads: [] as number[], finished: [] as number[], running: 0, maxRunning: 0 };
  const source: HistorySource = {
    endpoint: client.endpoint,
    chainName: client.chainName,
    genesisHash: client.genesisHash,
    readBlockTime: (at) => client.readBlockTime(at),
    readSnapshot: async (at) => {
      stats.reads.push(at as number);
      stats.running++;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      try {
        const r = await client.readSnapshot(at);
        stats.finished.push(at as number);
        return r;
      } finally {
        stats.running--;
      }
    },
  };
  return { source, stats };
}

function lines(path: string): Array<Record<string, unknown>> {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

const UPGRADE_AT = START_BLOCK + 20;
const FROM = START_BLOCK + 2;
const TO = START_BLOCK + 38; // on the grid: FROM + 9 x 4
const EVERY = 4;
const GRID = Array.from({ length: 10 }, (_, i) => FROM + i * EVERY);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-fetch-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('fetch-history on a devnet that upgrades its runtime at block START+20', () => {
  let dev: DevnetServer;
  let client: ChainClient;
  const log: LogLine[] = [];
  let reference: string;
  const base = (out: string): FetchHistoryOptions => ({ source: client, out, from: { block: FROM }, to: { block: TO }, every: EVERY });

  beforeAll(async () => {
    dev = await startDevnet({
      source: new ScriptSource({ quoteWeight: 0.4 }),
      blockTimeMs: 0,
      runtimes: [{ fromBlock: 0, spec: PRE_BALANCER_RUNTIME }, { fromBlock: UPGRADE_AT, spec: CURRENT_RUNTIME }],
    });
    dev.produceBlocks(40);
    client = await connectChain({ endpoint: dev.url, ...FAST, log: recordingLog(log) });
  });
  afterAll(async () => {
    await client?.disconnect();
    await dev?.close();
  });

  it('writes every sampled block (to included), each equal to the script\'s state, old runtime\'s items left out', async () => {
    const out = join(dir, 'upgrade.jsonl');
    const runLog: LogLine[] = [];
    const s = await fetchHistory({ ...base(out), concurrency: 1, log: recordingLog(runLog) });
    expect(s).toMatchObject({ from: FROM, to: TO, every: EVERY, head: START_BLOCK + 40, planned: 10, alreadyPresent: 0, written: 10, firstWritten: FROM, lastWritten: TO, interrupted: false });
    // the first block of 424 on the grid: 5022 (the upgrade is at 5020)
    expect(s.runtimes).toEqual([{ specVersion: 422, firstBlock: FROM }, { specVersion: 424, firstBlock: START_BLOCK + 22 }]);
    const upgrade = runLog.find((l) => /runtime upgrade/.test(l.msg))!;
    expect(upgrade.msg).toBe(`runtime upgrade between block ${START_BLOCK + 18} and block ${START_BLOCK + 22}: spec 422 -> 424`);
    expect(upgrade.obj.added).toContain('Swap.SwapBalancer');
    expect(upgrade.obj.added).toContain('SwapRuntimeApi_current_alpha_price_all');

    reference = readFileSync(out, 'utf8');
    const [header, ...snaps] = lines(out);
    expect(header).toMatchObject({
      format: 'dtao-snapshots/1', source: `dtao fetch-history from ${dev.url}`, chain: 'dtao-lab devnet', genesis_hash: dev.genesisHash,
      sampling: { first_block: FROM, every_blocks: EVERY },
    });
    expect(snaps.map((l) => l.block)).toEqual(GRID);
    for (const l of snaps) {
      const b = l.block as number;
      const k = BigInt(b - START_BLOCK);
      expect(l.time).toBe(new Date(START_MS + (b - START_BLOCK) * 12_000).toISOString().replace('.000Z', 'Z'));
      expect(parseAmount(l.root_stake as string)).toBe(4_500_000n * TAO + k);
      expect(parseAmount(l.block_emission as string)).toBe(TAO / 2n);
      const subnets = l.subnets as Array<Record<string, unknown>>;
      expect(subnets.map((sn) => sn.netuid)).toEqual([1, 2, 3]);
      for (const sn of subnets) {
        const n = sn.netuid as number;
        const N = BigInt(n);
        expect(parseAmount(sn.tao_in as string)).toBe((1000n * N + k) * TAO);
        expect(parseAmount(sn.alpha_in as string)).toBe(4000n * TAO);
        expect(parseAmount(sn.alpha_out as string)).toBe((10_000n + k) * TAO);
        expect(parseAmount(sn.tao_in_emission as string)).toBe(1000n * N);
        expect(parseAmount(sn.excess_tao as string)).toBe(10n * k);
        expect(Number(sn.moving_price)).toBe(n / 8 + Number(k) / 1024);
        expect(Number(sn.root_prop)).toBe(0.25 - n / 64);
        expect(sn).toMatchObject({ fee_rate: 33 + n, tempo: 360, emission_enabled: n % 2 === 1, name: `subnet ${n} \u03b1` });
        const curve = Number(1000n * N + k) / 4000;
        if (b < UPGRADE_AT) {
          // spec 422: no Swap.SwapBalancer (no weight) and no price API (price from the reserves)
          expect(sn.quote_weight).toBeUndefined();
          expect(Number(sn.price)).toBe(curve);
        } else {
          // spec 424: weight 0.4; price from the runtime API, p = (0.6 / 0.4) y/x, answered in whole
          // rao per alpha after fixed-point arithmetic: within 2e-9 below p
          expect(Number(sn.quote_weight)).toBe(0.4);
          const diff = 1.5 * curve - Number(sn.price);
          expect(diff).toBeGreaterThanOrEqual(-1e-15);
          expect(diff).toBeLessThan(2e-9);
        }
      }
    }
    expect(loadDataset(out, { cache: false }).dataset.snapshotCount).toBe(10);
  });

  it('writes the same bytes at any concurrency, though reads finish out of order; never more reads at once than asked', async () => {
    for (const concurrency of [3, 8]) {
      const out = join(dir, `concurrency-${concurrency}.jsonl`);
      const { source, stats } = counted(client);
      // The head's time and the first block's snapshot pass; the next storage query (a read of
      // the pool's) answers 150 ms late, after the reads started behind it.
      dev.injectFault({ method: 'state_queryStorageAt', times: 2 });
      dev.injectFault({ method: 'state_queryStorageAt', delayMs: 150, times: 1 });
      const progress: number[] = [];
      await fetchHistory({ ...base(out), source, concurrency, onProgress: (d) => progress.push(d) });
      dev.clearFaults();
      expect(readFileSync(out, 'utf8')).toBe(reference);
      expect(stats.maxRunning).toBe(Math.min(concurrency, 9));
      expect(stats.reads[0]).toBe(FROM); // the first block alone, before the others
      expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(stats.finished).not.toEqual([...stats.finished].sort((a, b) => a - b)); // out of order, yet written in order
    }
  });

  it('rides out a connection dropped in the middle of the fetch', async () => {
    const out = join(dir, 'dropped.jsonl');
    log.length = 0;
    dev.injectFault({ method: 'state_queryStorageAt', delayMs: 40 }); // keep reads in flight
    let dropped = false;
    const s = await fetchHistory({
      ...base(out), concurrency: 4,
      onProgress: (done) => {
        if (done === 3 && !dropped) {
          dropped = true;
          dev.dropConnections();
        }
      },
    });
    dev.clearFaults();
    expect(dropped).toBe(true);
    expect(s.written).toBe(10);
    expect(readFileSync(out, 'utf8')).toBe(reference);
    expect(log.some((l) => l.msg === 'connection lost; reconnecting')).toBe(true);
    expect(log.some((l) => l.msg === 'snapshot read failed; retrying')).toBe(true);
    expect(client.isConnected).toBe(true);
  });

  it('gives up after its retries when the node keeps dropping the connection, leaving a valid prefix; a re-run completes it', async () => {
    const out = join(dir, 'gave-up.jsonl');
    const impatient = await connectChain({ endpoint: dev.url, ...FAST, retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 40 } });
    try {
      const err = await fetchHistory({
        ...base(out), source: impatient, concurrency: 3,
        onProgress: (done) => {
          if (done === 2) dev.injectFault({ method: 'state_queryStorageAt', drop: true });
        },
      }).then(() => new Error('no failure'), (e: unknown) => e as Error);
      dev.clearFaults();
      expect(err).toBeInstanceOf(UserError);
      const kept = lines(out).slice(1).map((l) => l.block as number);
      expect(kept.length).toBeGreaterThanOrEqual(2);
      expect(kept).toEqual(GRID.slice(0, kept.length));
      const failed = GRID[kept.length]!;
      expect(err.message).toMatch(new RegExp(
        `^cannot read block ${failed} from ${dev.url} \\(reading its snapshot\\): .+; gave up after retrying; check the connection and the node\\. ` +
          `${out.replace(/[.\\/]/g, '\\$&')} is valid and holds snapshots up to block ${kept.at(-1)}; run the same command again to continue from there\\.$`,
      ));
      expect(err.message).not.toContain('\n');
    } finally {
      await impatient.disconnect();
    }
    await fetchHistory(base(out));
    expect(readFileSync(out, 'utf8')).toBe(reference);
  });

  it('resumes: after a stop, after a torn last line, and when --to is extended, ending with the same bytes', async () => {
    const out = join(dir, 'resumed.jsonl');
    // 1. stopped (Ctrl-C) after 3 snapshots: a valid prefix
    const stop = new AbortController();
    const first = await fetchHistory({ ...base(out), concurrency: 2, signal: stop.signal, onProgress: (d) => d === 3 && stop.abort() });
    expect(first.interrupted).toBe(true);
    const kept = lines(out).slice(1).map((l) => l.block);
    expect(kept).toEqual(GRID.slice(0, kept.length));
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(existsSync(`${out}.lock`)).toBe(false);

    // 2. a write cut short by a crash: half a line at the end
    appendFileSync(out, reference.split('\n')[kept.length + 1]!.slice(0, 80));
    const partTo = GRID[6]!;
    const second = await fetchHistory({ ...base(out), to: { block: partTo + 2 } });
    expect(second.repairedBytes).toBe(80);
    expect(second.resumedAfter).toBe(GRID[kept.length - 1]);
    expect(second.alreadyPresent).toBe(kept.length);
    expect(second.firstWritten).toBe(GRID[kept.length]);
    expect(second.lastWritten).toBe(partTo); // partTo + 2 is off the grid

    // 3. --to extended: only the new blocks are read
    const { source, stats } = counted(client);
    const third = await fetchHistory({ ...base(out), source });
    expect(stats.reads).toEqual(GRID.slice(7));
    expect(third).toMatchObject({ alreadyPresent: 7, written: 3, resumedAfter: partTo });
    expect(readFileSync(out, 'utf8')).toBe(reference);

    // 4. nothing left: no read at all, file untouched
    const again = counted(client);
    const fourth = await fetchHistory({ ...base(out), source: again.source });
    expect(again.stats.reads).toEqual([]);
    expect(fourth).toMatchObject({ written: 0, alreadyPresent: 10, lastBlock: TO });
    expect(readFileSync(out, 'utf8')).toBe(reference);

    // 5. a --from given as another block of the same grid continues the same file
    const fifth = await fetchHistory({ ...base(out), from: { block: FROM + 3 * EVERY } });
    expect(fifth.written).toBe(0);
  });

  it('does not continue a file of another grid, another chain, or one it did not write', async () => {
    const out = join(dir, 'grid.jsonl');
    await fetchHistory({ ...base(out), to: { block: FROM + 8 } });
    const before = readFileSync(out, 'utf8');
    await expect(fetchHistory({ ...base(out), every: 5 })).rejects.toThrow(`${out} samples every 4 blocks, not every 5; run with --every 4 to continue it, or choose another --out`);
    await expect(fetchHistory({ ...base(out), from: { block: FROM + 1 } })).rejects.toThrow(
      `${out} samples blocks ${FROM} + k x 4, and --from block ${FROM + 1} is not one of them; give a --from on that grid (e.g. ${FROM}) to continue it, or choose another --out`,
    );
    const other = await startDevnet({ source: new ScriptSource(), blockTimeMs: 0, genesisLabel: 'another chain' });
    other.produceBlocks(40);
    const otherClient = await connectChain({ endpoint: other.url, ...FAST });
    try {
      const err = await fetchHistory({ ...base(out), source: otherClient }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toBe(
        `${out} holds blocks of another chain (genesis ${dev.genesisHash}; ${other.url} has ${other.genesisHash}); choose another --out or the endpoint it was fetched from`,
      );
    } finally {
      await otherClient.disconnect();
      await other.close();
    }
    expect(readFileSync(out, 'utf8')).toBe(before);
    expect(existsSync(`${out}.lock`)).toBe(false);

    const recorded = join(dir, 'recorded.jsonl');
    appendFileSync(recorded, `{"format":"dtao-snapshots/1","source":"dtao record","genesis_hash":"${dev.genesisHash}"}\n`);
    await expect(fetchHistory(base(recorded))).rejects.toThrow(`${recorded} was not written by dtao fetch-history (its header has no sampling grid); choose another --out`);
  });

  it('checks the range against the head before touching the file', async () => {
    const out = join(dir, 'range.jsonl');
    const head = START_BLOCK + 40;
    const headTime = new Date(START_MS + 40 * 12_000).toISOString().replace('.000Z', 'Z');
    await expect(fetchHistory({ ...base(out), from: { block: TO }, to: { block: FROM } })).rejects.toThrow(
      `--from ${TO} (block ${TO}) is after --to ${FROM} (block ${FROM}): nothing to fetch; give the earlier one as --from`,
    );
    await expect(fetchHistory({ ...base(out), to: { block: head + 1 } })).rejects.toThrow(
      `--to ${head + 1} is after the finalized head (block ${head} at ${headTime}); give an earlier block, or leave --to out to fetch up to the head`,
    );
    await expect(fetchHistory({ ...base(out), from: { block: head + 5 }, to: 'head' })).rejects.toThrow(`--from ${head + 5} is after the finalized head (block ${head} at ${headTime})`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('fetch-history against a node that keeps only the last 8 blocks\' state', () => {
  it('stops at the first read with one clear line, writes nothing, and reports what an older file holds', async () => {
    const dev = await startDevnet({ source: new ScriptSource(), blockTimeMs: 0, stateWindow: 8 });
    dev.produceBlocks(40);
    const log: LogLine[] = [];
    const client = await connectChain({ endpoint: dev.url, ...FAST, log: recordingLog(log) });
    try {
      const out = join(dir, 'pruned.jsonl');
      const { source, stats } = counted(client);
      const err = await fetchHistory({ source, out, from: { block: START_BLOCK + 2 }, every: 4, concurrency: 4 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toBe(
        `${dev.url} does not have the state of block ${START_BLOCK + 2} (reading its snapshot): it keeps only recent blocks, it is not an archive node; ` +
          `read past blocks from an archive node such as wss://archive.chain.opentensor.ai:443. ${out} was not created.`,
      );
      expect(stats.reads).toEqual([START_BLOCK + 2]); // found out at once: one read, not retried
      expect(log.filter((l) => /retrying/.test(l.msg))).toEqual([]);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.lock`)).toBe(false);

      // a file fetched while the blocks were recent, continued once they are pruned
      const head = START_BLOCK + 40;
      const first = await fetchHistory({ source: client, out, from: { block: head - 6 }, every: 3 });
      expect(first.written).toBe(3); // head-6, head-3, head
      const before = readFileSync(out, 'utf8');
      dev.produceBlocks(20);
      const late = await fetchHistory({ source: client, out, from: { block: head - 6 }, every: 3 }).then(() => new Error('no failure'), (e: unknown) => e as Error);
      expect(late.message).toBe(
        `${dev.url} does not have the state of block ${head + 3} (reading its snapshot): it keeps only recent blocks, it is not an archive node; ` +
          `read past blocks from an archive node such as wss://archive.chain.opentensor.ai:443. ${out} is valid and holds snapshots up to block ${head}; run the same command again to continue from there.`,
      );
      expect(readFileSync(out, 'utf8')).toBe(before);
    } finally {
      await client.disconnect();
      await dev.close();
    }
  });
});

describe('fetch-history from a block before dTAO', () => {
  it('says the block predates dTAO, in one line, and writes nothing', async () => {
    const dev = await startDevnet({
      source: new ScriptSource(),
      blockTimeMs: 0,
      runtimes: [
        { fromBlock: 0, spec: { specName: 'node-subtensor', specVersion: 200, features: { swapBalancer: false, swapRuntimeApi: false }, omitPallets: ['SubtensorModule', 'Swap'] } },
        { fromBlock: START_BLOCK + 10, spec: CURRENT_RUNTIME },
      ],
    });
    dev.produceBlocks(20);
    const client = await connectChain({ endpoint: dev.url, ...FAST });
    try {
      const out = join(dir, 'pre-dtao.jsonl');
      const err = await fetchHistory({ source: client, out, from: { block: START_BLOCK + 2 }, every: 4 }).then(() => new Error('no failure'), (e: unknown) => e as Error);
      expect(err.message).toBe(
        `block ${START_BLOCK + 2} predates dTAO: the runtime at this block (node-subtensor spec 200) has no SubtensorModule.SubnetTAO: it is not a dTAO subtensor runtime; ` +
          `start --from at a later block. ${out} was not created.`,
      );
      expect(existsSync(out)).toBe(false);
      // from the upgrade on it reads
      expect((await fetchHistory({ source: client, out, from: { block: START_BLOCK + 10 }, every: 4 })).written).toBe(3);
    } finally {
      await client.disconnect();
      await dev.close();
    }
  });
});

describe('dates to blocks on a chain whose block 1 is at 2026-01-01T00:00:00Z, 12 s a block', () => {
  let dev: DevnetServer;
  let client: ChainClient;
  beforeAll(async () => {
    dev = await startDevnet({ source: new ScriptSource({ startBlock: 1 }), blockTimeMs: 0 });
    dev.produceBlocks(100); // head 101 at 00:20:00
    client = await connectChain({ endpoint: dev.url, ...FAST });
  });
  afterAll(async () => {
    await client?.disconnect();
    await dev?.close();
  });
  const ms = (iso: string) => Date.parse(iso);
  const fail = (_e: unknown, b: number | 'finalized') => new Error(`read of ${b} failed`);

  it('--from is the first block at or after the time, --to the last block before its end; a few timestamp reads', async () => {
    // block b is at (b - 1) x 12 s: 00:01:05 -> 6 x 12 = 72 s is block 7; 00:10:00 (included) -> 600 s = block 51
    const r = await resolveRange(client, { atOrAfterMs: ms('2026-01-01T00:01:05Z'), text: 'a' }, { beforeMs: ms('2026-01-01T00:10:00Z') + 1, text: 'b' }, fail);
    expect([r.from, r.to, r.head.number]).toEqual([7, 51, 101]);
    expect(r.timeReads).toBeLessThanOrEqual(5); // the head, then two per time at most
    // a time that is exactly a block's: that block, for both ends (--to includes its instant)
    const exact = await resolveRange(client, { atOrAfterMs: ms('2026-01-01T00:01:00Z'), text: 'a' }, { beforeMs: ms('2026-01-01T00:01:00Z') + 1, text: 'b' }, fail);
    expect([exact.from, exact.to]).toEqual([6, 6]);
    const first = await resolveRange(client, { atOrAfterMs: ms('2026-01-01T00:00:00Z'), text: 'a' }, 'head', fail);
    expect([first.from, first.to]).toEqual([1, 101]);

    const out = join(dir, 'dates.jsonl');
    const s = await fetchHistory({ source: client, out, from: { atOrAfterMs: ms('2026-01-01T00:01:05Z'), text: 'x' }, to: { beforeMs: ms('2026-01-01T00:10:00Z') + 1, text: 'y' }, every: 11 });
    expect(lines(out).slice(1).map((l) => [l.block, l.time])).toEqual([
      [7, '2026-01-01T00:01:12Z'], [18, '2026-01-01T00:03:24Z'], [29, '2026-01-01T00:05:36Z'], [40, '2026-01-01T00:07:48Z'], [51, '2026-01-01T00:10:00Z'],
    ]);
    expect(s.written).toBe(5);
  });

  it('a time before the first block or after the head is a clear error', async () => {
    const at = (from: Parameters<typeof resolveRange>[1], to: Parameters<typeof resolveRange>[2]) => resolveRange(client, from, to, fail);
    await expect(at({ atOrAfterMs: ms('2025-12-31T23:59:59Z'), text: '2025-12-31T23:59:59Z' }, 'head')).rejects.toThrow(
      '--from 2025-12-31T23:59:59Z is before the chain\'s first block (block 1 at 2026-01-01T00:00:00Z); give a later time',
    );
    await expect(at({ block: 1 }, { beforeMs: ms('2026-01-01T00:00:00Z'), text: '2025-12-31' })).rejects.toThrow(
      '--to 2025-12-31 is before the chain\'s first block (block 1 at 2026-01-01T00:00:00Z); give a later time',
    );
    await expect(at({ atOrAfterMs: ms('2026-01-01T00:20:01Z'), text: '00:20:01' }, 'head')).rejects.toThrow(
      '--from 00:20:01 is after the finalized head (block 101 at 2026-01-01T00:20:00Z); give an earlier time',
    );
    await expect(at({ block: 1 }, { beforeMs: ms('2026-01-02T00:00:00Z'), text: '2026-01-01' })).rejects.toThrow(
      '--to 2026-01-01 is after the finalized head (block 101 at 2026-01-01T00:20:00Z): the chain has not got there yet; give an earlier time, or leave --to out to fetch up to the head',
    );
    await expect(at({ atOrAfterMs: ms('2026-01-01T00:05:00Z'), text: '00:05' }, { beforeMs: ms('2026-01-01T00:04:00Z'), text: '00:04' })).rejects.toThrow(
      '--from 00:05 (block 26) is after --to 00:04 (block 20): nothing to fetch; give the earlier one as --from',
    );
  });
});
