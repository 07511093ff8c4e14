/**
 * A `dtao-snapshots/1` JSONL file that grows line by line (or batch by batch) and survives
 * crashes and full disks. Every writer of such a file goes through here: `dtao record`, the
 * paper loop's history and `--record` file (via `src/chain/snapshot-file.ts`),
 * `dtao fetch-history` and `dtao import taostats`.
 *  - a new file is created with its header and first lines in one atomic write
 *    (temp file + rename), so an import that fails before its first batch leaves no file;
 *  - each batch of whole lines is one positioned write followed by fsync; if the write
 *    fails (disk full), the file is cut back to where it was, so it stays valid line by line;
 *  - on open, a torn last line (bytes after the last newline: a write cut short by kill -9
 *    or a power loss) is cut off, and the block and time of the last snapshot are read, so
 *    a re-run continues after it;
 *  - a lock file beside the output keeps a second writer off the same file (a lock left by a
 *    process that is gone is taken over).
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { UserError } from '../core/errors.ts';
import { SNAPSHOT_FORMAT } from '../core/snapshot.ts';
import { writeFileAtomic } from './atomic.ts';
import { acquirePidLock, type PidLock } from './pid-lock.ts';
import { formatHeaderLine } from './writer.ts';
import { isNoSpace, noSpaceError } from './io-errors.ts';

const NL = 0x0a;
const CHUNK = 1 << 16;

/** The write call, replaceable so tests can make the disk fill up at a chosen byte. */
export type WriteAt = (fd: number, buf: Buffer, offset: number, length: number, position: number) => number;

export interface AppendOptions {
  /**
   * Checks the header of an existing file against what this run would write; returns why the
   * file cannot be continued (e.g. another frequency), or undefined when it can.
   */
  checkHeader?: (header: Record<string, unknown>) => string | undefined;
  /** Command name for messages ("dtao import taostats"). */
  command?: string;
  write?: WriteAt;
}

/** What an output file held when it was opened. */
export interface AppendStart {
  /** Header of the existing file; undefined for a new file. */
  header: Record<string, unknown> | undefined;
  /** Block and time of the last snapshot in the file, if any. */
  lastBlock: number | undefined;
  lastTime: string | undefined;
  /** Text of the last snapshot line (to prime a validator with), if any. */
  lastLine: string | undefined;
  /** Complete lines in the file (header included). */
  lines: number;
  /** Bytes of a torn last line that were cut off (0 when the file ended with a newline). */
  repairedBytes: number;
}

export class SnapshotAppender {
  private fd: number | undefined;
  private size = 0;
  private linesNow: number;
  private lastBlockNow: number | undefined;
  private readonly writeAt: WriteAt;

  private constructor(readonly path: string, readonly start: AppendStart, size: number, fd: number | undefined, writeAt: WriteAt, private readonly lock: PidLock) {
    this.fd = fd;
    this.size = size;
    this.linesNow = start.lines;
    this.lastBlockNow = start.lastBlock;
    this.writeAt = writeAt;
  }

