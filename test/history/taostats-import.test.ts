/**
 * `dtao import taostats` against a local server speaking the documented protocol: the
 * output is checked byte for byte against lines written out by hand (taostats-fixture.ts),
 * through a 429, a 500, a dropped connection, small pages with a short last page, a resume,
 * a crash with a torn last line, a full disk and a rejected key.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.ts';
import { loadDataset } from '../../src/data/load.ts';
import { VirtualClock } from '../../src/history/clock.ts';
import { importTaostats, TAOSTATS_SOURCE, type ImportEvent, type TaostatsImportOptions } from '../../src/history/taostats/import.ts';
import { startFakeTaostats, type FakeTaostats, type FakeTaostatsOptions } from './fake-taostats.ts';
import { B0, HOUR, T0, expectedLines, fixtureRows } from './taostats-fixture.ts';

const KEY = 'tao-5e1f0c2a-test-key:9f8e7d6c';
const HOURS = 30;

let dir: string;
let server: FakeTaostats | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-import-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function serve(extra: Partial<FakeTaostatsOptions> = {}): Promise<FakeTaostats> {
  server = await startFakeTaostats({ apiKey: KEY, rows: { by_hour: fixtureRows(HOURS) }, ...extra });
  return server;
}

interface Run {
  clock: VirtualClock;
  /** Virtual time at which each request started. */
  starts: number[];
  events: ImportEvent[];
  result: Awaited<ReturnType<typeof importTaostats>>;
}

async function run(opts: Partial<TaostatsImportOptions> & { out: string }, clock = new VirtualClock(T0 + 40 * 86_400_000)): Promise<Run> {
  const starts: number[] = [];
  const events: ImportEvent[] = [];
  const result = await importTaostats({
    apiKey: KEY, baseUrl: server!.url, netuids: 'all', fromMs: T0, toMs: T0 + HOURS * HOUR, frequency: 'by_hour', rateLimit: 5,
    clock,
    fetch: (input, init) => {
      starts.push(clock.now());
      return fetch(input, init);
    },
    onEvent: (e) => events.push(e),
    ...opts,
  });
  return { clock, starts, events, result };
}

function fileLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

function maxInAnyMinute(starts: number[]): number {
  let best = 0;
  for (let i = 0; i < starts.length; i++) {
    let k = 0;
    for (let j = i; j < starts.length && starts[j]! - starts[i]! < 60_000; j++) k++;
    best = Math.max(best, k);
  }
  return best;
}

