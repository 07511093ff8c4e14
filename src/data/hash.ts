/**
 * Content hashing of data files, the key of the dataset cache.
 *
 * - While a large file is parsed, a worker thread reads and hashes it, so hashing runs beside
 *   the parse instead of after it (the machine has more than one core).
 * - A repeat run skips hashing when the file's identity and timestamps (device, inode, size,
 *   mtime and ctime in nanoseconds) match a memo written by an earlier hash, the way git's
 *   index avoids re-reading unchanged files. ctime cannot be set back by tools, and a memo is
 *   only written for files last modified more than two seconds earlier, so a write racing
 *   the memo cannot leave a stale entry.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeFileAtomicBytes } from './atomic.ts';

/** A content hash under way; `digest()` returns it (waiting for it if need be). */
export interface PendingHash {
  digest(): string;
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const h = require('node:crypto').createHash('sha256');
const flag = new Int32Array(workerData.shared, 0, 1);
const out = new Uint8Array(workerData.shared, 4, 64);
try {
  const fd = fs.openSync(workerData.path, 'r');
  const buf = Buffer.allocUnsafe(16 << 20);
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    h.update(buf.subarray(0, n));
  }
  fs.closeSync(fd);
  out.set(Buffer.from(h.digest('hex'), 'latin1'));
  Atomics.store(flag, 0, 1);
} catch (e) {
  Atomics.store(flag, 0, 2);
}
Atomics.notify(flag, 0);
`;

/**
 * Starts hashing a file. A large one is read and hashed by a worker thread, on the other
 * core, while the caller parses it; `digest()` blocks until the worker is done. (A file
 * that changes meanwhile is caught by the caller's before/after stat comparison.)
 */
export function startFileHash(path: string, onWorker: boolean): PendingHash {
  if (!onWorker) return { digest: () => hashFile(path) };
  const shared = new SharedArrayBuffer(68);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, path } });
  worker.unref();
  return {
    digest() {
      const flag = new Int32Array(shared, 0, 1);
      while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 1000);
      if (Atomics.load(flag, 0) !== 1) return hashFile(path); // the worker could not read it: do it here
      return Buffer.from(new Uint8Array(shared, 4, 64)).toString('latin1');
    },
  };
}

/** SHA-256 of a file's bytes, read in large chunks. */
export function hashFile(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(16 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

interface StatKey {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
}

function statKey(path: string): StatKey {
  const st = statSync(path, { bigint: true });
  return { dev: String(st.dev), ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
}

function memoPath(dir: string, path: string, key: StatKey): string {
  const id = createHash('sha256').update(`${resolve(path)}\0${key.dev}\0${key.ino}`).digest('hex').slice(0, 32);
  return join(dir, 'stat', `${id}.json`);
}

/** The remembered content hash of an unchanged file, or undefined. */
export function recalledHash(dir: string, path: string): string | undefined {
  const key = statKey(path);
  const p = memoPath(dir, path, key);
  if (!existsSync(p)) return undefined;
  try {
    const memo = JSON.parse(readFileSync(p, 'utf8')) as StatKey & { sha256: string };
    const same = memo.size === key.size && memo.mtimeNs === key.mtimeNs && memo.ctimeNs === key.ctimeNs && memo.dev === key.dev && memo.ino === key.ino;
    return same && /^[0-9a-f]{64}$/.test(memo.sha256) ? memo.sha256 : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers a file's content hash against its current identity and timestamps. */
export function rememberHash(dir: string, path: string, sha256: string, statBefore: StatKey = statKey(path)): void {
  const now = statKey(path);
  // The file changed while it was hashed, or too recently to trust a timestamp: no memo.
  if (JSON.stringify(now) !== JSON.stringify(statBefore)) return;
  if (Date.now() * 1e6 - Number(BigInt(now.mtimeNs)) < 2e9 || Date.now() * 1e6 - Number(BigInt(now.ctimeNs)) < 2e9) return;
  try {
    mkdirSync(join(dir, 'stat'), { recursive: true });
    writeFileAtomicBytes(memoPath(dir, path, now), [Buffer.from(JSON.stringify({ ...now, sha256 }))]);
  } catch {
    // A memo that cannot be written only costs a re-hash next time.
  }
}

export { statKey, type StatKey };

export function sameStat(a: StatKey, b: StatKey): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}
