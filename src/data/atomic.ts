/**
 * Atomic whole-file writes: the content goes to a temp file beside the target, is fsynced,
 * then renamed over it. On any error the temp file is removed and the target is untouched,
 * so a reader sees either the old file or the new one, never half of one.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomicBytes(path: string, parts: Uint8Array[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    for (const p of parts) {
      let off = 0;
      while (off < p.length) off += writeSync(fd, p, off, p.length - off);
    }
    fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, path);
}

/** Streams text chunks into a file atomically (buffered in 1 MB writes). */
export function writeFileAtomic(path: string, produce: (write: (chunk: string) => void) => void): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  let buffered: string[] = [];
  let size = 0;
  const flush = () => {
    if (buffered.length) {
      // writeSync may write less than asked (a disk filling up, a file-size limit); loop, so a
      // short write is either completed or ends in the error that explains it.
      const bytes = Buffer.from(buffered.join(''), 'utf8');
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    }
    buffered = [];
    size = 0;
  };
  try {
    produce((chunk) => {
      buffered.push(chunk);
      size += chunk.length;
      if (size > 1 << 20) flush();
    });
    flush();
    fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, path);
}
