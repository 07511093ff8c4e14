/**
 * The large-file paths — the file hashed on a worker thread, parsed in two halves on two
 * cores, its cache written on a worker thread — run here on small files (the size threshold
 * is lowered) and must give exactly what the one-piece path gives: the same dataset, the same
 * warnings, the same errors with the file's own line numbers, and an intact dataset after the
 * cache is written in the background.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, parseDataFile } from '../../src/data/load.ts';
import { cacheWritesSettled } from '../../src/data/cache.ts';
import { hashFile } from '../../src/data/hash.ts';
import type { Dataset } from '../../src/data/dataset.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-large-'));
  process.env.DTAO_CACHE_DIR = join(dir, 'cache');
});
afterAll(() => {
  delete process.env.DTAO_LARGE_FILE_BYTES;
});

const HEADER = '{"format":"dtao-snapshots/1","source":"large-file test"}';
function line(block: number, extra: (k: number) => string = () => ''): string {
  const subnets = Array.from({ length: 12 }, (_, k) =>
    `{"netuid":${k + 1},"tao_in":"${1000 + k}.${block % 1000}","alpha_in":"${100000 + block}","price":"${((1000 + k) / (100000 + block)).toFixed(9)}","name":"sn${(k + block) % 15}"${extra(k)}}`);
  return `{"block":${block},"time":"${new Date(Date.UTC(2026, 0, 1) + block * 12000).toISOString()}","subnets":[${subnets.join(',')}]}`;
}

function plain(d: Dataset): unknown {
  const cols: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(d.cols)) cols[k] = Array.from(v as ArrayLike<unknown>, (x) => (typeof x === 'number' && Number.isNaN(x) ? 'NaN' : x));
  return { cols, ...d.meta, source: undefined };
}

function write(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('large-file paths agree with the one-piece parse', () => {
  const lines = [HEADER, ...Array.from({ length: 400 }, (_, i) => line(1000 + 10 * i, (k) => (i === 300 && k === 2 ? ',"colour":"x"' : '')))];
  const path = () => write('big.jsonl', lines);

  it('same dataset and warnings in two halves; the background cache equals it; the hash is the file\'s', async () => {
    const p = path();
    delete process.env.DTAO_LARGE_FILE_BYTES;
    const whole = parseDataFile(p, statSync(p).size);
    process.env.DTAO_LARGE_FILE_BYTES = '1000';
    const halves = parseDataFile(p, statSync(p).size);
    expect(plain(halves)).toEqual(plain(whole));
    expect(halves.meta.warnings).toEqual([`${p}: unknown key "subnets[].colour" ignored (1 time)`]);

    const first = loadDataset(p);
    expect(first.fromCache).toBe(false);
    expect(first.contentHash).toBe(hashFile(p));
    await cacheWritesSettled();
    expect(plain(first.dataset)).toEqual(plain(whole)); // still whole after the cache was written
    const again = loadDataset(p);
    expect(again.fromCache).toBe(true);
    expect(plain(again.dataset)).toEqual(plain(whole));
    expect(readdirSync(join(dir, 'cache', 'datasets')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('errors name the file\'s own line, whichever half they are in, and the seam is checked', () => {
    process.env.DTAO_LARGE_FILE_BYTES = '1000';
    const late = [...lines];
    late[350] = late[350]!.replace('"tao_in":"1003.', '"tao_in":"-1003.');
    const p1 = write('late.jsonl', late);
    const one = (p: string) => {
      delete process.env.DTAO_LARGE_FILE_BYTES;
      const m = errorOf(() => parseDataFile(p, statSync(p).size));
      process.env.DTAO_LARGE_FILE_BYTES = '1000';
      return m;
    };
    const m1 = errorOf(() => parseDataFile(p1, statSync(p1).size));
    expect(m1).toMatch(/late\.jsonl:351: subnets\[3\] \(netuid 4\)\.tao_in: negative amount/);
    expect(m1).toBe(one(p1));

    // A block out of order just after the seam (the second half's first snapshot).
    const seam = [...lines];
    const mid = Math.floor(seam.length / 2) + 1;
    for (const k of [mid - 2, mid - 1, mid, mid + 1, mid + 2]) seam[k] = line(1000, () => '').replace('"block":1000', `"block":${5000 + (k === mid + 1 ? -4000 : 10 * k)}`);
    const p2 = write('seam.jsonl', seam);
    expect(errorOf(() => parseDataFile(p2, statSync(p2).size))).toBe(one(p2));

    // Errors in both halves: the earlier one wins.
    const both = [...lines];
    both[50] = '{"block":"x"';
    both[380] = '{"block":"y"';
    const p3 = write('both.jsonl', both);
    expect(errorOf(() => parseDataFile(p3, statSync(p3).size))).toMatch(/both\.jsonl:51: malformed JSON/);
  });
});
