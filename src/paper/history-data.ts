/**
 * The paper loop's history as a Dataset that grows by one snapshot per tick in amortised
 * constant time per row. Rebuilding a dataset from all snapshots at every tick costs seconds
 * after a year of hourly ticks on a 128-subnet chain; here each new snapshot goes through the
 * ordinary DatasetBuilder (so its columns are exactly what a file reader builds) and is copied
 * into columns with spare capacity. Each tick gets a Dataset viewing the first n snapshots;
 * views handed out earlier stay valid, since rows are only ever added past their end.
 *
 * `preview(s)` gives the dataset with `s` added without committing it: a tick that fails or is
 * abandoned leaves the history as it was, and the next preview overwrites the same rows.
 */
import type { Snapshot } from '../core/snapshot.ts';
import { Dataset, DatasetBuilder, ROW_COLUMNS, SNAPSHOT_COLUMNS, allocColumn, type DatasetColumns, type TypedColumn } from '../data/dataset.ts';

type ColumnName = keyof DatasetColumns;
const SNAPSHOT_KEYS = (Object.keys(SNAPSHOT_COLUMNS) as ColumnName[]).filter((k) => k !== 'rowStart');
const ROW_KEYS = Object.keys(ROW_COLUMNS) as ColumnName[];
const KIND: Record<string, Parameters<typeof allocColumn>[0]> = { ...SNAPSHOT_COLUMNS, ...ROW_COLUMNS };

function grown(old: TypedColumn, kind: Parameters<typeof allocColumn>[0], need: number): TypedColumn {
  if (old.length >= need) return old;
  const next = allocColumn(kind, Math.max(need, old.length * 2, 64));
  (next as Uint8Array).set(old as Uint8Array);
  return next;
}

export class HistoryDataset {
  private readonly cols: Record<string, TypedColumn> = {};
  private snapshots = 0;
  private rows = 0;
  private readonly timeText: string[] = [];
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  private readonly fields = new Set<string>();
  private pendingFields: string[] = [];
  /** Names known to committed snapshots; later ones belong to a preview. */
  private committedNames = 0;
  private pendingRows = -1;

  constructor(readonly source: string, readonly header: Record<string, unknown>, initial: readonly Snapshot[] = []) {
    for (const k of [...SNAPSHOT_KEYS, ...ROW_KEYS]) this.cols[k] = allocColumn(KIND[k]!, 0);
    this.cols.rowStart = new Int32Array(1);
    if (initial.length) this.load(initial);
  }

  /** Starts from many snapshots at once: one builder for all, then its columns copied in. */
  private load(snapshots: readonly Snapshot[]): void {
    const b = new DatasetBuilder(this.source, this.header);
    for (const s of snapshots) b.addSnapshot(s);
    const d = b.build();
    for (const k of [...SNAPSHOT_KEYS, 'rowStart' as const, ...ROW_KEYS]) {
      const from = d.cols[k] as Uint8Array;
      const col = (this.cols[k] = allocColumn(KIND[k] ?? 'i32', from.length * 2 + 64));
      (col as Uint8Array).set(from);
    }
    this.names.push(...d.meta.names);
    d.meta.names.forEach((name, id) => this.nameIds.set(name, id));
    this.timeText.push(...d.meta.timeText);
    for (const f of d.meta.fieldsPresent) this.fields.add(f);
    this.snapshots = d.snapshotCount;
    this.rows = d.rowCount;
    this.committedNames = this.names.length;
  }

  get length(): number {
    return this.snapshots;
  }

  /** The committed snapshots (undefined while there are none). */
  get data(): Dataset | undefined {
    return this.snapshots === 0 ? undefined : this.view(this.snapshots, this.rows);
  }

  /** The committed snapshots plus `s` (which must be newer than the last), not yet committed. */
  preview(s: Snapshot): Dataset {
    this.add(s);
    return this.view(this.snapshots + 1, this.pendingRows, this.pendingFields);
  }

  /** Writes `s` into the rows past the committed ones. */
  private add(s: Snapshot): void {
    // Names a discarded preview introduced are discarded with it.
    for (let k = this.committedNames; k < this.names.length; k++) this.nameIds.delete(this.names[k]!);
    this.names.length = this.committedNames;
    const one = new DatasetBuilder(this.source, this.header);
    one.addSnapshot(s);
    const d = one.build();
    const c = d.cols;
    const i = this.snapshots;
    const r0 = this.rows;
    const n = d.rowCount;
    for (const k of SNAPSHOT_KEYS) {
      const col = (this.cols[k] = grown(this.cols[k]!, KIND[k]!, i + 1));
      (col as Uint8Array)[i] = (c[k] as Uint8Array)[0]!;
    }
    const rs = (this.cols.rowStart = grown(this.cols.rowStart!, 'i32', i + 2)) as Int32Array;
    rs[i] = r0;
    rs[i + 1] = r0 + n;
    for (const k of ROW_KEYS) {
      const col = (this.cols[k] = grown(this.cols[k]!, KIND[k]!, r0 + n));
      if (k === 'nameId') continue;
      (col as Uint8Array).set(c[k] as Uint8Array, r0);
    }
    const ids = this.cols.nameId as Int32Array;
    for (let r = 0; r < n; r++) {
      const local = c.nameId[r]!;
      ids[r0 + r] = local < 0 ? -1 : this.nameId(d.meta.names[local]!);
    }
    this.timeText[i] = d.meta.timeText[0]!;
    this.pendingFields = d.meta.fieldsPresent;
    this.pendingRows = r0 + n;
  }

  /** Makes the last preview part of the history. */
  commit(): void {
    if (this.pendingRows < 0) throw new Error('nothing to commit: call preview() first');
    this.snapshots++;
    this.rows = this.pendingRows;
    for (const f of this.pendingFields) this.fields.add(f);
    this.committedNames = this.names.length;
    this.pendingRows = -1;
  }

  private nameId(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    return id;
  }

  private view(snapshots: number, rows: number, extraFields: readonly string[] = []): Dataset {
    const cols: Record<string, TypedColumn> = {};
    for (const k of SNAPSHOT_KEYS) cols[k] = this.cols[k]!.subarray(0, snapshots);
    cols.rowStart = this.cols.rowStart!.subarray(0, snapshots + 1);
    for (const k of ROW_KEYS) cols[k] = this.cols[k]!.subarray(0, rows);
    return new Dataset(cols as unknown as DatasetColumns, {
      source: this.source,
      header: this.header,
      timeText: this.timeText.slice(0, snapshots),
      names: this.names.slice(),
      fieldsPresent: [...new Set([...this.fields, ...extraFields])].sort(),
      warnings: [],
    });
  }
}
