/**
 * A `dtao-snapshots/1` file that grows one snapshot at a time and survives crashes:
 *  - a new file gets its header atomically (temp file + rename);
 *  - each snapshot is one write of one whole line, then fsync;
 *  - on open, a torn last line (a write cut short by kill -9 or power loss: bytes after the
 *    last newline) is cut off, so the file is whole lines again;
 *  - a snapshot whose block is not newer than the last one written is not appended;
 *  - a lock file keeps a second recorder off the same file (a lock left by a dead process is
 *    taken over).
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { UserError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { SNAPSHOT_FORMAT } from '../core/snapshot.ts';
import { formatHeaderLine, formatSnapshotLine, writeFileAtomic } from '../data/writer.ts';

const NEWLINE = 0x0a;
const TAIL_CHUNK = 1 << 16;

export interface OpenedSnapshotFile {
  /** Header of the file (as found, or as written for a new file). */
  header: Record<string, unknown>;
  /** Block of the last snapshot in the file, if any. */
  lastBlock: number | undefined;
  /** Bytes of a torn last line that were cut off on open (0 when the file was whole). */
  repairedBytes: number;
  created: boolean;
}

/** Offset just past the last newline before `end` (0 if there is none), reading backwards. */
function lineStartBefore(fd: number, end: number): number {
  const buf = Buffer.allocUnsafe(TAIL_CHUNK);
  let pos = end;
  while (pos > 0) {
    const len = Math.min(TAIL_CHUNK, pos);
    pos -= len;
    readSync(fd, buf, 0, len, pos);
    const i = buf.subarray(0, len).lastIndexOf(NEWLINE);
    if (i >= 0) return pos + i + 1;
  }
  return 0;
}

function readRange(fd: number, start: number, end: number): string {
  const buf = Buffer.allocUnsafe(end - start);
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, start + done);
    if (n === 0) break;
    done += n;
  }
  return buf.toString('utf8', 0, done);
}

function firstLine(fd: number, size: number): string {
  const probe = readRange(fd, 0, Math.min(size, TAIL_CHUNK));
  const nl = probe.indexOf('\n');
  if (nl >= 0) return probe.slice(0, nl);
  let end = Math.min(size, TAIL_CHUNK);
  // A header longer than one chunk: keep reading until its newline.
  while (end < size) {
    end = Math.min(size, end + TAIL_CHUNK);
    const text = readRange(fd, 0, end);
    const at = text.indexOf('\n');
    if (at >= 0) return text.slice(0, at);
  }
  return readRange(fd, 0, size);
}

function parseJsonLine(text: string, where: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UserError(`${where}: ${what} is not a JSON object; record into a new file, or into one written by \`dtao record\``);
}

export class SnapshotFile {
  private fd: number | undefined;
  private lastBlockValue: number | undefined;
  private readonly lockPath: string;

  private constructor(readonly path: string, readonly opened: OpenedSnapshotFile, fd: number) {
    this.fd = fd;
    this.lastBlockValue = opened.lastBlock;
    this.lockPath = `${path}.lock`;
  }

  get lastBlock(): number | undefined {
    return this.lastBlockValue;
  }

  /**
   * Opens `path` for appending: creates it with `header` if it is missing or empty, else
   * repairs a torn last line and checks that it is a snapshots file.
   */
  static open(path: string, header: Record<string, unknown>): SnapshotFile {
    acquireLock(`${path}.lock`);
    try {
      const opened = prepare(path, header);
      const fd = openSync(path, 'a');
      return new SnapshotFile(path, opened, fd);
    } catch (err) {
      rmSync(`${path}.lock`, { force: true });
      throw err;
    }
  }

  /** Appends one snapshot as one line; false (and nothing written) if its block is not newer than the last. */
  append(snapshot: Snapshot): boolean {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    if (this.lastBlockValue !== undefined && snapshot.block <= this.lastBlockValue) return false;
    const bytes = Buffer.from(`${formatSnapshotLine(snapshot)}\n`, 'utf8');
    const before = fstatSync(this.fd).size;
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
      fsyncSync(this.fd);
    } catch (err) {
      // A failed write (disk full, I/O error) must not leave half a line for the next append.
      try { ftruncateSync(this.fd, before); } catch { /* the next open repairs it */ }
      throw err;
    }
    this.lastBlockValue = snapshot.block;
    return true;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.lockPath, { force: true });
  }
}

function prepare(path: string, header: Record<string, unknown>): OpenedSnapshotFile {
  const fresh = (): OpenedSnapshotFile => {
    const full = JSON.parse(formatHeaderLine(header)) as Record<string, unknown>;
    writeFileAtomic(path, (write) => write(`${formatHeaderLine(header)}\n`));
    return { header: full, lastBlock: undefined, repairedBytes: 0, created: true };
  };
  if (!existsSync(path)) return fresh();
  const fd = openSync(path, 'r+');
  try {
    let size = fstatSync(fd).size;
    let repairedBytes = 0;
    if (size > 0) {
      const tail = Buffer.alloc(1);
      readSync(fd, tail, 0, 1, size - 1);
      if (tail[0] !== NEWLINE) {
        const keep = lineStartBefore(fd, size);
        repairedBytes = size - keep;
        ftruncateSync(fd, keep);
        fsyncSync(fd);
        size = keep;
      }
    }
    if (size === 0) {
      closeSync(fd);
      return { ...fresh(), repairedBytes };
    }
    const head = parseJsonLine(firstLine(fd, size), `${path}:1`, 'the header line');
    if (head.format !== SNAPSHOT_FORMAT) {
      throw new UserError(`${path}:1: not a ${SNAPSHOT_FORMAT} file (header format is ${JSON.stringify(head.format)}); record into a new file`);
    }
    const lastStart = lineStartBefore(fd, size - 1);
    let lastBlock: number | undefined;
    if (lastStart > 0) {
      const last = parseJsonLine(readRange(fd, lastStart, size - 1), `${path}: last line`, 'the last snapshot');
      if (!Number.isSafeInteger(last.block)) throw new UserError(`${path}: last line: block: not an integer; the file is not a snapshots file`);
      lastBlock = last.block as number;
    }
    closeSync(fd);
    return { header: head, lastBlock, repairedBytes, created: false };
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    throw err;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock file, or takes over one whose process is gone. */
function acquireLock(lockPath: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let pid = Number.NaN;
    try {
      pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || processAlive(pid))) {
      throw new UserError(`${lockPath}: another recorder (process ${pid}) is writing this file; stop it first or choose another --out`);
    }
    rmSync(lockPath, { force: true });
  }
  throw new UserError(`${lockPath}: cannot take the lock file; remove it if no recorder is running`);
}
