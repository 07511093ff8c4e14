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
    let carry: Buffer | undefined;
    let lineNo = 0;
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let data = buf.subarray(0, n);
      onChunk?.(data);
      if (carry) {
        data = Buffer.concat([carry, data]);
        carry = undefined;
      }
      let start = 0;
      for (;;) {
        const nl = data.indexOf(10, start);
        if (nl < 0) break;
        let end = nl;
        if (end > start && data[end - 1] === 13) end--;
        lineNo++;
        yield { text: data.toString('utf8', start, end), number: lineNo };
        start = nl + 1;
      }
      if (start < data.length) carry = Buffer.from(data.subarray(start));
    }
    if (carry && carry.length > 0) {
      let end = carry.length;
      if (carry[end - 1] === 13) end--;
      lineNo++;
      yield { text: carry.toString('utf8', 0, end), number: lineNo };
    }
  } finally {
    closeSync(fd);
  }
}
