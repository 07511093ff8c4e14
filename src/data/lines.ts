/**
 * Reads a text file line by line in large chunks: files of hundreds of MB never become one
 * string. Yields each line with its 1-based number; strips a trailing CR.
 */
import { closeSync, openSync, readSync } from 'node:fs';

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
