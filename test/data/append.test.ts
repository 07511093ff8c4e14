/** The crash-safe JSONL append that importers share: creation, torn-line repair, resume point, full disk, lock. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.ts';
import { SnapshotAppender } from '../../src/data/append.ts';

const HEADER = '{"format":"dtao-snapshots/1","source":"test"}';
const L1 = '{"block":10,"time":"2026-08-01T00:00:00Z","subnets":[{"netuid":1,"tao_in":"1","alpha_in":"2"}]}';
const L2 = '{"block":20,"time":"2026-08-01T00:02:00Z","subnets":[{"netuid":1,"tao_in":"1.5","alpha_in":"2"}]}';
const L3 = '{"block":30,"time":"2026-08-01T00:04:00Z","subnets":[]}';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-append-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SnapshotAppender', () => {
  it('creates a missing file on the first append only, header first, and counts lines from there', () => {
    const path = join(dir, 'a.jsonl');
    const a = SnapshotAppender.open(path);
    expect(a.start).toEqual({ header: undefined, lastBlock: undefined, lastTime: undefined, lastLine: undefined, lines: 0, repairedBytes: 0 });
    expect(existsSync(path)).toBe(false);
    a.append([L1], 10, { source: 'test' });
    a.append([L2, L3], 30, { source: 'test' });
    expect(a.lines).toBe(4);
    expect(a.lastBlock).toBe(30);
    a.close();
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n${L1}\n${L2}\n${L3}\n`);
    expect(existsSync(path + '.lock')).toBe(false);
    // No temp files left beside it.
    expect(readdirSync(dir)).toEqual(['a.jsonl']);
  });

  it('reopens at the last snapshot, cutting off a torn last line byte-exactly', () => {
    const path = join(dir, 'b.jsonl');
    const torn = '{"block":30,"time":"2026-08-01T00:0';
    writeFileSync(path, `${HEADER}\n${L1}\n${L2}\n${torn}`);
    const a = SnapshotAppender.open(path);
    expect(a.start).toEqual({
      header: { format: 'dtao-snapshots/1', source: 'test' }, lastBlock: 20, lastTime: '2026-08-01T00:02:00Z', lastLine: L2, lines: 3, repairedBytes: torn.length,
    });
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n${L1}\n${L2}\n`);
    a.append([L3], 30, {});
    a.close();
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n${L1}\n${L2}\n${L3}\n`);
  });

  it('treats a file cut off inside its header as new', () => {
    const path = join(dir, 'c.jsonl');
    writeFileSync(path, '{"format":"dtao-snapshots/1","sou');
    const a = SnapshotAppender.open(path);
    expect(a.start.repairedBytes).toBe(33);
    expect(a.start.header).toBeUndefined();
    a.append([L1], 10, { source: 'test' });
    a.close();
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n${L1}\n`);
  });

  it('never touches a file that is not a snapshots file, and honours a header check', () => {
    const path = join(dir, 'notes.jsonl');
    writeFileSync(path, 'shopping list\nmilk');
    expect(() => SnapshotAppender.open(path)).toThrow(UserError);
    expect(readFileSync(path, 'utf8')).toBe('shopping list\nmilk');
    const ours = join(dir, 'ours.jsonl');
    writeFileSync(ours, `${HEADER}\n${L1}\n`);
    expect(() => SnapshotAppender.open(ours, { checkHeader: (h) => (h.source === 'other' ? undefined : 'written by someone else') }))
      .toThrow(`${ours}: written by someone else`);
    expect(existsSync(ours + '.lock')).toBe(false);
  });

  it('a full disk in the middle of a batch leaves the file exactly as before the batch', () => {
    const path = join(dir, 'd.jsonl');
    writeFileSync(path, `${HEADER}\n${L1}\n`);
    let calls = 0;
    const a = SnapshotAppender.open(path, {
      write: (fd, buf, off, len, pos) => {
        if (++calls === 1) return writeSync(fd, buf, off, Math.min(len, 17), pos); // part of the batch lands
        const e = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException;
        e.code = 'ENOSPC';
        throw e;
      },
    });
    let err: unknown;
    try {
      a.append([L2, L3], 30, {});
    } catch (e) {
      err = e;
    }
    a.close();
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `cannot write ${path}: no space left on the device (ENOSPC); it is intact up to block 10 (line 2). Free some space and run the command again.`,
    );
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n${L1}\n`);
  });

  it('keeps a second writer off the file, and takes over the lock of a process that is gone', () => {
    const path = join(dir, 'e.jsonl');
    const a = SnapshotAppender.open(path, { command: 'dtao import taostats' });
    expect(() => SnapshotAppender.open(path, { command: 'dtao import taostats' })).toThrow(/another run of dtao import taostats \(process \d+\) is writing this file/);
    a.close();
    // pid_max on Linux is at most 4194304, so this pid cannot be running.
    writeFileSync(path + '.lock', '4194305\n');
    const b = SnapshotAppender.open(path);
    expect(readFileSync(path + '.lock', 'utf8')).toBe(`${process.pid}\n`);
    b.close();
  });

  it('reports a last line that is not a snapshot instead of guessing', () => {
    const path = join(dir, 'f.jsonl');
    writeFileSync(path, `${HEADER}\n${L1}\n{"note":"hand edit"}\n`);
    expect(() => SnapshotAppender.open(path)).toThrow(`${path}:3: the last line has no integer "block" and string "time"`);
  });
});
