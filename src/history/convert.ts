/**
 * Converting a snapshot file between JSON Lines and the long CSV form, both ways, without
 * losing anything: it works on the text of each value (an amount's digits are copied, never
 * parsed and re-printed), checks every snapshot with the same validator the loader uses, and
 * writes the output atomically (a failure leaves no output, and an old one untouched).
 *
 * JSONL -> CSV: the header line becomes a first line "# <header JSON>"; the columns are
 * block, time, netuid, tao_in, alpha_in and then each optional field the file uses, in the
 * order of the field table. CSV -> JSONL: one line per block, keys in field-table order.
 * For a canonical input (as `dtao` writes it) a round trip in either direction gives back
 * the same bytes.
 */
import { extname } from 'node:path';
import { UserError, inputError } from '../core/errors.ts';
import { writeFileAtomic } from '../data/atomic.ts';
import { CSV_COLUMNS, CsvSnapshotParser, csvHeaderLine, csvRowsOf, type CsvGroup } from '../data/csv.ts';
import { SNAPSHOT_FIELDS, SUBNET_FIELDS } from '../data/fields.ts';
import { jsonlRecords, readLines, type Line } from '../data/lines.ts';
import { SnapshotValidator } from '../data/validate.ts';
import { isNoSpace, noSpaceError } from '../data/io-errors.ts';
import { rawSnapshotLine } from './raw-line.ts';

export type FileForm = 'jsonl' | 'csv';

export interface ConvertResult {
  from: FileForm;
  to: FileForm;
  snapshots: number;
  /** Subnet rows (one CSV row each). */
  rows: number;
  hasHeader: boolean;
  /** Columns of the CSV written (JSONL -> CSV only). */
  columns?: string[];
  /** Soft problems met while reading (unknown keys dropped, odd prices), one line each. */
  warnings: string[];
}

export interface ConvertOptions {
  /** Bytes read so far and the total, per pass (JSONL -> CSV reads the input twice). */
  onProgress?: (done: number, total: number) => void;
}

const JSONL_EXTS = new Set(['.jsonl', '.ndjson', '.json']);
const REQUIRED_COLUMNS = ['block', 'time', 'netuid', 'tao_in', 'alpha_in'];
const SNAPSHOT_KEYS = new Set(SNAPSHOT_FIELDS.map((f) => f.key));
const SUBNET_KEYS = new Set(SUBNET_FIELDS.map((f) => f.key));

/** The form a path names by its extension, or undefined when it names neither. */
export function formOf(path: string): FileForm | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (JSONL_EXTS.has(ext)) return 'jsonl';
  return undefined;
}

export function convertSnapshotsFile(input: string, output: string, size: number, opts: ConvertOptions = {}): ConvertResult {
  const from = formOf(input);
  const to = formOf(output);
  if (!from) throw new UserError(`${input}: cannot tell the form from the extension; name it .jsonl or .csv`);
  if (!to) throw new UserError(`${output}: name the output .csv (long CSV form) or .jsonl (JSON Lines)`);
  if (from === to) {
    throw new UserError(`${input} and ${output} are both ${from === 'csv' ? 'CSV' : 'JSON Lines'}; convert goes between .jsonl and .csv (give the output the other extension)`);
  }
  try {
    return from === 'jsonl' ? jsonlToCsv(input, output, size, opts) : csvToJsonl(input, output, size, opts);
  } catch (err) {
    if (isNoSpace(err)) throw noSpaceError(output, err, 'no output was written (an existing file is unchanged)');
    throw err;
  }
}

/** The snapshot records of a JSONL file (the header goes to `onHeader`), via the reader's parser. */
function* snapshotRecords(path: string, lines: Iterable<Line>, onHeader: (text: string, raw: Record<string, unknown>, line: number) => void): Generator<{ raw: Record<string, unknown>; line: number }> {
  for (const rec of jsonlRecords(path, lines)) {
    if (rec.kind === 'header') onHeader(rec.text.trim(), rec.raw as Record<string, unknown>, rec.line);
    else yield { raw: rec.raw as Record<string, unknown>, line: rec.line };
  }
}

