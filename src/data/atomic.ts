/**
 * Atomic whole-file writes: the content goes to a temp file beside the target, is fsynced,
 * then renamed over it. On any error the temp file is removed and the target is untouched,
 * so a reader sees either the old file or the new one, never half of one.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes every byte of `data` (a short write is retried until done or until it fails). */
function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

/** The temp-file, fsync and rename around `fill`, which writes the content to the fd. */
function atomically(path: string, fill: (fd: number) => void): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    fill(fd);
    fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, path);
}

export function writeFileAtomicBytes(path: string, parts: Uint8Array[]): void {
  atomically(path, (fd) => {
    for (const p of parts) writeAll(fd, p);
  });
}

/** Streams text chunks into a file atomically (buffered in 1 MB writes). */
export function writeFileAtomic(path: string, produce: (write: (chunk: string) => void) => void): void {
  atomically(path, (fd) => {
    let buffered: string[] = [];
    let size = 0;
    const flush = () => {
      if (buffered.length) writeAll(fd, Buffer.from(buffered.join(''), 'utf8'));
      buffered = [];
      size = 0;
    };
    produce((chunk) => {
      buffered.push(chunk);
      size += chunk.length;
      if (size > 1 << 20) flush();
    });
    flush();
  });
}