describe('dtao import taostats', () => {
  it('imports every hour into the hand-written snapshots, through a 429 and a 500, within 5 requests a minute', async () => {
    await serve({
      pageSize: 10,
      fault: (k) => (k === 2 ? { status: 429, headers: { 'retry-after': '7' } } : k === 4 ? { status: 500 } : undefined),
    });
    const out = join(dir, 'pools.jsonl');
    const r = await run({ out });
    const lines = fileLines(out);
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ format: 'dtao-snapshots/1', source: TAOSTATS_SOURCE, frequency: 'by_hour', netuids: 'all' });
    expect(lines.slice(1)).toEqual(expectedLines(0, HOURS));
    expect(r.result).toMatchObject({ written: HOURS, firstBlock: B0, lastBlock: B0 + 300 * (HOURS - 1), retries: 2 });
    // The Retry-After of the 429 and the first backoff step after the 500 were waited out.
    expect(r.clock.sleeps).toContain(7_000);
    expect(r.clock.sleeps).toContain(5_000);
    // Never more than 5 requests in any minute of (virtual) time, and the limit did make it wait.
    expect(maxInAnyMinute(r.starts)).toBeLessThanOrEqual(5);
    expect(r.starts[r.starts.length - 1]! - r.starts[0]!).toBeGreaterThanOrEqual(60_000);
    // Hour 0 alone (3 rows with root), then windows that fit a 10-row page: floor(10 / 3) = 3 hours,
    // hours 1-3, 4-6, ..., 25-27, 28-29: 10 windows. 11 answers plus the 429 and the 500.
    const srv = server!;
    expect(srv.requests.length).toBe(13);
    expect(srv.requests.every((q) => q.authorization === KEY && q.url.searchParams.get('page') === '1')).toBe(true);
    expect(srv.requests[0]!.url.searchParams.get('order')).toBe('netuid_asc');
    expect(srv.requests[2]!.url.searchParams.get('timestamp_start')).toBe(String((T0 + HOUR) / 1000));
    expect(srv.requests[2]!.url.searchParams.get('timestamp_end')).toBe(String((T0 + 4 * HOUR) / 1000));
    expect(r.result.notes.join('\n')).toMatch(/1 price\(s\) left out .* netuid 1 at block 8700900/);
    expect(r.result.notes.join('\n')).toMatch(/1 netuid 0 \(root\) row\(s\) left out/);
    // The file loads with the project's own validator.
    const ds = loadDataset(out, { cache: false }).dataset;
    expect(ds.snapshotCount).toBe(HOURS);
  });

  it('follows the pagination object page by page, to a short last page, through a 429 and a 500 on the way', async () => {
    await serve({ pageSize: 10, fault: (k) => (k === 3 ? { status: 429 } : k === 8 ? { status: 500 } : undefined) });
    const out = join(dir, 'pages.jsonl');
    const r = await run({ out, netuids: [1, 2, 3] });
    expect(fileLines(out).slice(1)).toEqual(expectedLines(0, HOURS));
    // Netuids 1 and 2 have 30 rows (pages of 10, 10, 10; the third says no next page),
    // netuid 3 has 25 (10, 10 and a short page of 5). Request 3 (1:3) got a 429, request 8 (3:1) a 500.
    const asked = server!.requests.map((q) => `${q.url.searchParams.get('netuid')}:${q.url.searchParams.get('page')}`);
    expect(asked).toEqual(['1:1', '1:2', '1:3', '1:3', '2:1', '2:2', '2:3', '3:1', '3:1', '3:2', '3:3']);
    // A 429 without Retry-After waits one request slot at 5 a minute (12 s); a 500 the first backoff step.
    expect(r.clock.sleeps).toContain(12_000);
    expect(r.clock.sleeps).toContain(5_000);
  });

  it('fetches a window again one hour at a time when its pages repeat and miss rows', async () => {
    const row = (h: number, n: number) => ({
      netuid: n, block_number: B0 + 300 * h, timestamp: new Date(T0 + h * HOUR + 60_000).toISOString(),
      total_tao: `${10 + n}000000000`, alpha_in_pool: `${20 + 2 * n}000000000`, price: '0.5',
    });
    const rows = [row(0, 1), row(0, 2), row(1, 1), row(1, 2), row(2, 1), row(2, 2), row(2, 3), row(2, 4)];
    server = await startFakeTaostats({ apiKey: KEY, rows: { by_hour: rows }, pageSize: 4, unstableTies: true });
    const out = join(dir, 'ties.jsonl');
    await run({ out, toMs: T0 + 3 * HOUR });
    const got = fileLines(out).slice(1).map((l) => JSON.parse(l));
    expect(got.map((s) => s.subnets.map((x: { netuid: number }) => x.netuid))).toEqual([[1, 2], [1, 2], [1, 2, 3, 4]]);
    // Hour 0; hours 1-2 (6 rows: two pages that do not add up); then hour 1 and hour 2 alone.
    const asked = server!.requests.map((q) => `${q.url.searchParams.get('timestamp_start')}:${q.url.searchParams.get('page')}:${q.url.searchParams.get('order')}`);
    const s = (h: number) => String((T0 + h * HOUR) / 1000);
    expect(asked).toEqual([`${s(0)}:1:netuid_asc`, `${s(1)}:1:timestamp_asc`, `${s(1)}:2:timestamp_asc`, `${s(1)}:1:netuid_asc`, `${s(2)}:1:netuid_asc`]);
  });

  it('queries each listed netuid on its own and keeps only those subnets', async () => {
    await serve();
    const out = join(dir, 'two.jsonl');
    await run({ out, netuids: [2, 3] });
    const got = fileLines(out).slice(1).map((l) => JSON.parse(l));
    expect(got).toHaveLength(HOURS);
    // Hour 0 holds only netuid 2, read one block before the hour's block.
    expect(got[0]).toMatchObject({ block: B0 - 1, time: '2026-08-01T00:00:48.000Z' });
    expect(got[0].subnets.map((s: { netuid: number }) => s.netuid)).toEqual([2]);
    expect(got[5].subnets.map((s: { netuid: number }) => s.netuid)).toEqual([2, 3]);
    expect(got[5].block).toBe(B0 + 1500);
    const netuidParams = server!.requests.map((q) => q.url.searchParams.get('netuid'));
    expect(netuidParams).toEqual(['2', '3']);
  });

  it('continues after the last snapshot written, without asking for those hours again', async () => {
    await serve();
    const out = join(dir, 'resume.jsonl');
    await run({ out, toMs: T0 + 12 * HOUR });
    expect(fileLines(out).slice(1)).toEqual(expectedLines(0, 12));
    const before = server!.requests.length;
    const second = await run({ out });
    expect(fileLines(out).slice(1)).toEqual(expectedLines(0, HOURS));
    expect(second.events).toContainEqual({ kind: 'resume', afterBlock: B0 + 300 * 11, afterTime: '2026-08-01T11:01:00.000Z', repairedBytes: 0 });
    const later = server!.requests.slice(before);
    expect(later.every((q) => Number(q.url.searchParams.get('timestamp_start')) >= (T0 + 12 * HOUR) / 1000)).toBe(true);
    // Nothing left: a third run asks nothing.
    const third = await run({ out });
    expect(third.result.upToDate).toBe(true);
    expect(third.starts).toHaveLength(0);
  });

  it('after a crash and a torn last line, a re-run ends with exactly the file of an uninterrupted run', async () => {
    await serve({ pageSize: 10 });
    const clean = join(dir, 'clean.jsonl');
    await run({ out: clean });
    const out = join(dir, 'crash.jsonl');
    // Request 1 (hour 0) is written; the process "dies" on page 2 of the next window.
    let calls = 0;
    const dying: typeof fetch = (input, init) => {
      if (++calls > 2) throw new Error('simulated crash');
      return fetch(input, init);
    };
    await expect(run({ out, fetch: dying })).rejects.toThrow('simulated crash');
    const written = fileLines(out).length - 1;
    expect(written).toBeGreaterThan(0);
    appendFileSync(out, '{"block":87012');
    const again = await run({ out });
    expect(again.result.repairedBytes).toBe('{"block":87012'.length);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(clean, 'utf8'));
  });

  it('a full disk stops the import with the file valid up to its last line, and a re-run completes it', async () => {
    await serve();
    const clean = join(dir, 'clean.jsonl');
    await run({ out: clean });
    const out = join(dir, 'full.jsonl');
    // The first batch creates the file; the disk fills up 100 bytes into the second batch.
    const full = (fd: number, buf: Buffer, off: number, len: number, pos: number): number => {
      if (off === 0 && len > 100) return writeSync(fd, buf, off, 100, pos);
      const e = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException;
      e.code = 'ENOSPC';
      throw e;
    };
    const err = await run({ out, appendWrite: full }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/no space left on the device \(ENOSPC\).*holds snapshots up to block 8700000; run the same command again/);
    const sizeAfter = statSync(out).size;
    const cleanBytes = readFileSync(clean);
    // What is left is a whole-line prefix of the clean file: header and hour 0.
    expect(readFileSync(out, 'utf8')).toBe(cleanBytes.subarray(0, sizeAfter).toString('utf8'));
    expect(fileLines(out)).toHaveLength(2);
    await run({ out });
    expect(readFileSync(out, 'utf8')).toBe(cleanBytes.toString('utf8'));
  });

  it('a rejected key is one clear error, creates no file and never shows the key', async () => {
    await serve();
    const out = join(dir, 'nokey.jsonl');
    const err = await run({ out, apiKey: 'tao-wrong-key:0000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^Taostats rejected the API key \(HTTP 401 Unauthorized: \{"message":"Unauthorized"\}\); check --api-key or TAOSTATS_API_KEY/);
    expect(msg).toMatch(/nokey\.jsonl was not created$/);
    expect(msg).not.toContain('tao-wrong-key');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(out + '.lock')).toBe(false);
  });

  it('gives up after the last attempt with the state of the file, and quotes server text with the key blanked out', async () => {
    await serve({ fault: (k) => (k >= 2 ? { status: 503, body: `upstream said ${KEY} is busy` } : undefined) });
    const out = join(dir, 'busy.jsonl');
    const events: ImportEvent[] = [];
    const err = await run({ out, onEvent: (e) => events.push(e), retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 1500, maxRetryAfterMs: 60_000 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const msg = (err as Error).message;
    expect(msg).toContain('HTTP 503 Service Unavailable: upstream said <api key> is busy (gave up after 3 attempts)');
    expect(msg).toContain('holds snapshots up to block 8700000');
    expect(msg).not.toContain(KEY);
    const retries = events.filter((e) => e.kind === 'retry');
    expect(retries.map((e) => (e as { waitMs: number }).waitMs)).toEqual([1000, 1500]);
  });

  it('retries a dropped connection', async () => {
    await serve({ fault: (k) => (k === 1 ? 'hang-up' : undefined) });
    const out = join(dir, 'drop.jsonl');
    const r = await run({ out });
    expect(r.result.retries).toBe(1);
    expect(fileLines(out).slice(1)).toEqual(expectedLines(0, HOURS));
  });

  it('by_day rows become one snapshot per UTC day', async () => {
    const day = (d: number, n: number, hour: number, block: number) => ({
      netuid: n, block_number: block, timestamp: new Date(T0 + d * 86_400_000 + hour * HOUR).toISOString(),
      total_tao: `${100 + d}000000000`, alpha_in_pool: `${200 + d}000000000`, price: '0.5',
    });
    server = await startFakeTaostats({ apiKey: KEY, rows: { by_day: [day(0, 1, 0, 1000), day(0, 2, 23, 8000), day(1, 1, 1, 8300), day(2, 2, 0, 15000)] } });
    const out = join(dir, 'daily.jsonl');
    await run({ out, frequency: 'by_day', toMs: T0 + 3 * 86_400_000 });
    expect(fileLines(out).slice(1)).toEqual([
      '{"block":8000,"time":"2026-08-01T23:00:00.000Z","subnets":[{"netuid":1,"tao_in":"100","alpha_in":"200","price":"0.5"},{"netuid":2,"tao_in":"100","alpha_in":"200","price":"0.5"}]}',
      '{"block":8300,"time":"2026-08-02T01:00:00.000Z","subnets":[{"netuid":1,"tao_in":"101","alpha_in":"201","price":"0.5"}]}',
      '{"block":15000,"time":"2026-08-03T00:00:00.000Z","subnets":[{"netuid":2,"tao_in":"102","alpha_in":"202","price":"0.5"}]}',
    ]);
  });

  it('refuses to continue a file written with other options, and leaves it alone', async () => {
    await serve();
    const out = join(dir, 'other.jsonl');
    await run({ out, toMs: T0 + 3 * HOUR });
    const bytes = readFileSync(out);
    await expect(run({ out, netuids: [1] })).rejects.toThrow(/was written with --frequency by_hour --netuid all; continue it with those options/);
    const foreign = join(dir, 'notes.jsonl');
    writeFileSync(foreign, 'my notes, no newline at the end');
    await expect(run({ out: foreign })).rejects.toThrow(/exists and is not a dtao-snapshots\/1 file/);
    expect(readFileSync(foreign, 'utf8')).toBe('my notes, no newline at the end');
    expect(readFileSync(out, 'utf8')).toBe(bytes.toString('utf8'));
  });

  it('stops before the hour that is not over yet, and adds it on a later run', async () => {
    await serve();
    const out = join(dir, 'now.jsonl');
    const early = await run({ out }, new VirtualClock(T0 + 10 * HOUR + 30 * 60_000));
    expect(fileLines(out).slice(1)).toEqual(expectedLines(0, 10));
    expect(early.result.notes).toContain('20 hour(s) not fetched because they are not over yet; run the same command again later to add them (first: from 2026-08-01T10:00:00.000Z)');
    expect(server!.requests.every((q) => Number(q.url.searchParams.get('timestamp_end')) <= (T0 + 10 * HOUR) / 1000)).toBe(true);
    await run({ out });
    expect(fileLines(out).slice(1)).toEqual(expectedLines(0, HOURS));
    const tooSoon = join(dir, 'soon.jsonl');
    await expect(run({ out: tooSoon, fromMs: T0 + 10 * HOUR }, new VirtualClock(T0 + 10 * HOUR + 60_000))).rejects.toThrow(/^nothing to import yet: --from 2026-08-01T10:00:00.000Z falls in the current hour or later/);
    expect(existsSync(tooSoon)).toBe(false);
  });

  it('a range with no rows is an error and creates no file', async () => {
    await serve();
    const out = join(dir, 'empty.jsonl');
    await expect(run({ out, fromMs: T0 + 100 * HOUR, toMs: T0 + 110 * HOUR })).rejects.toThrow(/Taostats returned no pool history for any subnet .* was not created/);
    expect(existsSync(out)).toBe(false);
  });
});
