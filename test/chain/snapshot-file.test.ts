/** The crash-safe snapshot file: header on creation, whole lines, torn-line repair, no block twice, one writer. */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotFile } from '../../src/chain/snapshot-file.ts';
import { UserError } from '../../src/core/errors.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';

const snap = (block: number): Snapshot => ({
  block, time: '2026-01-01T00:00:00Z', subnets: [{ netuid: 1, taoIn: 1_500_000_000n, alphaIn: 3n }],
});
const line = (block: number) => `{"block":${block},"time":"2026-01-01T00:00:00Z","subnets":[{"netuid":1,"tao_in":"1.5","alpha_in":"0.000000003"}]}`;
const HEADER = '{"format":"dtao-snapshots/1","source":"test"}';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-snapfile-'));
  path = join(dir, 'out.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('snapshot file', () => {
  it('creates the file with its header, then appends one line per newer block', () => {
    const f = SnapshotFile.open(path, { source: 'test' });
    expect(f.opened).toMatchObject({ created: true, lastBlock: undefined, repairedBytes: 0 });
    expect(f.append(snap(10))).toBe(true);
    expect(f.append(snap(12))).toBe(true);
    expect(f.append(snap(12))).toBe(false); // same block: not twice
    expect(f.append(snap(11))).toBe(false); // older block
    f.close();
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n${line(10)}\n${line(12)}\n`);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('continues after the last block of an existing file', () => {
    writeFileSync(path, `${HEADER}\n${line(10)}\n${line(12)}\n`);
    const f = SnapshotFile.open(path, { source: 'other' });
    expect(f.opened).toMatchObject({ created: false, lastBlock: 12, repairedBytes: 0, header: { format: 'dtao-snapshots/1', source: 'test' } });
    expect(f.append(snap(12))).toBe(false);
    expect(f.append(snap(13))).toBe(true);
    f.close();
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n${line(10)}\n${line(12)}\n${line(13)}\n`);
  });

  it('cuts off a torn last line left by a write that was cut short', () => {
    const torn = line(13).slice(0, 40);
    writeFileSync(path, `${HEADER}\n${line(10)}\n${line(12)}\n${torn}`);
    const f = SnapshotFile.open(path, {});
    expect(f.opened.repairedBytes).toBe(40);
    expect(f.lastBlock).toBe(12);
    expect(f.append(snap(13))).toBe(true);
    f.close();
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n${line(10)}\n${line(12)}\n${line(13)}\n`);
  });

  it('rewrites the header when even the header was torn, and starts an empty file with one', () => {
    writeFileSync(path, HEADER.slice(0, 20));
    const f = SnapshotFile.open(path, { source: 'test' });
    expect(f.opened).toMatchObject({ created: true, repairedBytes: 20 });
    f.close();
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n`);
    writeFileSync(path, '');
    SnapshotFile.open(path, { source: 'test' }).close();
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n`);
  });

  it('finds the last block of a file whose lines are longer than the read-back chunk', () => {
    const wide: Snapshot = { ...snap(77), subnets: Array.from({ length: 2000 }, (_, i) => ({ netuid: i + 1, taoIn: 1n, alphaIn: 1n })) };
    const f = SnapshotFile.open(path, {});
    f.append(snap(5));
    f.append(wide);
    f.close();
    appendFileSync(path, '{"block":78,"ti');
    const g = SnapshotFile.open(path, {});
    expect(g.lastBlock).toBe(77);
    expect(g.opened.repairedBytes).toBe(15);
    g.close();
  });

  it('refuses a file that is not a snapshots file, naming it', () => {
    writeFileSync(path, '{"hello":"world"}\n');
    expect(() => SnapshotFile.open(path, {})).toThrow(new UserError(`${path} exists and is not a dtao-snapshots/1 file written by dtao record (its first line is not a header with "format":"dtao-snapshots/1"); choose another output file`));
    writeFileSync(path, 'block,time\n1,2\n');
    expect(() => SnapshotFile.open(path, {})).toThrow(/out\.jsonl exists and is not a dtao-snapshots\/1 file/);
    writeFileSync(path, `${HEADER}\n{"block":"x"}\n`);
    expect(() => SnapshotFile.open(path, {})).toThrow(/out\.jsonl:2: the last line has no integer "block" and string "time"/);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('keeps a second writer off the file, and takes over the lock of a dead one', () => {
    const f = SnapshotFile.open(path, {});
    expect(() => SnapshotFile.open(path, {})).toThrow(new RegExp(`another run of dtao record \\(process ${process.pid}\\) is writing this file`));
    f.close();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
    writeFileSync(`${path}.lock`, `${dead}\n`);
    const g = SnapshotFile.open(path, {});
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    g.close();
  });
});
