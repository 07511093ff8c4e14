/**
 * Loading a snapshot file into a Dataset: JSON Lines or the long CSV form, validated line by
 * line, with the parsed result cached on disk by content hash for fast repeat runs.
 */
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError, inputError } from '../core/errors.ts';
import { Dataset, DatasetBuilder } from './dataset.ts';
import { readLines } from './lines.ts';
import { parseJsonlPart } from './parse-jsonl.ts';
import { parseJsonlInHalves } from './parallel-parse.ts';
import { SnapshotValidator, warningsOf } from './validate.ts';
import { CsvSnapshotParser } from './csv.ts';
import { cacheDir, cachePathFor, readCache, writeCache, writeCacheInBackground } from './cache.ts';
import { hashFile, recalledHash, rememberHash, sameStat, startFileHash, statKey } from './hash.ts';

/**
 * Files from this size on are hashed on a worker thread, parsed in two halves on two cores,
 * and get their cache written on a worker thread. DTAO_LARGE_FILE_BYTES overrides it (tests
 * use it to run those paths on small files).
 */
export function largeFileBytes(): number {
  const env = Number(process.env.DTAO_LARGE_FILE_BYTES);
  return Number.isFinite(env) && env > 0 ? env : 64 << 20;
}



export interface LoadOptions {
  /** Use the on-disk cache (default true). */
  cache?: boolean;
  /** Called with bytes read so far and the file size, while parsing. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface LoadResult {
  dataset: Dataset;
  fromCache: boolean;
  contentHash: string;
}

export function checkDataFile(path: string): number {
  if (!existsSync(path)) throw new UserError(`data file not found: ${path} (give an existing file with --data; \`dtao synth --out FILE\` makes one)`);
  const st = statSync(path);
  if (!st.isFile()) throw new UserError(`${path} is not a file (give a dtao-snapshots/1 .jsonl or .csv file)`);
  return st.size;
}

function noSnapshots(path: string): UserError {
  return new UserError(`${path}: no snapshots found (expected one JSON object per line with "block", "time" and "subnets")`);
}

export function isCsvPath(path: string): boolean {
  return extname(path).toLowerCase() === '.csv';
}

/** Loads, validates and (by default) caches a data file. */
export function loadDataset(path: string, opts: LoadOptions = {}): LoadResult {
  const size = checkDataFile(path);
  const useCache = opts.cache !== false;
  const dir = cacheDir();
  const before = statKey(path);
  if (useCache) {
    const known = recalledHash(dir, path);
    const hash = known ?? (size < largeFileBytes() ? hashFile(path) : undefined);
    if (hash) {
      const cached = readCache(cachePathFor(hash));
      if (cached) {
        cached.meta.source = path;
        if (!known) rememberHash(dir, path, hash, before);
        return { dataset: cached, fromCache: true, contentHash: hash };
      }
    }
  }
  // Parse, while a worker thread hashes the file (large files), then make sure the file did
  // not change meanwhile: only then do the hash and the parsed data describe the same bytes.
  const pending = startFileHash(path, size >= largeFileBytes());
  const dataset = parseDataFile(path, size, opts.onProgress);
  const hash = pending.digest();
  if (!sameStat(before, statKey(path))) {
    throw new UserError(`${path} changed while it was being read (is something, such as a recorder, appending to it?); copy the file and read the copy, or run again when nothing writes to it`);
  }
  if (useCache) {
    const cachePath = cachePathFor(hash);
    const cached = readCache(cachePath);
    if (cached) {
      // A large file not seen before may still be cached under its content (a copy, a touch).
      cached.meta.source = path;
      rememberHash(dir, path, hash, before);
      return { dataset: cached, fromCache: true, contentHash: hash };
    }
    try {
      if (size >= largeFileBytes()) writeCacheInBackground(cachePath, dataset);
      else writeCache(cachePath, dataset);
      rememberHash(dir, path, hash, before);
    } catch {
      // A cache that cannot be written (read-only home, full disk) only costs speed next time.
    }
  }
  return { dataset, fromCache: false, contentHash: hash };
}

/**
 * Parses a file without the cache. JSON Lines snapshots are validated straight into the
 * columns (`direct`, the default); `direct: false` takes the Snapshot-object way for every
 * line — the same checks, slower — and exists so tests can hold the two to the same result.
 */
export function parseDataFile(path: string, size: number, onProgress?: (read: number, total: number) => void, opts: { direct?: boolean } = {}): Dataset {
  let read = 0;
  const chunk = (b: Buffer) => {
    read += b.length;
    onProgress?.(read, size);
  };
  if (isCsvPath(path)) return parseCsvFile(path, chunk);
  const part = opts.direct !== false && size >= largeFileBytes()
    ? parseJsonlInHalves(path, size, onProgress)
    : parseJsonlPart(path, { onChunk: chunk, direct: opts.direct });
  if (part.dataset.snapshotCount === 0) throw noSnapshots(path);
  part.dataset.meta.warnings.length = 0;
  part.dataset.meta.warnings.push(...warningsOf(path, part.tally));
  return part.dataset;
}

function parseCsvFile(path: string, onChunk: (b: Buffer) => void): Dataset {
  const validator = new SnapshotValidator(path);
  const csv = new CsvSnapshotParser(path);
  let builder: DatasetBuilder | undefined;
  const add = (g: ReturnType<CsvSnapshotParser['push']>) => {
    if (!g) return;
    builder ??= new DatasetBuilder(path, csv.header ? validator.header(csv.header, 1) : undefined);
    builder.addSnapshot(validator.snapshot(g.raw, g.line, g.subnetLines));
  };
  for (const line of readLines(path, onChunk)) add(csv.push(line));
  add(csv.finish());
  builder ??= new DatasetBuilder(path, csv.header);
  if (builder.snapshotCount === 0) throw noSnapshots(path);
  for (const c of csv.unknownColumns) builder.warnings.push(`${path}: unknown column "${c}" ignored`);
  builder.warnings.push(...validator.warnings());
  return builder.build();
}
