/**
 * The snapshots the paper loop has ticked on, kept in `<state>.history.jsonl` (a
 * dtao-snapshots/1 file), so that after a restart strategies see the same history a backtest of
 * the recorded file would. The file is appended before the state is committed; so on opening,
 * lines after the state's last tick (a tick that was cut short) and a torn last line are cut
 * off, and what remains is exactly one line per tick.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { UserError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { SNAPSHOT_FORMAT } from '../core/snapshot.ts';
import { SnapshotFile } from '../chain/snapshot-file.ts';
import { DatasetBuilder, type Dataset } from '../data/dataset.ts';
import { SnapshotValidator } from '../data/validate.ts';
import { formatSnapshotLine } from '../data/writer.ts';

export function historyPathFor(statePath: string): string {
  return `${statePath}.history.jsonl`;
}

/**
 * A snapshot as it reads back from its line in a file: formatted and parsed with the same
 * writer and validator a backtest's reader uses. The loop ticks on this form, so a tick, its
 * replay after a restart and a backtest of the recorded file see the very same numbers.
 */
export function asWritten(s: Snapshot, source: string): Snapshot {
  return new SnapshotValidator(source).snapshot(JSON.parse(formatSnapshotLine(s)), 1);
}

export interface ScannedHistory {
  /** The snapshots kept, oldest first. */
  snapshots: Snapshot[];
  /** Bytes of the file that hold the header and the kept snapshots. */
  keptBytes: number;
  /** SHA-256 of those bytes. */
  sha256: string;
  /** Size of the file. */
  size: number;
  /** Lines past the kept ones: snapshots of a tick that was not committed. */
  droppedLines: number;
  /** Bytes of a torn last line (a write cut short). */
  tornBytes: number;
}

/**
 * Reads a history file without changing it, keeping the snapshots up to `keepThroughBlock`,
 * the block of the state's last tick (undefined: no tick yet, so none are kept).
 */
export function scanHistory(path: string, keepThroughBlock: number | undefined): ScannedHistory {
  const snapshots: Snapshot[] = [];
  if (!existsSync(path)) return { snapshots, keptBytes: 0, sha256: sha256(Buffer.alloc(0)), size: 0, droppedLines: 0, tornBytes: 0 };
  const bytes = readFileSync(path);
  const whole = bytes.lastIndexOf(0x0a) + 1;
  let keep = whole;
  let droppedLines = 0;
  const validator = new SnapshotValidator(path);
  let start = 0;
  let line = 0;
  while (start < whole) {
    const end = bytes.indexOf(0x0a, start);
    line++;
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString('utf8', start, end));
    } catch {
      throw new UserError(`${path}:${line}: not a JSON line; the paper history was damaged outside dtao (start over with --reset)`);
    }
    if (line === 1) {
      if ((raw as { format?: unknown } | null)?.format !== SNAPSHOT_FORMAT) {
        throw new UserError(`${path}:1: not a ${SNAPSHOT_FORMAT} file, so not a paper history (start over with --reset)`);
      }
    } else {
      const s = validator.snapshot(raw, line);
      if (keepThroughBlock === undefined || s.block > keepThroughBlock) {
        keep = start;
        droppedLines = countLines(bytes, start, whole);
        break;
      }
      snapshots.push(s);
    }
    start = end + 1;
  }
  return { snapshots, keptBytes: keep, sha256: sha256(bytes.subarray(0, keep)), size: bytes.length, droppedLines, tornBytes: bytes.length - whole };
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

export interface OpenedHistory extends ScannedHistory {
  file: SnapshotFile;
}

/**
 * Opens the history for appending: cuts off lines past `keepThroughBlock` and a torn last
 * line, and returns the snapshots kept.
 */
export function openHistory(path: string, header: Record<string, unknown>, keepThroughBlock: number | undefined): OpenedHistory {
  const scanned = scanHistory(path, keepThroughBlock);
  if (scanned.keptBytes < scanned.size) truncateTo(path, scanned.keptBytes);
  const file = SnapshotFile.open(path, header, 'dtao paper');
  return { ...scanned, file };
}

function countLines(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

function truncateTo(path: string, size: number): void {
  const fd = openSync(path, 'r+');
  try {
    if (fstatSync(fd).size > size) {
      ftruncateSync(fd, size);
      fsyncSync(fd);
    }
  } finally {
    closeSync(fd);
  }
}

/** A dataset of the given snapshots (undefined for none). */
export function datasetOf(snapshots: readonly Snapshot[], source: string, header: Record<string, unknown>): Dataset | undefined {
  if (snapshots.length === 0) return undefined;
  const b = new DatasetBuilder(source, header);
  for (const s of snapshots) b.addSnapshot(s);
  return b.build();
}
