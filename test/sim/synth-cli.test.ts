/**
 * `dtao synth` end to end: once as a user runs it (a child process of bin/dtao.mjs, to a file
 * and to stdout), and in-process through the CLI's main() for the flag checks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseDataFile } from '../../src/data/load.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'dtao-synth-'));

function spawnDtao(...args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'dtao.mjs'), 'synth', ...args], { encoding: 'utf8', cwd: dir, maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function inProcess(...args: string[]) {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await main(['synth', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

const small = ['--scenario', 'new-subnet', '--days', '4', '--step', '1800', '--seed', '7'];

describe('dtao synth', () => {
  it('--list names each scenario with a sentence', async () => {
    const r = await inProcess('--list');
    expect(r.code).toBe(0);
    for (const n of ['positive-cycle', 'stagnation', 'death-spiral', 'new-subnet', 'mixed']) expect(r.out).toMatch(new RegExp(`^${n} +[A-Z].+\\.`, 'm'));
    expect(r.out).toMatch(/^mixed .*\(default\)$/m);
  });

  it('writes a file the data reader accepts; the same run gives the same bytes, on stdout too', async () => {
    const a = spawnDtao(...small, '--out', 'a.jsonl');
    expect(a.code).toBe(0);
    expect(a.err).toMatch(/wrote 17 snapshots of 32 subnets to a\.jsonl/);
    const bytes = readFileSync(join(dir, 'a.jsonl'));
    const stdout = spawnDtao(...small, '--out', '-');
    expect(stdout.code).toBe(0);
    expect(stdout.out).toBe(bytes.toString('utf8'));
    const b = await inProcess(...small, '--out', join(dir, 'b.jsonl'));
    expect(b.code).toBe(0);
    expect(readFileSync(join(dir, 'b.jsonl')).equals(bytes)).toBe(true);

    const path = join(dir, 'a.jsonl');
    const data = parseDataFile(path, statSync(path).size);
    expect(data.snapshotCount).toBe(4 * 7200 / 1800 + 1);
    const header = JSON.parse(bytes.toString('utf8').split('\n')[0]!);
    expect(header).toMatchObject({ format: 'dtao-snapshots/1', source: 'dtao synth', scenario: 'new-subnet', seed: 7, days: 4, step: 1800, start_block: 1_000_000, start_time: '2026-01-01T00:00:00Z' });
    // The new subnet launched on day 3 is in the last snapshot, not the first.
    const lines = bytes.toString('utf8').trim().split('\n');
    expect(lines[1]).not.toContain('new-subnet 1');
    expect(lines[lines.length - 1]).toContain('"name":"new-subnet 1"');
  });

  it('refuses bad flags with one plain line, exit 1, and leaves no file behind', async () => {
    writeFileSync(join(dir, 'keep.jsonl'), 'old');
    const keep = join(dir, 'keep.jsonl');
    for (const [flags, message] of [
      [['--days', 'abc'], /^dtao: error: --days abc: expected a number of days above 0/],
      [['--step', '0'], /^dtao: error: --step 0: expected an integer >= 1/],
      [['--seed', '-3'], /^dtao: error: --seed -3: expected an integer >= 0/],
      [['--subnets', '1', '--scenario', 'death-spiral'], /^dtao: error: scenario "death-spiral" needs at least 2 subnets/],
      [['--scenario', 'nope'], /^dtao: error: unknown scenario "nope"/],
      [['--days', '0.01'], /^dtao: error: --days 0.01 is shorter than one step of 300 blocks/],
      [['--out', join(dir, 'missing-dir', 'x.jsonl')], /^dtao: error: --out .*missing-dir\/x\.jsonl: directory .* does not exist/],
      [['--out', dir], /^dtao: error: --out .* is a directory/],
      [['--start-time', '2026-01-01'], /^dtao: error: start time "2026-01-01" is not an ISO UTC time/],
    ] as const) {
      const r = await inProcess('--out', keep, '--days', '1', ...flags);
      expect(r.code, flags.join(' ')).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(keep, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(dir, 'missing-dir'))).toBe(false);
  });
});
