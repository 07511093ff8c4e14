/**
 * On-disk cache of parsed datasets. A repeat run of the same data file reads typed arrays
 * straight from a binary file instead of parsing JSON. The key is the SHA-256 of the source
 * file's bytes (plus the cache layout version), so a changed file can never hit a stale entry.
 *
 * Location: $DTAO_CACHE_DIR, else $XDG_CACHE_HOME/dtao-lab, else ~/.cache/dtao-lab.
 * Layout: "DTAOCACHE" + version byte, u32 meta length, meta JSON, then each column,
 * 8-byte aligned, in the order the meta lists them.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Dataset, ROW_COLUMNS, SNAPSHOT_COLUMNS, allocColumn, type DatasetColumns, type DatasetMeta, type TypedColumn } from './dataset.ts';
import { writeFileAtomicBytes } from './atomic.ts';

const MAGIC = 'DTAOCACHE';
const VERSION = 3;

export function cacheDir(): string {
  if (process.env.DTAO_CACHE_DIR) return process.env.DTAO_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'dtao-lab');
}

export function cachePathFor(contentHash: string): string {
  return join(cacheDir(), 'datasets', `${contentHash}.v${VERSION}.bin`);
}

const KINDS: Record<string, string> = { ...SNAPSHOT_COLUMNS, ...ROW_COLUMNS };

export function writeCache(path: string, ds: Dataset): void {
  mkdirSync(join(cacheDir(), 'datasets'), { recursive: true });
  writeFileAtomicBytes(path, cacheParts(ds));
}

/** The bytes of a cache file, in order (views of the dataset's own memory, no copy). */
function cacheParts(ds: Dataset): Uint8Array[] {
  const names = Object.keys(KINDS);
  const meta = { ...ds.meta, columns: names.map((n) => [n, (ds.cols as unknown as Record<string, TypedColumn>)[n]!.length]) };
  const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8');
  const parts: Buffer[] = [];
  const head = Buffer.alloc(MAGIC.length + 1 + 4);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt8(VERSION, MAGIC.length);
  head.writeUInt32LE(metaBytes.length, MAGIC.length + 1);
  parts.push(head, metaBytes);
  let size = head.length + metaBytes.length;
  for (const n of names) {
    const pad = (8 - (size % 8)) % 8;
    if (pad) {
      parts.push(Buffer.alloc(pad));
      size += pad;
    }
    const col = (ds.cols as unknown as Record<string, TypedColumn>)[n]!;
    const bytes = Buffer.from(col.buffer, col.byteOffset, col.byteLength);
    parts.push(bytes);
    size += bytes.length;
  }
  return parts;
}

const WRITER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { path, tmp, parts } = workerData;
let fd;
try {
  fd = fs.openSync(tmp, 'w');
  for (const p of parts) {
    const b = new Uint8Array(p);
    let off = 0;
    while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
  }
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, path);
} catch {
  try { if (fd !== undefined) fs.closeSync(fd); } catch {}
  fs.rmSync(tmp, { force: true });
}
`;

/**
 * Writes the cache file on a worker thread, so a large dataset's cache is written while the
 * caller goes on with the backtest (on the other core). The bytes are copied first, so the
 * dataset stays the caller's; the worker writes a temp file and renames it (atomic, as
 * writeCache). The process does not exit before the worker is done.
 */
export function writeCacheInBackground(path: string, ds: Dataset): void {
  mkdirSync(join(cacheDir(), 'datasets'), { recursive: true });
  // Copies (Buffer#slice would share the dataset's memory, and transferring it would take it away).
  const parts = cacheParts(ds).map((p) => new Uint8Array(p).buffer as ArrayBuffer);
  const tmp = join(cacheDir(), 'datasets', `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const w = new Worker(WRITER_SOURCE, { eval: true, workerData: { path, tmp, parts }, transferList: parts });
  pending.add(new Promise<void>((resolve) => w.once('exit', () => resolve())));
}

const pending = new Set<Promise<void>>();

/** Resolves when every cache file being written in the background is written (or given up). */
export async function cacheWritesSettled(): Promise<void> {
  await Promise.all([...pending]);
  pending.clear();
}

/** Reads a cache file, or returns undefined if it is absent or not of this layout version. */
export function readCache(path: string): Dataset | undefined {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    // One aligned buffer for the whole file, so typed arrays can view it without copying.
    const ab = new ArrayBuffer(size);
    const all = Buffer.from(ab);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, all, off, size - off, off);
      if (n === 0) return undefined;
      off += n;
    }
    if (all.toString('latin1', 0, MAGIC.length) !== MAGIC || all.readUInt8(MAGIC.length) !== VERSION) return undefined;
    const metaLen = all.readUInt32LE(MAGIC.length + 1);
    let pos = MAGIC.length + 5;
    const meta = JSON.parse(all.toString('utf8', pos, pos + metaLen)) as DatasetMeta & { columns: [string, number][] };
    pos += metaLen;
    const cols: Record<string, TypedColumn> = {};
    for (const [name, len] of meta.columns) {
      const kind = KINDS[name];
      if (!kind) return undefined;
      pos += (8 - (pos % 8)) % 8;
      const proto = allocColumn(kind as never, 0);
      const bytesPer = proto.BYTES_PER_ELEMENT;
      const Ctor = proto.constructor as unknown as new (b: ArrayBuffer, o: number, l: number) => TypedColumn;
      cols[name] = new Ctor(ab, pos, len);
      pos += len * bytesPer;
    }
    const { columns: _columns, ...rest } = meta;
    return new Dataset(cols as unknown as DatasetColumns, rest);
  } catch {
    return undefined; // an unreadable cache entry is just a miss
  } finally {
    closeSync(fd);
  }
}
