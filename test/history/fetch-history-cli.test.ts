/**
 * `dtao fetch-history` through the real command line, against a devnet in this process: dates
 * on the command line, the summary, the file loading with `dtao inspect --strict` and
 * converting to CSV and back byte for byte; each bad input as one line on stderr with a
 * non-zero exit and the file untouched; and in child processes, a file-size limit (the
 * kernel's EFBIG, as a full disk gives ENOSPC), Ctrl-C and kill -9 in the middle of a fetch,
 * each leaving a valid file that a re-run completes to the same bytes as one clean run.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadDataset } from '../../src/data/load.ts';
import { CURRENT_RUNTIME, PRE_BALANCER_RUNTIME } from '../../src/devnet/runtime/runtime.ts';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { startDevnet } from '../../src/devnet/server.ts';
import { hasStack } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/shared.ts';
import { ScriptSource } from '../devnet/script-source.ts';

const DTAO = join(REPO_ROOT, 'bin', 'dtao.mjs');

async function dtao(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

interface Child { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }

function child(script: string): { done: Promise<Child>; pid: number; kill: (s: NodeJS.Signals) => void } {
  const p = spawn('sh', ['-c', script], { cwd: REPO_ROOT, env: { ...process.env, DTAO_NO_PROGRESS: '1' } });
  let out = '';
  let err = '';
  p.stdout.on('data', (b) => (out += b));
  p.stderr.on('data', (b) => (err += b));
  const done = new Promise<Child>((resolve) => p.on('close', (code, signal) => resolve({ code, signal, out, err })));
  return { done, pid: p.pid!, kill: (s) => p.kill(s) };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whole lines in a file that may be mid-write. */
const newlines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);

let dir: string;
let dev: DevnetServer;
const node = JSON.stringify(process.execPath);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-fetch-cli-'));
  process.env.DTAO_CACHE_DIR = join(dir, 'cache');
  // block b at 2026-01-01T00:00:00Z + (b - 1) x 12 s; spec 424 from block 30
  dev = await startDevnet({
    source: new ScriptSource({ startBlock: 1, quoteWeight: 0.4 }),
    blockTimeMs: 0,
    runtimes: [{ fromBlock: 0, spec: PRE_BALANCER_RUNTIME }, { fromBlock: 30, spec: CURRENT_RUNTIME }],
  });
  dev.produceBlocks(100); // head 101 at 00:20:00
});
afterAll(async () => {
  await dev?.close();
  rmSync(dir, { recursive: true, force: true });
  delete process.env.DTAO_CACHE_DIR;
});

