/**
 * Parsing JSON Lines data, a whole file or one part of it: lines through JSON.parse and the
 * validator, straight into a DatasetBuilder. A part carries its first line number, so every
 * message names the file's own line; only the part at the file's start may hold the header.
 */
import { Dataset, DatasetBuilder } from './dataset.ts';
import { jsonlRecords, readLines, type ByteRange } from './lines.ts';
import { SnapshotValidator, type ValidatorTally } from './validate.ts';

export interface JsonlPart {
  /** The part's snapshots (possibly none); warnings are left to the caller (see `tally`). */
  dataset: Dataset;
  tally: ValidatorTally;
}

export interface JsonlPartOptions {
  /** Bytes and first line of the part; the whole file if absent. */
  range?: ByteRange;
  /** Sees every byte read (progress). */
  onChunk?: (bytes: Buffer) => void;
  /** false: the Snapshot-object way for every line (tests compare the two). */
  direct?: boolean;
}

/** An error from a part, with what the part had accepted before it (see parallel-parse.ts). */
export class PartError extends Error {
  constructor(readonly original: unknown, readonly tally: ValidatorTally) {
    super((original as Error)?.message ?? String(original));
  }
}

export function parseJsonlPart(path: string, opts: JsonlPartOptions = {}): JsonlPart {
  const validator = new SnapshotValidator(path);
  const atStart = !opts.range || opts.range.start === 0;
  let builder: DatasetBuilder | undefined;
  try {
    for (const rec of jsonlRecords(path, readLines(path, opts.onChunk, opts.range), atStart)) {
      if (rec.kind === 'header') {
        builder = new DatasetBuilder(path, validator.header(rec.raw, rec.line));
        continue;
      }
      builder ??= new DatasetBuilder(path, undefined);
      if (opts.direct === false) builder.addSnapshot(validator.snapshot(rec.raw, rec.line));
      else validator.appendSnapshot(rec.raw, rec.line, builder);
    }
  } catch (err) {
    if (opts.range && opts.range.start > 0) throw new PartError(err, validator.tally());
    throw err;
  }
  builder ??= new DatasetBuilder(path, undefined);
  return { dataset: builder.build(), tally: validator.tally() };
}
