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
import { join } from 'node:path';
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
  mkdirSync(join(cacheDir(), 'datasets'), { recursive: true });
  writeFileAtomicBytes(path, parts);
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
