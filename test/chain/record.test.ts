/**
 * `dtao record` against the devnet on 127.0.0.1: one snapshot with --once, a scheduled run on
 * a fast cron, and a recorder process killed with SIGKILL then restarted:
 * the file must stay whole lines, load with the project's reader, and hold no block twice.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChain } from '../../src/chain/client.ts';
import { runRecorder } from '../../src/chain/recorder.ts';
import type { RecorderLog } from '../../src/chain/recorder.ts';
import { loadDataset } from '../../src/data/load.ts';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { startDevnet } from '../../src/devnet/server.ts';
import { REPO_ROOT } from '../helpers/shared.ts';
import { ScriptSource, TAO, subnetAt, START_BLOCK } from '../devnet/script-source.ts';
import { dtaoInProcess as dtao } from '../helpers/cli-in-process.ts';

const DTAO = join(REPO_ROOT, 'bin', 'dtao.mjs');


function snapshotLines(path: string): Array<Record<string, unknown>> {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines[0]!.format).toBe('dtao-snapshots/1');
  return lines.slice(1);
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const quiet: RecorderLog = { info: () => {}, warn: () => {}, debug: () => {}, error: () => {} };

describe('dtao record', () => {
  let dev: DevnetServer;
  let dir: string;

  beforeAll(async () => {
    dev = await startDevnet({ source: new ScriptSource(), blockTimeMs: 0 });
    dev.produceBlocks(3);
    dir = mkdtempSync(join(tmpdir(), 'dtao-record-'));
  });

  afterAll(async () => {
    await dev?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--once appends one snapshot of the head block, and not again while the head stays', async () => {
    const out = join(dir, 'once.jsonl');
    const first = await dtao(['record', '--endpoint', dev.url, '--out', out, '--once', '--quiet']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${out}: appended block ${dev.bestNumber}\n`);
    const lines = snapshotLines(out);
    expect(lines.length).toBe(1);
    const k = BigInt(dev.bestNumber - START_BLOCK);
    const sn2 = (lines[0]!.subnets as Array<Record<string, unknown>>)[1]!;
    // subnet 2: tao_in = 2000 + k TAO, alpha_in = 4000, moving price 2/8 + k/1024, fee rate 35
    expect(sn2).toMatchObject({ netuid: 2, tao_in: String(2000n + k), alpha_in: '4000', moving_price: String(0.25 + Number(k) / 1024), fee_rate: 35, name: 'subnet 2 \u03b1' });
    expect(lines[0]).toMatchObject({ block: dev.bestNumber, root_stake: `4500000.00000000${k}`, block_emission: '0.5' });
    expect(subnetAt(2, dev.bestNumber, START_BLOCK).taoIn).toBe((2000n + k) * TAO);
    // the project's own reader accepts the file
    expect(loadDataset(out, { cache: false }).dataset.snapshotCount).toBe(1);
    // JSON lines in the log file
    const log = readFileSync(`${out}.log`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(log.map((l) => l.msg)).toContain('snapshot appended');

    const again = await dtao(['record', '--endpoint', dev.url, '--out', out, '--once', '--quiet']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${out}: block already in the file (last block ${dev.bestNumber})\n`);
    expect(snapshotLines(out).length).toBe(1);
  });

  it('says what is wrong with a bad schedule, in one line', async () => {
    const r = await dtao(['record', '--endpoint', dev.url, '--out', join(dir, 'x.jsonl'), '--schedule', '61 * * * *']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dtao: error: --schedule "61 \* \* \* \*" is not a cron expression \(.*minute.*\); use 5 fields/);
    expect(r.stderr.trim().split('\n').length).toBe(1);
    expect(existsSync(join(dir, 'x.jsonl'))).toBe(false);
  });

  it('appends on every tick of a fast schedule until stopped', async () => {
    const ticking = await startDevnet({ source: new ScriptSource(), blockTimeMs: 200 });
    const client = await connectChain({ endpoint: ticking.url, requestTimeoutMs: 2000 });
    const out = join(dir, 'scheduled.jsonl');
    const stop = new AbortController();
    try {
      const running = runRecorder({ source: client, out, schedule: '* * * * * *', log: quiet, signal: stop.signal });
      await until(() => existsSync(out) && readFileSync(out, 'utf8').split('\n').length >= 4, 6000); // header + 2 lines + ''
      stop.abort();
      const summary = await running;
      expect(summary.appended).toBeGreaterThanOrEqual(2);
      const blocks = snapshotLines(out).map((l) => l.block as number);
      expect(blocks.length).toBe(summary.appended);
      for (let i = 1; i < blocks.length; i++) expect(blocks[i]!).toBeGreaterThan(blocks[i - 1]!);
      expect(existsSync(`${out}.lock`)).toBe(false);
    } finally {
      await client.disconnect();
      await ticking.close();
    }
  });

  it('survives SIGKILL in the middle of its work: the restart repairs the file and adds no block twice', async () => {
    const out = join(dir, 'killed.jsonl');
    const child = spawn(process.execPath, [DTAO, 'record', '--endpoint', dev.url, '--out', out, '--schedule', '* * * * * *', '--quiet'], {
      cwd: REPO_ROOT, stdio: 'ignore',
    });
    try {
      // header + one whole snapshot line (counted without parsing: a write may be under way)
      await until(() => existsSync(out) && readFileSync(out, 'utf8').split('\n').length >= 3, 15_000);
      dev.produceBlocks(1);
      await new Promise((r) => setTimeout(r, 700)); // the next tick may be writing now
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(`${out}.lock`)).toBe(true); // left behind by the killed recorder
    // A write cut off by the kill leaves part of a line without its newline. The kill may have
    // done so already; add such a fragment in any case.
    const before = readFileSync(out, 'utf8');
    const tornByKill = before.length - (before.lastIndexOf('\n') + 1);
    appendFileSync(out, before.split('\n').at(-2)!.slice(0, 57));

    const restart = await dtao(['record', '--endpoint', dev.url, '--out', out, '--once', '--quiet']);
    expect(restart.code).toBe(0);
    const blocks = snapshotLines(out).map((l) => l.block as number);
    expect(new Set(blocks).size).toBe(blocks.length);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!).toBeGreaterThan(blocks[i - 1]!);
    expect(blocks.at(-1)).toBe(dev.bestNumber);
    expect(loadDataset(out, { cache: false }).dataset.snapshotCount).toBe(blocks.length);
    expect(existsSync(`${out}.lock`)).toBe(false);
    const log = readFileSync(`${out}.log`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string; bytes?: number });
    expect(log.find((l) => l.msg === 'cut off a torn last line left by an interrupted write')?.bytes).toBe(tornByKill + 57);
  });
});
