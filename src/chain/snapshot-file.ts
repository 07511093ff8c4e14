/**
 * A `dtao-snapshots/1` file that grows one snapshot at a time: `dtao record`, the paper loop's
 * history and `--record` files, `dtao fetch-history`. The crash safety (atomic creation,
 * one fsynced write per line, torn-line repair on open, the lock) is the shared appender's
 * (`src/data/append.ts`); this adds the snapshot view: a new file gets its header at once, and
 * a snapshot whose block is not newer than the last one written is not appended.
 */
import type { Snapshot } from '../core/snapshot.ts';
import { SnapshotAppender } from '../data/append.ts';
import { formatHeaderLine, formatSnapshotLine } from '../data/writer.ts';

export interface OpenedSnapshotFile {
  /** Header of the file (as found, or as written for a new file). */
  header: Record<string, unknown>;
  /** Block of the last snapshot in the file, if any. */
  lastBlock: number | undefined;
  /** Bytes of a torn last line that were cut off on open (0 when the file was whole). */
  repairedBytes: number;
  created: boolean;
}

export class SnapshotFile {
  private constructor(readonly path: string, readonly opened: OpenedSnapshotFile, private readonly appender: SnapshotAppender, private readonly header: Record<string, unknown>) {}

  get lastBlock(): number | undefined {
    return this.appender.lastBlock;
  }

  /**
   * Opens `path` for appending: creates it with `header` if it is missing or empty, else
   * repairs a torn last line and checks that it is a snapshots file. `command` names the
   * writer in the message a second writer gets.
   */
  static open(path: string, header: Record<string, unknown>, command = 'dtao record'): SnapshotFile {
    const appender = SnapshotAppender.open(path, { command });
    try {
      const start = appender.start;
      const created = appender.create(header);
      const opened: OpenedSnapshotFile = {
        header: created ? (JSON.parse(formatHeaderLine(header)) as Record<string, unknown>) : start.header!,
        lastBlock: start.lastBlock,
        repairedBytes: start.repairedBytes,
        created,
      };
      return new SnapshotFile(path, opened, appender, header);
    } catch (err) {
      appender.close();
      throw err;
    }
  }

  /** Appends one snapshot as one line; false (and nothing written) if its block is not newer than the last. */
  append(snapshot: Snapshot): boolean {
    const last = this.appender.lastBlock;
    if (last !== undefined && snapshot.block <= last) return false;
    this.appender.append([formatSnapshotLine(snapshot)], snapshot.block, this.header);
    return true;
  }

  close(): void {
    this.appender.close();
  }
}
