/**
 * The two long-running commands as real processes: `dtao devnet` serving the market simulator
 * on 127.0.0.1 (port 0), and `dtao record` on a schedule against it, each stopped with SIGTERM.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectChain } from '../../src/chain/client.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const DTAO = join(REPO_ROOT, 'bin', 'dtao.mjs');

interface Proc {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [DTAO, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, exited };
}

async function until<T>(get: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('dtao devnet and dtao record as processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtao-cli-'));
  const procs: Proc[] = [];
  afterAll(() => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves simulator blocks to the adapter and a scheduled recorder; both stop cleanly on SIGTERM', async () => {
    const devnet = start(['devnet', '--port', '0', '--block-time', '300', '--subnets', '3', '--seed', '5', '--start-block', '2000000']);
    procs.push(devnet);
    const url = await until(() => /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(devnet.stdout())?.[1], 20_000);

    const client = await connectChain({ endpoint: url, requestTimeoutMs: 5000 });
    const read = await client.readSnapshot();
    await client.disconnect();
    expect(read.blockNumber).toBeGreaterThanOrEqual(2_000_000);
    expect(read.snapshot.subnets.length).toBe(3);
    expect(read.specVersion).toBe(424);

    const out = join(dir, 'rec.jsonl');
    const recorder = start(['record', '--endpoint', url, '--out', out, '--schedule', '* * * * * *', '--quiet']);
    procs.push(recorder);
    await until(() => (existsSync(out) && readFileSync(out, 'utf8').split('\n').length >= 3 ? true : undefined), 20_000);
    recorder.child.kill('SIGTERM');
    expect(await recorder.exited).toBe(0);
    expect(recorder.stdout()).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ snapshot\\(s\\) appended, 0 already present, 0 failed read\\(s\\)\\n$`));
    expect(existsSync(`${out}.lock`)).toBe(false);
    const blocks = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => (JSON.parse(l) as { block: number }).block);
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(blocks[0]).toBeGreaterThanOrEqual(read.blockNumber);

    devnet.child.kill('SIGTERM');
    expect(await devnet.exited).toBe(0);
  });
});