  /** Opens (and if needed repairs) `path` for appending; a missing file is created on the first append. */
  static open(path: string, opts: AppendOptions = {}): SnapshotAppender {
    const command = opts.command ?? 'dtao';
    const lock = takeLock(`${path}.lock`, command);
    try {
      const writeAt = opts.write ?? ((fd, buf, off, len, pos) => writeSync(fd, buf, off, len, pos));
      if (!existsSync(path)) return new SnapshotAppender(path, emptyStart(0), 0, undefined, writeAt, lock);
      const fd = openSync(path, 'r+');
      try {
        const { start, size } = inspectExisting(fd, path, opts, command);
        if (size === 0) {
          closeSync(fd);
          return new SnapshotAppender(path, start, 0, undefined, writeAt, lock);
        }
        return new SnapshotAppender(path, start, size, fd, writeAt, lock);
      } catch (err) {
        closeSync(fd);
        throw err;
      }
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /**
   * Makes sure the file exists: a missing or empty one is created with just `header`, in one
   * atomic write. Returns whether it was created.
   */
  create(header: Record<string, unknown>): boolean {
    if (this.fd !== undefined) return false;
    try {
      writeFileAtomic(this.path, (w) => w(formatHeaderLine(header) + '\n'));
    } catch (err) {
      if (isNoSpace(err)) throw noSpaceError(this.path, err, 'nothing was written (the file does not exist yet)');
      throw err;
    }
    this.fd = openSync(this.path, 'r+');
    this.size = fstatSync(this.fd).size;
    this.linesNow = 1;
    return true;
  }

  /** Block of the last snapshot in the file now (after this run's appends). */
  get lastBlock(): number | undefined {
    return this.lastBlockNow;
  }

  /** Complete lines in the file now; the next appended line gets number `lines + 1`. */
  get lines(): number {
    return this.linesNow;
  }

  /**
   * Appends whole snapshot lines (without newlines), all or nothing. `header` is written first
   * when the file does not exist yet. `lastBlock` is the block of the last of `lines`.
   */
  append(lines: string[], lastBlock: number, header: Record<string, unknown>): void {
    if (lines.length === 0) return;
    const text = lines.join('\n') + '\n';
    if (this.fd === undefined) {
      const headerLine = formatHeaderLine(header);
      try {
        writeFileAtomic(this.path, (w) => {
          w(headerLine + '\n');
          w(text);
        });
      } catch (err) {
        if (isNoSpace(err)) throw noSpaceError(this.path, err, 'nothing was written (the file does not exist yet)');
        throw err;
      }
      this.fd = openSync(this.path, 'r+');
      this.size = fstatSync(this.fd).size;
      this.linesNow = 1 + lines.length;
      this.lastBlockNow = lastBlock;
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    const before = this.size;
    try {
      let done = 0;
      while (done < bytes.length) done += this.writeAt(this.fd, bytes, done, bytes.length - done, before + done);
      fsyncSync(this.fd);
    } catch (err) {
      // Undo the partial batch so the file ends with a whole line again.
      try {
        ftruncateSync(this.fd, before);
        fsyncSync(this.fd);
      } catch {
        // If even that fails, the next open cuts the torn line off.
      }
      const state = `it is intact up to block ${this.lastBlockNow} (line ${this.linesNow})`;
      if (isNoSpace(err)) throw noSpaceError(this.path, err, state);
      throw err;
    }
    this.size = before + bytes.length;
    this.linesNow += lines.length;
    this.lastBlockNow = lastBlock;
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    this.lock.release();
  }
}

function emptyStart(repairedBytes: number): AppendStart {
  return { header: undefined, lastBlock: undefined, lastTime: undefined, lastLine: undefined, lines: 0, repairedBytes };
}

/** Reads the header and the last snapshot of an existing file, cutting off a torn last line. */
function inspectExisting(fd: number, path: string, opts: AppendOptions, command: string): { start: AppendStart; size: number } {
  let size = fstatSync(fd).size;
  if (size === 0) return { start: emptyStart(0), size: 0 };
  const headerText = firstLineOrPrefix(fd, size);
  // Only a file that is recognisably ours is ever modified.
  if (!looksLikeHeader(headerText.text)) {
    throw new UserError(`${path} exists and is not a ${SNAPSHOT_FORMAT} file written by ${command} (its first line is not a header with "format":"${SNAPSHOT_FORMAT}"); choose another output file`);
  }
  let repairedBytes = 0;
  if (lastByte(fd, size) !== NL) {
    const keep = lineStartBefore(fd, size);
    repairedBytes = size - keep;
    ftruncateSync(fd, keep);
    fsyncSync(fd);
    size = keep;
  }
  if (size === 0) return { start: emptyStart(repairedBytes), size: 0 };
  const header = parseObject(headerText.text, `${path}:1`, 'the header line');
  if (header.format !== SNAPSHOT_FORMAT) {
    throw new UserError(`${path}:1: format is ${JSON.stringify(header.format)}, not "${SNAPSHOT_FORMAT}"; choose another output file`);
  }
  const why = opts.checkHeader?.(header);
  if (why) throw new UserError(`${path}: ${why}`);
  const lines = countNewlines(fd, size);
  let lastBlock: number | undefined;
  let lastTime: string | undefined;
  let lastLine: string | undefined;
  if (lines > 1) {
    const lastStart = lineStartBefore(fd, size - 1);
    lastLine = readText(fd, lastStart, size - 1);
    const last = parseObject(lastLine, `${path}:${lines}`, 'the last snapshot line');
    if (!Number.isSafeInteger(last.block) || typeof last.time !== 'string') {
      throw new UserError(`${path}:${lines}: the last line has no integer "block" and string "time"; it is not a snapshot. Fix or remove that line, or choose another output file`);
    }
    lastBlock = last.block as number;
    lastTime = last.time;
  }
  return { start: { header, lastBlock, lastTime, lastLine, lines, repairedBytes }, size };
}

function looksLikeHeader(text: string): boolean {
  // A complete header parses; a torn one (crash while creating) at least starts like ours.
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    return v !== null && typeof v === 'object' && v.format === SNAPSHOT_FORMAT && !('block' in v);
  } catch {
    // Torn while the header was being written: the text is our header's start, or begins with it.
    const start = `{"format":"${SNAPSHOT_FORMAT}"`;
    return text.startsWith(start) || (text.length > 0 && start.startsWith(text));
  }
}

function parseObject(text: string, where: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UserError(`${where}: ${what} is not a JSON object; the file was changed by something else. Fix that line or choose another output file`);
}

function lastByte(fd: number, size: number): number {
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, size - 1);
  return b[0]!;
}

/** Offset just after the last newline before `end` (0 if none), reading backwards in chunks. */
function lineStartBefore(fd: number, end: number): number {
  const buf = Buffer.allocUnsafe(CHUNK);
  let pos = end;
  while (pos > 0) {
    const len = Math.min(CHUNK, pos);
    pos -= len;
    readSync(fd, buf, 0, len, pos);
    const i = buf.lastIndexOf(NL, len - 1);
    if (i >= 0) return pos + i + 1;
  }
  return 0;
}

function readText(fd: number, start: number, end: number): string {
  const buf = Buffer.allocUnsafe(end - start);
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, start + off);
    if (n === 0) break;
    off += n;
  }
  return buf.toString('utf8', 0, off);
}