function jsonlToCsv(input: string, output: string, size: number, opts: ConvertOptions): ConvertResult {
  // Pass 1: validate everything and learn which columns the file uses, before writing a byte.
  const validator = new SnapshotValidator(input);
  let headerText: string | undefined;
  const used = new Set<string>(REQUIRED_COLUMNS);
  let snapshots = 0;
  let rows = 0;
  const progress = (base: number) => {
    let read = 0;
    return (b: Buffer) => {
      read += b.length;
      opts.onProgress?.(base + read, 2 * size);
    };
  };
  const onHeader = (text: string, raw: Record<string, unknown>, line: number) => {
    validator.header(raw, line);
    headerText = text;
  };
  for (const rec of snapshotRecords(input, readLines(input, progress(0)), onHeader)) {
    validator.snapshot(rec.raw, rec.line);
    for (const k of Object.keys(rec.raw)) if (SNAPSHOT_KEYS.has(k)) used.add(k);
    const subnets = rec.raw.subnets as Record<string, unknown>[];
    for (const s of subnets) for (const k of Object.keys(s)) if (SUBNET_KEYS.has(k)) used.add(k);
    snapshots++;
    rows += Math.max(1, subnets.length);
  }
  if (snapshots === 0) throw new UserError(`${input}: no snapshots found (expected one JSON object per line with "block", "time" and "subnets")`);
  const columns = CSV_COLUMNS.filter((c) => used.has(c));

  // Pass 2: write. The input was fully checked above; a file changed in between is caught
  // by the same parse errors.
  writeFileAtomic(output, (w) => {
    if (headerText !== undefined) w(`# ${headerText}\n`);
    w(csvHeaderLine(columns) + '\n');
    for (const rec of snapshotRecords(input, readLines(input, progress(size)), () => {})) {
      w(csvRowsOf(rec.raw, columns).join('\n') + '\n');
    }
  });
  return { from: 'jsonl', to: 'csv', snapshots, rows, hasHeader: headerText !== undefined, columns, warnings: dropped(validator.warnings()) };
}

function csvToJsonl(input: string, output: string, size: number, opts: ConvertOptions): ConvertResult {
  const validator = new SnapshotValidator(input);
  const parser = new CsvSnapshotParser(input);
  let snapshots = 0;
  let rows = 0;
  let headerText: string | undefined;
  let read = 0;
  writeFileAtomic(output, (w) => {
    const emit = (g: CsvGroup | undefined) => {
      if (!g) return;
      validator.snapshot(g.raw, g.line, g.subnetLines);
      w(rawSnapshotLine(g.raw) + '\n');
      snapshots++;
      rows += Math.max(1, g.subnetLines.length);
    };
    let beforeColumns = true;
    for (const line of readLines(input, (b) => {
      read += b.length;
      opts.onProgress?.(read, size);
    })) {
      if (beforeColumns && line.text.startsWith('#')) {
        if (headerText !== undefined) throw inputError(input, line.number, undefined, 'a second "#" header line; keep one header line before the column names');
        parser.push(line);
        validator.header(parser.header, line.number);
        headerText = line.text.slice(1).trim();
        w(headerText + '\n');
        continue;
      }
      if (line.text.trim() !== '') beforeColumns = false;
      emit(parser.push(line));
    }
    emit(parser.finish());
    if (snapshots === 0) throw new UserError(`${input}: no snapshot rows found (expected a column line and one row per subnet per block)`);
  });
  const warnings = dropped(validator.warnings());
  for (const c of parser.unknownColumns) warnings.push(`${input}: unknown column "${c}" is not part of dtao-snapshots/1 and was not carried over`);
  return { from: 'csv', to: 'jsonl', snapshots, rows, hasHeader: headerText !== undefined, warnings };
}

/** The validator says "ignored" for unknown keys; in a conversion they are not carried over. */
function dropped(warnings: string[]): string[] {
  return warnings.map((w) => w.replace(/ ignored \(/, ' not carried over (').replace(/; fills use the reserves$/, ''));
}
