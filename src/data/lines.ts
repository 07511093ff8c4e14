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

/** `onChunk` sees every raw byte of the file once, in order (used to hash while parsing). */
export function* readLines(path: string, onChunk?: (bytes: Buffer) => void): Generator<Line> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0; // bytes of an unfinished line kept at the start of buf
    let lineNo = 0;
    for (;;) {
      if (carry === buf.length) {
        // A single line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const n = readSync(fd, buf, carry, buf.length - carry, null);
      if (n === 0) break;
      onChunk?.(buf.subarray(carry, carry + n));
      const end = carry + n;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0 || nl >= end) break;
        let stop = nl;
        if (stop > start && buf[stop - 1] === 13) stop--;
        lineNo++;
        yield { text: buf.toString('utf8', start, stop), number: lineNo };
        start = nl + 1;
      }
      carry = end - start;
      if (carry > 0 && start > 0) buf.copy(buf, 0, start, end);
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
 * JSON is an error naming file and line.
 */
export function* jsonlRecords(path: string, lines: Iterable<Line>): Generator<JsonlRecord> {
  let first = true;
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
