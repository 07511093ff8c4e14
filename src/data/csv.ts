/**
 * The long CSV form of `dtao-snapshots/1`: one row per subnet per snapshot, the snapshot's
 * own fields repeated on each of its rows. An optional first line `# {json}` carries the
 * file header. Cells keep their text exactly, so JSONL -> CSV -> JSONL gives back the same
 * canonical file. Empty cell = absent field.
 */
import { SNAPSHOT_FIELDS, SUBNET_FIELDS, type FieldKind } from './fields.ts';
import { inputError } from '../core/errors.ts';
import { numberToPlainString } from '../core/units.ts';
import type { Line } from './lines.ts';

export const CSV_COLUMNS: string[] = [...SNAPSHOT_FIELDS.map((f) => f.key), ...SUBNET_FIELDS.map((f) => f.key)];
const KIND = new Map<string, FieldKind>([...SNAPSHOT_FIELDS, ...SUBNET_FIELDS].map((f) => [f.key, f.kind]));
const SNAPSHOT_KEYS = new Set(SNAPSHOT_FIELDS.map((f) => f.key));

/** Splits one CSV record into cells (RFC 4180 quoting). Returns undefined if a quote is still open. */
export function splitCsvRecord(text: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (i < n && text.charCodeAt(i) === 34 /* " */) {
      let cell = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        cell += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(cell);
    } else {
      const c = text.indexOf(',', i);
      const end = c < 0 ? n : c;
      cells.push(text.slice(i, end));
      i = end;
    }
    if (i >= n) break;
    if (text.charCodeAt(i) !== 44) return undefined;
    i++;
    if (i === n) {
      cells.push('');
      break;
    }
  }
  return cells;
}

export function csvCell(text: string): string {
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A raw snapshot record assembled from consecutive CSV rows of one block. */
export interface CsvGroup {
  raw: Record<string, unknown>;
  line: number;
  subnetLines: number[];
}

/**
 * Groups CSV lines into raw snapshot records (the same shape JSON.parse gives for a JSONL
 * line). Cells are typed by the field table: ints and bools become JSON values, everything
 * else keeps its text.
 */
export class CsvSnapshotParser {
  header: Record<string, unknown> | undefined;
  private columns: string[] | undefined;
  private pending = '';
  private pendingLine = 0;
  private group: CsvGroup | undefined;
  private groupKey = '';
  readonly unknownColumns: string[] = [];

  constructor(private readonly file: string) {}

  /** Feeds one line; returns a finished group when a new block starts. */
  push(line: Line): CsvGroup | undefined {
    let text = line.text;
    let lineNo = line.number;
    if (this.pending) {
      text = this.pending + '\n' + text;
      lineNo = this.pendingLine;
    }
    if (this.columns === undefined) {
      if (text.startsWith('#')) {
        const json = text.slice(1).trim();
        try {
          this.header = JSON.parse(json) as Record<string, unknown>;
        } catch {
          throw inputError(this.file, lineNo, undefined, 'a "#" line before the column names must hold the file header as JSON');
        }
        return undefined;
      }
      if (text.trim() === '') return undefined;
      const cols = splitCsvRecord(text);
      if (!cols) throw inputError(this.file, lineNo, undefined, 'unbalanced quotes in the column names');
      this.columns = cols.map((c) => c.trim());
      for (const req of ['block', 'time', 'netuid', 'tao_in', 'alpha_in']) {
        if (!this.columns.includes(req)) throw inputError(this.file, lineNo, req, `column missing; the CSV form needs at least block,time,netuid,tao_in,alpha_in`);
      }
      for (const c of this.columns) if (!KIND.has(c)) this.unknownColumns.push(c);
      return undefined;
    }
    if (text.trim() === '') return undefined;
    const cells = splitCsvRecord(text);
    if (!cells) {
      this.pending = text;
      this.pendingLine = lineNo;
      return undefined;
    }
    this.pending = '';
    if (cells.length !== this.columns.length) {
      throw inputError(this.file, lineNo, undefined, `${cells.length} cells but ${this.columns.length} columns; every row needs one cell per column (empty for absent)`);
    }
    const snapPart: Record<string, unknown> = {};
    const subnet: Record<string, unknown> = {};
    let key = '';
    for (let c = 0; c < cells.length; c++) {
      const col = this.columns[c]!;
      const cell = cells[c]!;
      if (SNAPSHOT_KEYS.has(col)) key += cell + '\u0001';
      if (cell === '') continue;
      const kind = KIND.get(col);
      if (kind === undefined) continue;
      const value = typed(kind, cell, this.file, lineNo, col);
      if (SNAPSHOT_KEYS.has(col)) snapPart[col] = value;
      else subnet[col] = value;
    }
    let done: CsvGroup | undefined;
    if (!this.group || key !== this.groupKey) {
      done = this.group;
      if (this.group && snapPart.block === this.group.raw.block) {
        throw inputError(this.file, lineNo, undefined, `rows of block ${String(snapPart.block)} disagree on the snapshot fields (block, time, root_stake, tao_weight, block_emission); they must repeat the same values`);
      }
      this.group = { raw: { ...snapPart, subnets: [] }, line: lineNo, subnetLines: [] };
      this.groupKey = key;
    }
    // A row with no netuid stands for a snapshot that has no subnets.
    if (subnet.netuid !== undefined || Object.keys(subnet).length > 0) {
      (this.group.raw.subnets as unknown[]).push(subnet);
      this.group.subnetLines.push(lineNo);
    }
    return done;
  }

  /** The last group, at end of input. */
  finish(): CsvGroup | undefined {
    if (this.pending) throw inputError(this.file, this.pendingLine, undefined, 'a quoted cell is never closed');
    const g = this.group;
    this.group = undefined;
    return g;
  }
}

function typed(kind: FieldKind, cell: string, file: string, line: number, col: string): unknown {
  switch (kind) {
    case 'int': {
      if (!/^-?\d+$/.test(cell)) throw inputError(file, line, col, `expected an integer, got ${JSON.stringify(cell)}`);
      return Number(cell);
    }
    case 'bool':
      if (cell === 'true') return true;
      if (cell === 'false') return false;
      throw inputError(file, line, col, `expected true or false, got ${JSON.stringify(cell)}`);
    default:
      return cell;
  }
}

/** The CSV column header line. */
export function csvHeaderLine(columns: string[] = CSV_COLUMNS): string {
  return columns.join(',');
}

/**
 * CSV rows of one raw snapshot record (text level: amounts keep their exact text).
 * Values that are JSON numbers are written as plain decimals (never exponent notation, which
 * an amount cell would not accept), booleans as true/false.
 */
export function csvRowsOf(raw: Record<string, unknown>, columns: string[] = CSV_COLUMNS): string[] {
  const cellOf = (v: unknown): string => {
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return csvCell(v);
    if (typeof v === 'number') return csvCell(numberToPlainString(v));
    return csvCell(JSON.stringify(v));
  };
  const subnets = (raw.subnets as Record<string, unknown>[] | undefined) ?? [];
  const rows: string[] = [];
  const list = subnets.length ? subnets : [{}];
  for (const s of list) {
    rows.push(columns.map((c) => cellOf(SNAPSHOT_KEYS.has(c) ? raw[c] : s[c])).join(','));
  }
  return rows;
}
