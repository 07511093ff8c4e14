/**
 * Reads a text file line by line in large chunks: files of hundreds of MB never become one
 * string. Yields each line with its 1-based number; strips a trailing CR.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { inputError } from '../core/errors.ts';

const CHUNK = 8 << 20;

export interface Line {
  text: string;
  number: number;
}

/** A part of a file: bytes [start, end) whose first line has the number `firstLine`. */
export interface ByteRange {
  start: number;
  end: number;
  firstLine: number;
}

/** `onChunk` sees every raw byte read, once, in order (used for progress). */
export function* readLines(path: string, onChunk?: (bytes: Buffer) => void, range?: ByteRange): Generator<Line> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0; // bytes of an unfinished line kept at the start of buf
    let lineNo = range ? range.firstLine - 1 : 0;
    let pos = range ? range.start : 0;
    const end = range ? range.end : Infinity;
    for (;;) {
      if (carry === buf.length) {
        // A single line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const want = Math.min(buf.length - carry, end - pos);
      const n = want > 0 ? readSync(fd, buf, carry, want, pos) : 0;
      pos += n;
      if (n === 0) break;
      onChunk?.(buf.subarray(carry, carry + n));
      const filled = carry + n;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0 || nl >= filled) break;
        let stop = nl;
        if (stop > start && buf[stop - 1] === 13) stop--;
        lineNo++;
        yield { text: buf.toString('utf8', start, stop), number: lineNo };
        start = nl + 1;
      }
      carry = filled - start;
      if (carry > 0 && start > 0) buf.copy(buf, 0, start, filled);
    }
    if (carry > 0) {
      let stop = carry;
      if (buf[stop - 1] === 13) stop--;
      lineNo++;
      yield { text: buf.toString('utf8', 0, stop), number: lineNo };
    }
  } finally {
    closeSync(fd);
  }
}

/** One record of a JSON Lines data file: its header (the first line, if it has "format" and no "block") or a snapshot. */
export interface JsonlRecord {
  kind: 'header' | 'snapshot';
  raw: unknown;
  text: string;
  line: number;
}

/**
 * Parses the lines of a JSON Lines data file: blank lines are skipped, a line that is not
 * JSON is an error naming file and line. The first record may be a header unless
 * `headerAllowed` is false (a part of a file that does not start at its beginning).
 */
export function* jsonlRecords(path: string, lines: Iterable<Line>, headerAllowed = true): Generator<JsonlRecord> {
  let first = headerAllowed;
  for (const line of lines) {
    const text = line.text;
    if (text.length === 0 || text.trim().length === 0) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw inputError(path, line.number, undefined, `malformed JSON (${(e as Error).message}); each line must be one complete JSON object`);
    }
    let kind: JsonlRecord['kind'] = 'snapshot';
    if (first) {
      first = false;
      if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'format' in raw && !('block' in raw)) kind = 'header';
    }
    yield { kind, raw, text, line: line.number };
  }
}

/** Number of newlines in bytes [0, end) of a file. */
export function countLines(path: string, end: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = 0;
    let count = 0;
    while (pos < end) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, end - pos), pos);
      if (n === 0) break;
      let i = buf.indexOf(10, 0);
      while (i >= 0 && i < n) {
        count++;
        i = buf.indexOf(10, i + 1);
      }
      pos += n;
    }
    return count;
  } finally {
    closeSync(fd);
  }
}

/** The offset just after the first newline at or after `from` (or -1 if there is none). */
export function lineStartAfter(path: string, from: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    let pos = from;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) return -1;
      const i = buf.indexOf(10, 0);
      if (i >= 0 && i < n) return pos + i + 1;
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}