/** The first line, or all of the file when it has no newline yet. */
function firstLineOrPrefix(fd: number, size: number): { text: string } {
  const buf = Buffer.allocUnsafe(CHUNK);
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < size) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK, size - pos), pos);
    if (n === 0) break;
    const i = buf.indexOf(NL);
    if (i >= 0 && i < n) {
      parts.push(Buffer.from(buf.subarray(0, i)));
      return { text: Buffer.concat(parts).toString('utf8') };
    }
    parts.push(Buffer.from(buf.subarray(0, n)));
    pos += n;
  }
  return { text: Buffer.concat(parts).toString('utf8') };
}

function countNewlines(fd: number, size: number): number {
  const buf = Buffer.allocUnsafe(8 << 20);
  let pos = 0;
  let count = 0;
  while (pos < size) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
    if (n === 0) break;
    let i = buf.indexOf(NL, 0);
    while (i >= 0 && i < n) {
      count++;
      i = buf.indexOf(NL, i + 1);
    }
    pos += n;
  }
  return count;
}

/** Takes the writer's lock file (see pid-lock.ts); a full disk is reported as such. */
function takeLock(lockPath: string, command: string): PidLock {
  try {
    return acquirePidLock(lockPath, {
      held: (pid) => `${lockPath}: another run of ${command} (process ${pid}) is writing this file; stop it or wait for it to finish, or choose another output file`,
      stuck: () => `${lockPath}: cannot take the lock file; remove it if no ${command} is running`,
    });
  } catch (err) {
    if (isNoSpace(err)) throw noSpaceError(lockPath, err, 'nothing was written');
    throw err;
  }
}