describe('dtao fetch-history on the command line', () => {
  it('maps dates to blocks, prints what it wrote, and the file passes dtao inspect --strict and converts to CSV and back unchanged', async () => {
    const out = join(dir, 'dates.jsonl');
    // 00:01:05 -> first block at or after: 7 (00:01:12); 00:10:00 included -> block 51
    const r = await dtao('fetch-history', '--endpoint', dev.url, '--from', '2026-01-01T00:01:05Z', '--to', '2026-01-01T00:10:00Z', '--every', '11', '--out', out, '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `Wrote 5 snapshot(s) to ${out} (blocks 7 .. 51); blocks 7 .. 51 every 11: 5 sampled block(s)\n` +
        'runtime: spec 422 from block 7, spec 424 from block 40\n',
    );
    const inspect = await dtao('inspect', out, '--json', '--strict');
    expect(inspect.code).toBe(0);
    const report = JSON.parse(inspect.out) as { snapshots: number; blocks: { first: number; last: number }; cadence: { medianBlocks: number; secondsPerBlock: number }; ok: boolean };
    expect(report).toMatchObject({ snapshots: 5, blocks: { first: 7, last: 51 }, cadence: { medianBlocks: 11, secondsPerBlock: 12 }, ok: true });

    const csv = join(dir, 'dates.csv');
    const back = join(dir, 'dates-back.jsonl');
    expect((await dtao('convert', out, csv)).code).toBe(0);
    expect((await dtao('convert', csv, back)).code).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe(readFileSync(out, 'utf8'));

    const again = await dtao('fetch-history', '--endpoint', dev.url, '--from', '7', '--to', '51', '--every', '11', '--out', out, '--quiet');
    expect(again.code).toBe(0);
    expect(again.out).toBe(`${out} already holds every sampled block up to 51 (last block 51; blocks 7 .. 51 every 11: 5 sampled block(s)); nothing to fetch\n`);
  });

  it('logs the range and the upgrade on stderr unless --quiet', async () => {
    const out = join(dir, 'logged.jsonl');
    const r = await dtao('fetch-history', '--endpoint', dev.url, '--from', '20', '--to', '40', '--every', '10', '--out', out);
    expect(r.code).toBe(0);
    expect(r.err).toContain('range of blocks to fetch');
    expect(r.err).toContain('runtime upgrade between block 20 and block 30: spec 422 -> 424');
  });

  it('draws a progress bar with the time left on a terminal, and clears it at the end', async () => {
    const out = join(dir, 'progress.jsonl');
    const wasTty = process.stderr.isTTY;
    const noProgress = process.env.DTAO_NO_PROGRESS;
    delete process.env.DTAO_NO_PROGRESS;
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    dev.injectFault({ method: 'state_queryStorageAt', delayMs: 30 });
    try {
      const r = await dtao('fetch-history', '--endpoint', dev.url, '--from', '80', '--to', '99', '--every', '1', '--concurrency', '1', '--out', out, '--quiet');
      expect(r.code).toBe(0);
      const draws = r.err.split('\r').filter((d) => d.startsWith('fetching '));
      expect(draws.length).toBeGreaterThanOrEqual(3);
      expect(draws[0]).toMatch(new RegExp(`^fetching .*progress\\.jsonl +0% +\\[ {24}\\]`));
      expect(draws.at(-1)).toMatch(/ +\d+% +\[=+ *\] +ETA \d+s/);
      expect(r.err.endsWith('\r\x1b[K')).toBe(true);
    } finally {
      dev.clearFaults();
      Object.defineProperty(process.stderr, 'isTTY', { value: wasTty, configurable: true });
      if (noProgress !== undefined) process.env.DTAO_NO_PROGRESS = noProgress;
    }
  });

  it('says what is wrong in one line, exits non-zero and leaves the file as it was', async () => {
    const out = join(dir, 'bad.jsonl');
    const closed = await startDevnet({ source: new ScriptSource(), blockTimeMs: 0 });
    const nowhere = closed.url;
    await closed.close(); // nothing listens there now
    const polkadot = await startDevnet({
      source: new ScriptSource(), blockTimeMs: 0,
      runtimes: [{ fromBlock: 0, spec: { specName: 'polkadot', specVersion: 1_003_000, features: { swapBalancer: false, swapRuntimeApi: false }, omitPallets: ['SubtensorModule', 'Swap'] } }],
    });
    const pruning = await startDevnet({ source: new ScriptSource({ startBlock: 1 }), blockTimeMs: 0, stateWindow: 8 });
    pruning.produceBlocks(40);
    try {
      const cases: Array<[string[], RegExp]> = [
        [['--endpoint', nowhere, '--from', '10', '--to', '20'], new RegExp(`^cannot connect to ${nowhere}: 3 connection attempts failed \\(.*\\); check the address and that the node is running$`)],
        [['--endpoint', polkadot.url, '--from', '10', '--to', '20'], /is not a Bittensor subtensor node \(chain "dtao-lab devnet", runtime "polkadot" has no SubtensorModule\); use a subtensor endpoint/],
        [['--endpoint', pruning.url, '--from', '10', '--to', '20'], new RegExp(`^${pruning.url} does not have the state of block 10 \\(reading its snapshot\\): it keeps only recent blocks, it is not an archive node; read past blocks from an archive node such as wss://archive\\.chain\\.opentensor\\.ai:443\\. .*bad\\.jsonl was not created\\.$`)],
        // the order shows without the chain: no connection is tried (the endpoint is closed)
        [['--endpoint', nowhere, '--from', '30', '--to', '20'], /^--from 30 is after --to 20: nothing to fetch; give the earlier one as --from$/],
        [['--endpoint', nowhere, '--from', '2026-01-02', '--to', '2026-01-01T12:00:00Z'], /^--from 2026-01-02 is after --to 2026-01-01T12:00:00Z: nothing to fetch/],
        [['--endpoint', dev.url, '--from', '2026-01-01T00:05:00Z', '--to', '10'], /^--from 2026-01-01T00:05:00Z \(block 26\) is after --to 10 \(block 10\): nothing to fetch/],
        [['--endpoint', dev.url, '--from', '10', '--to', '500'], /^--to 500 is after the finalized head \(block 101 at 2026-01-01T00:20:00Z\); give an earlier block, or leave --to out/],
        [['--endpoint', dev.url, '--from', '2025-12-31', '--to', '10'], /^--from 2025-12-31 is before the chain's first block \(block 1 at 2026-01-01T00:00:00Z\); give a later time$/],
        [['--endpoint', nowhere, '--from', 'yesterday'], /^--from yesterday: expected a block number \(e\.g\. 4920351\), a UTC date \(2026-08-01\) or a UTC instant \(2026-08-01T06:00:00Z\)$/],
        [['--endpoint', nowhere, '--from', '0'], /^--from 0: block 0 is the genesis block, which holds no market state; start at block 1 or later$/],
        [['--endpoint', nowhere, '--from', '10', '--every', '0'], /^--every 0: expected an integer >= 1$/],
        [['--endpoint', 'http://example.org', '--from', '10'], /^endpoint "http:\/\/example\.org" is not a WebSocket URL/],
      ];
      for (const [args, message] of cases) {
        const r = await dtao('fetch-history', ...args, '--out', out, '--quiet');
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.err.startsWith('dtao: error: '), args.join(' ')).toBe(true);
        expect(r.err.endsWith('\n') && r.err.split('\n').length === 2, `${args.join(' ')}: ${r.err}`).toBe(true);
        expect(r.err.slice('dtao: error: '.length, -1), args.join(' ')).toMatch(message);
        expect(hasStack(r.err)).toBe(false);
        expect(existsSync(out), args.join(' ')).toBe(false);
      }
      const csv = await dtao('fetch-history', '--endpoint', dev.url, '--from', '10', '--out', join(dir, 'x.csv'));
      expect(csv.err).toMatch(/^dtao: error: --out .*x\.csv: fetch-history writes JSON Lines; name it \.jsonl/);

      // an existing file that cannot be continued stays byte for byte as it was
      writeFileSync(out, '{"format":"dtao-snapshots/1","source":"elsewhere"}\n');
      const r = await dtao('fetch-history', '--endpoint', dev.url, '--from', '10', '--to', '20', '--out', out, '--quiet');
      expect(r.code).toBe(1);
      expect(r.err).toBe(`dtao: error: ${out} was not written by dtao fetch-history (its header has no sampling grid); choose another --out\n`);
      expect(readFileSync(out, 'utf8')).toBe('{"format":"dtao-snapshots/1","source":"elsewhere"}\n');
    } finally {
      await polkadot.close();
      await pruning.close();
    }
  });
});

