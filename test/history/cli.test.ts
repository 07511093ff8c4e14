/**
 * The three commands through the real CLI entry: exit codes, one-line errors, the key never
 * printed or written; and, in child processes, a kill -9 in the middle of an import and a
 * file-size limit (the kernel's EFBIG, as a full disk gives ENOSPC) during convert and import.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { loadDataset } from '../../src/data/load.ts';
import { VirtualClock } from '../../src/history/clock.ts';
import { importTaostats } from '../../src/history/taostats/import.ts';
import { REPO_ROOT } from '../helpers/shared.ts';
import { startFakeTaostats, type FakeTaostats } from './fake-taostats.ts';
import { HOUR, T0, expectedLines, fixtureRows } from './taostats-fixture.ts';

const KEY = 'tao-cli-0b1c2d3e:secret99';
let dir: string;
let server: FakeTaostats | undefined;
const savedEnv = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-cli-'));
  process.env.DTAO_CACHE_DIR = join(dir, 'cache');
  process.env.DTAO_NO_PROGRESS = '1';
  delete process.env.TAOSTATS_API_KEY;
  delete process.env.TAOSTATS_BASE_URL;
});
afterEach(async () => {
  process.env = { ...savedEnv };
  process.exitCode = undefined;
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function dtao(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

function child(script: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn('sh', ['-c', script], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

const HAND = [
  '{"format":"dtao-snapshots/1"}',
  '{"block":100,"time":"2026-08-01T00:00:00Z","subnets":[{"netuid":1,"tao_in":"10","alpha_in":"20","price":"0.5"}]}',
  '{"block":400,"time":"2026-08-01T01:00:00Z","subnets":[{"netuid":1,"tao_in":"10","alpha_in":"20","price":"0.6"}]}',
  '{"block":700,"time":"2026-08-01T02:00:00Z","subnets":[{"netuid":1,"tao_in":"10","alpha_in":"20","price":"0.5"}]}',
].join('\n') + '\n';

describe('dtao inspect / convert on the command line', () => {
  it('inspect: 0 without --strict, 3 with it when a check fails, JSON with --json, one-line flag errors', async () => {
    const f = join(dir, 'hand.jsonl');
    writeFileSync(f, HAND);
    const plain = await dtao('inspect', f);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('  FAIL  price   1 of 3 rows give a price more than 1% away');
    expect((await dtao('inspect', f, '--strict')).code).toBe(3);
    expect((await dtao('inspect', f, '--strict', '--price-tolerance', '25%')).code).toBe(0);
    const json = await dtao('inspect', f, '--json');
    expect(JSON.parse(json.out)).toMatchObject({ snapshots: 3, ok: false, checks: { price: { count: 1 } } });
    const bad = await dtao('inspect', f, '--max-gap', 'soon');
    expect(bad).toEqual({ code: 1, out: '', err: 'dtao: error: --max-gap soon: expected a duration such as 90m, 6h or 2d (a bare number is hours), or "auto"\n' });
    const missing = await dtao('inspect', join(dir, 'nope.jsonl'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^dtao: error: .*nope\.jsonl: no such file \(give a dtao-snapshots\/1 \.jsonl or \.csv file\)\n$/);
  });

  it('convert: writes, refuses to overwrite without --force, and round-trips', async () => {
    const f = join(dir, 'hand.jsonl');
    writeFileSync(f, HAND);
    const csv = join(dir, 'hand.csv');
    const first = await dtao('convert', f, csv);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Wrote ${csv} (CSV): 3 snapshots, 3 subnet rows, with the header`);
    const again = await dtao('convert', f, csv);
    expect(again).toEqual({ code: 1, out: '', err: `dtao: error: ${csv} exists; pass --force to replace it, or choose another name\n` });
    expect((await dtao('convert', f, csv, '--force')).code).toBe(0);
    const back = join(dir, 'back.jsonl');
    expect((await dtao('convert', csv, back)).code).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe(HAND);
    const nowhere = await dtao('convert', f, join(dir, 'no-such-folder', 'x.csv'));
    expect(nowhere.err).toMatch(/^dtao: error: <out> .*x\.csv: the folder .*no-such-folder does not exist/);
  });
});

describe('dtao import taostats on the command line', () => {
  it('imports with the key from the environment, and neither prints nor writes the key', async () => {
    server = await startFakeTaostats({ apiKey: KEY, rows: { by_hour: fixtureRows(30) } });
    process.env.TAOSTATS_API_KEY = KEY;
    process.env.TAOSTATS_BASE_URL = server.url;
    const out = join(dir, 'pools.jsonl');
    const r = await dtao('import', 'taostats', '--from', '2026-08-01', '--to', '2026-08-01T23:59:59Z', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Wrote 24 snapshot(s) to ${out} (blocks 8,700,000 .. 8,706,900); 2 request(s), 0 retried`);
    expect(readFileSync(out, 'utf8').split('\n').slice(1, -1)).toEqual(expectedLines(0, 24));
    // Continue to the end of the fixture with the key on the command line this time.
    delete process.env.TAOSTATS_API_KEY;
    const more = await dtao('import', 'taostats', '--api-key', KEY, '--from', '2026-08-01', '--to', '2026-08-02T05:59:59Z', '--out', out);
    expect(more.code).toBe(0);
    expect(more.err).toContain(`${out}: continuing after block 8706900 (2026-08-01T23:01:00.000Z)`);
    expect(readFileSync(out, 'utf8').split('\n').slice(1, -1)).toEqual(expectedLines(0, 30));
    for (const text of [r.out, r.err, more.out, more.err, readFileSync(out, 'utf8')]) expect(text).not.toContain(KEY);
    expect(readdirSync(dir).sort()).toEqual(['pools.jsonl']);
    expect(server.requests.every((q) => q.authorization === KEY && !q.url.search.includes(KEY))).toBe(true);
  });

  it('bad input: --from after --to, no key, a rejected key: one line each, non-zero, nothing written', async () => {
    server = await startFakeTaostats({ apiKey: KEY, rows: { by_hour: fixtureRows(3) } });
    const out = join(dir, 'x.jsonl');
    const base = ['import', 'taostats', '--base-url', server.url, '--out', out];
    const order = await dtao(...base, '--api-key', KEY, '--from', '2026-08-05', '--to', '2026-08-01');
    expect(order).toEqual({ code: 1, out: '', err: 'dtao: error: --from 2026-08-05 is not before --to 2026-08-01; give the earlier date first\n' });
    const nokey = await dtao(...base, '--from', '2026-08-01', '--to', '2026-08-02');
    expect(nokey.err).toBe('dtao: error: no Taostats API key: pass --api-key or set TAOSTATS_API_KEY (get a key at taostats.io)\n');
    const pasted = await dtao(...base, '--api-key', 'tao-abc\u0007def', '--from', '2026-08-01', '--to', '2026-08-02');
    expect(pasted.err).toBe('dtao: error: the Taostats API key holds a control or non-ASCII character; copy it again from taostats.io\n');
    const wrong = await dtao(...base, '--api-key', 'tao-not-it:000', '--from', '2026-08-01', '--to', '2026-08-02');
    expect(wrong.code).toBe(1);
    expect(wrong.err.split('\n')).toHaveLength(2); // one line and its newline
    expect(wrong.err).toMatch(/^dtao: error: Taostats rejected the API key \(HTTP 401 Unauthorized/);
    expect(wrong.err).not.toContain('tao-not-it');
    expect(existsSync(out)).toBe(false);
    expect(server.requests).toHaveLength(1); // only the rejected one: bad flags never reach the network
  });
});

describe('child processes: kill -9 and file-size limits', () => {
  const node = JSON.stringify(process.execPath);

  it('an import killed with SIGKILL mid-run is continued by the next run into the exact uninterrupted file', async () => {
    server = await startFakeTaostats({ apiKey: KEY, rows: { by_hour: fixtureRows(30) }, pageSize: 3, delayMs: 40 });
    const out = join(dir, 'killed.jsonl');
    const p = spawn(process.execPath, ['bin/dtao.mjs', 'import', 'taostats', '--from', '2026-08-01', '--to', '2026-08-02T05:59:59Z', '--rate-limit', '100000', '--out', out], {
      cwd: REPO_ROOT, env: { ...process.env, TAOSTATS_API_KEY: KEY, TAOSTATS_BASE_URL: server.url }, stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => p.on('exit', () => resolve()));
    // Kill it once a few hours are on disk.
    for (let i = 0; i < 400; i++) {
      if (existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 6) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    p.kill('SIGKILL');
    await exited;
    const partial = readFileSync(out, 'utf8').split('\n');
    expect(partial.length).toBeGreaterThan(6);
    expect(partial.length - 2).toBeLessThan(30); // killed before the end
    const r = await importTaostats({
      out, apiKey: KEY, baseUrl: server.url, netuids: 'all', fromMs: T0, toMs: T0 + 30 * HOUR, frequency: 'by_hour', rateLimit: 100_000, clock: new VirtualClock(T0 + 40 * 86_400_000),
    });
    expect(r.resumedAfterBlock).toBeDefined();
    expect(readFileSync(out, 'utf8').split('\n').slice(1, -1)).toEqual(expectedLines(0, 30));
  });

  it('convert under a file-size limit: one-line error, exit 1, no output and no temp file', async () => {
    const big = join(dir, 'big.jsonl');
    const lines = ['{"format":"dtao-snapshots/1"}'];
    for (let i = 0; i < 3000; i++) lines.push(`{"block":${1000 + i},"time":"${new Date(T0 + i * 12_000).toISOString()}","subnets":[{"netuid":1,"tao_in":"1000.123456789","alpha_in":"2000.987654321"},{"netuid":2,"tao_in":"5","alpha_in":"7"}]}`);
    writeFileSync(big, lines.join('\n') + '\n');
    const out = join(dir, 'big.csv');
    const r = await child(`ulimit -f 64; exec ${node} bin/dtao.mjs convert ${JSON.stringify(big)} ${JSON.stringify(out)}`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`dtao: error: cannot write ${out}: the file-size limit was reached (EFBIG); no output was written (an existing file is unchanged). Free some space and run the command again.\n`);
    expect(readdirSync(dir).filter((f) => f !== 'cache')).toEqual(['big.jsonl']);
  });

  it('import under a file-size limit: stops with the file valid up to its last line; a later run finishes it', async () => {
    server = await startFakeTaostats({ apiKey: KEY, rows: { by_hour: fixtureRows(30) }, pageSize: 3 });
    const out = join(dir, 'limited.jsonl');
    const r = await child(
      `ulimit -f 4; exec ${node} bin/dtao.mjs import taostats --from 2026-08-01 --to 2026-08-02T05:59:59Z --rate-limit 100000 --out ${JSON.stringify(out)}`,
      { TAOSTATS_API_KEY: KEY, TAOSTATS_BASE_URL: server.url },
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dtao: error: cannot write .*limited\.jsonl: the file-size limit was reached \(EFBIG\); it is intact up to block \d+ \(line \d+\)\. Free some space and run the command again\. .*limited\.jsonl is valid and holds snapshots up to block \d+; run the same command again to continue from there\n$/);
    const kept = readFileSync(out, 'utf8');
    expect(kept.length).toBeLessThanOrEqual(4096);
    expect(kept.endsWith('\n')).toBe(true);
    const keptLines = kept.split('\n').slice(1, -1);
    expect(keptLines).toEqual(expectedLines(0, keptLines.length));
    expect(loadDataset(out, { cache: false }).dataset.snapshotCount).toBe(keptLines.length);
    await importTaostats({
      out, apiKey: KEY, baseUrl: server.url, netuids: 'all', fromMs: T0, toMs: T0 + 30 * HOUR, frequency: 'by_hour', rateLimit: 100_000, clock: new VirtualClock(T0 + 40 * 86_400_000),
    });
    expect(readFileSync(out, 'utf8').split('\n').slice(1, -1)).toEqual(expectedLines(0, 30));
  });
});
