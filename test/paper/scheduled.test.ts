/**
 * The paper loop on a node-cron schedule (six-field form, every second) against a devnet
 * producing a block every 250 ms: several ticks, no overlap (a tick falling due while a slow
 * one runs is skipped and logged), and stopping: a running tick either finishes within the stop
 * timeout and is saved, or is abandoned and leaves the state as it was. The lock is released.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChain, type ChainClient } from '../../src/chain/client.ts';
import { DEFAULT_RUN_CONFIG } from '../../src/config/run-config.ts';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { loadStrategy } from '../../src/strategy/loader.ts';
import { runPaper, type PaperRunOptions } from '../../src/paper/loop.ts';
import type { TickOutcome } from '../../src/paper/session.ts';
import { FIXTURES, devnetOf, memoryLog, readState, simSource, until } from './helpers.ts';

describe('dtao paper on a schedule', () => {
  let dev: DevnetServer;
  let client: ChainClient;
  let dir: string;

  beforeAll(async () => {
    dev = await devnetOf(simSource(5, 3), { blockTimeMs: 250 });
    client = await connectChain({ endpoint: dev.url, requestTimeoutMs: 5000, reconnectDelayMs: 50 });
    dir = mkdtempSync(join(tmpdir(), 'dtao-paper-cron-'));
  });

  afterAll(async () => {
    await client?.disconnect();
    await dev?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(state: string, stopTimeoutMs: number) {
    const log = memoryLog();
    const outcomes: TickOutcome[] = [];
    const stop = new AbortController();
    const abandon = new AbortController();
    const opts: PaperRunOptions = {
      statePath: state, strategy: await loadStrategy(join(FIXTURES, 'rotate.ts')), params: { root_share: 0.2 }, model: DEFAULT_RUN_CONFIG.model,
      capital: 100_000_000_000n, chain: client, schedule: '* * * * * *', signal: stop.signal, abandonSignal: abandon.signal, stopTimeoutMs, log, onTick: (o) => outcomes.push(o),
    };
    const done = runPaper(opts);
    return { log, outcomes, stop, abandon, done };
  }

  it('ticks every second on new blocks, never overlapping, and saves a tick that finishes while stopping', async () => {
    const state = join(dir, 'a.json');
    const run = await start(state, 5000);
    await until(() => run.outcomes.filter((o) => o.kind === 'ticked').length >= 2, 8000, 'two ticks');
    // A slow node: the next tick takes 1.5 s, so the one after it falls due while it runs.
    dev.injectFault({ method: 'state_queryStorageAt', delayMs: 1500, times: 1 });
    const overlaps = () => run.log.lines.filter((l) => l.msg === 'the previous tick is still running; this one is skipped').length;
    const ticked = () => run.outcomes.filter((o) => o.kind === 'ticked').length;
    let n = ticked();
    await until(() => overlaps() >= 1 && ticked() > n, 6000, 'an overlap, then the slow tick done');
    // Stop while a slow tick runs: it finishes within the 5 s stop timeout and is saved.
    const ticksBefore = readState(state).ticks.length;
    n = ticked();
    const o = overlaps();
    dev.injectFault({ method: 'state_queryStorageAt', delayMs: 1200, times: 1 });
    await until(() => overlaps() > o && ticked() === n, 6000, 'a second slow tick running');
    run.stop.abort();
    const summary = await run.done;
    const s = readState(state);
    expect(s.ticks.length).toBe(ticksBefore + 1);
    expect(summary).toMatchObject({ ticked: s.ticks.length, failed: 0, ticks: s.ticks.length });
    expect(s.ticks.map((t) => t.seq)).toEqual(s.ticks.map((_, k) => k));
    for (let k = 1; k < s.ticks.length; k++) expect(s.ticks[k]!.block).toBeGreaterThan(s.ticks[k - 1]!.block);
    for (const t of s.ticks) expect(t.hash).toBe(dev.blockHash(t.block));
    // Ticks are the snapshots the strategy traded on: it trades at every tick.
    for (const t of s.ticks) expect(t.marks.strategy.fills.length).toBeGreaterThan(0);
    expect(existsSync(`${state}.lock`)).toBe(false);
    expect(run.log.lines.at(-1)?.msg).toBe('paper loop stopped');
  });

  it('abandons a tick that does not finish within the stop timeout, or at a second signal: nothing of it is saved', async () => {
    const state = join(dir, 'b.json');
    for (const how of ['timeout', 'second signal'] as const) {
      const run = await start(state, how === 'timeout' ? 150 : 60_000);
      await until(() => run.outcomes.some((o) => o.kind === 'ticked'), 8000, 'a tick');
      dev.injectFault({ method: 'state_queryStorageAt', delayMs: 1500, times: 1 });
      await until(() => run.log.lines.some((l) => l.msg === 'the previous tick is still running; this one is skipped'), 6000, 'a running slow tick');
      const before = readFileSync(state, 'utf8');
      run.stop.abort();
      if (how === 'second signal') setTimeout(() => run.abandon.abort(), 50);
      await run.done;
      const said = how === 'timeout' ? 'the running tick did not finish in time; abandoned (nothing of it is saved)' : 'the running tick is abandoned (nothing of it is saved)';
      expect(run.log.lines.some((l) => l.msg === said)).toBe(true);
      expect(existsSync(`${state}.lock`)).toBe(false);
      // The slow answer arrives after the stop; the abandoned tick still saves nothing.
      await new Promise((r) => setTimeout(r, 1600));
      expect(readFileSync(state, 'utf8')).toBe(before);
      expect(run.outcomes.at(-1)?.kind).toBe('abandoned');
      const lines = readFileSync(`${state}.history.jsonl`, 'utf8').trim().split('\n');
      expect(lines.length - 1).toBe(readState(state).ticks.length);
    }
  });
});