describe('dtao fetch-history interrupted (child processes)', () => {
  const range = ['--from', '2', '--to', '100', '--every', '2']; // 50 sampled blocks
  let reference: string;

  beforeAll(async () => {
    const ref = join(dir, 'reference.jsonl');
    const r = await dtao('fetch-history', '--endpoint', dev.url, ...range, '--out', ref, '--quiet');
    expect(r.code).toBe(0);
    reference = readFileSync(ref, 'utf8');
    expect(reference.split('\n').length).toBe(52); // header, 50 lines, ''
  });

  it('under a file-size limit: one line naming the last block kept, a valid file, and a re-run completes it', async () => {
    const out = join(dir, 'limited.jsonl');
    const c = child(`ulimit -f 16; exec ${node} ${JSON.stringify(DTAO)} fetch-history --endpoint ${dev.url} ${range.join(' ')} --out ${JSON.stringify(out)} --quiet`);
    const r = await c.done;
    expect(r.code).toBe(1);
    const kept = readFileSync(out, 'utf8');
    expect(kept.endsWith('\n')).toBe(true);
    const n = kept.split('\n').length - 2;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(50);
    expect(kept).toBe(reference.split('\n').slice(0, n + 1).join('\n') + '\n'); // a prefix of the clean run
    const lastBlock = 2 + (n - 1) * 2;
    expect(r.err).toBe(`dtao: error: cannot write ${out}: the file-size limit was reached (EFBIG); it is intact up to block ${lastBlock} (line ${n + 1}). Free some space and run the command again.\n`);
    expect(loadDataset(out, { cache: false }).dataset.snapshotCount).toBe(n);
    expect(existsSync(`${out}.lock`)).toBe(false);

    const again = await dtao('fetch-history', '--endpoint', dev.url, ...range, '--out', out, '--quiet');
    expect(again.code).toBe(0);
    expect(again.out).toContain(`continuing after block ${lastBlock}`);
    expect(readFileSync(out, 'utf8')).toBe(reference);
  });

  it('Ctrl-C stops after the reads under way (exit 130), kill -9 leaves at most a torn line; re-runs complete the file', async () => {
    dev.injectFault({ method: 'state_queryStorageAt', delayMs: 40 }); // slow enough to stop in the middle
    try {
      const out = join(dir, 'stopped.jsonl');
      const args = `fetch-history --endpoint ${dev.url} ${range.join(' ')} --concurrency 2 --out ${JSON.stringify(out)} --quiet`;
      const interrupted = child(`exec ${node} ${JSON.stringify(DTAO)} ${args}`);
      await until(() => newlines(out) >= 4, 20_000); // header + 3 snapshots
      interrupted.kill('SIGINT');
      const r = await interrupted.done;
      expect(r.code).toBe(130);
      const kept = newlines(out) - 1;
      const last = 2 + (kept - 1) * 2;
      expect(r.out).toMatch(new RegExp(`^Interrupted: wrote ${kept} snapshot\\(s\\) to .*stopped\\.jsonl \\(blocks 2 \\.\\. ${last}\\); .*\n.*\n.*is valid up to block ${last}; run the same command again to continue\n$`));
      expect(readFileSync(out, 'utf8')).toBe(reference.split('\n').slice(0, kept + 1).join('\n') + '\n');
      expect(existsSync(`${out}.lock`)).toBe(false);

      const killed = child(`exec ${node} ${JSON.stringify(DTAO)} ${args}`);
      await until(() => newlines(out) >= kept + 4, 20_000);
      killed.kill('SIGKILL');
      await killed.done;
      // whatever the kill cut off, add half a line more
      const before = readFileSync(out, 'utf8');
      const whole = before.lastIndexOf('\n') + 1;
      const torn = before.length - whole;
      const next = reference.split('\n')[before.slice(0, whole).split('\n').length - 1]!;
      appendFileSync(out, next.slice(torn, torn + 100));
      expect(existsSync(`${out}.lock`)).toBe(true); // left by the killed process; taken over below

      dev.clearFaults();
      const done = await dtao('fetch-history', '--endpoint', dev.url, ...range, '--out', out);
      expect(done.code).toBe(0);
      expect(done.err).toContain('cut off a torn last line left by an interrupted write');
      expect(readFileSync(out, 'utf8')).toBe(reference);
      expect(existsSync(`${out}.lock`)).toBe(false);
    } finally {
      dev.clearFaults();
    }
  });
});
