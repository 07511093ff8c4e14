/**
 * A parsed snapshot file held as columns (typed arrays): compact in memory, fast to replay,
 * and trivially saved to and loaded from the on-disk cache. One row is one subnet in one
 * snapshot; the rows of snapshot i are rowStart[i] .. rowStart[i+1]-1, sorted by netuid.
 *
 * Missing optional values: -1n in amount columns, NaN in number columns, -1 in int/bool
 * columns. `price` is always filled (from the source, else from the pool curve).
 */
import type { Snapshot, SubnetState } from '../core/snapshot.ts';
import { curvePrice } from '../core/snapshot.ts';
import type { RowRecord } from './validate.ts';

export const MISSING = -1n;

/** Column names and their typed-array kinds; the cache stores exactly these. */
export const SNAPSHOT_COLUMNS = {
  block: 'f64', timeMs: 'f64', rootStake: 'i64', taoWeight: 'f64', blockEmission: 'i64', rowStart: 'i32',
} as const;
export const ROW_COLUMNS = {
  netuid: 'u16', taoIn: 'i64', alphaIn: 'i64', taoInTao: 'f64', alphaInTao: 'f64', price: 'f64', priceGiven: 'u8',
  alphaOut: 'i64', movingPrice: 'f64', rootProp: 'f64', taoInEmission: 'i64', alphaInEmission: 'i64',
  alphaOutEmission: 'i64', excessTao: 'i64', feeRate: 'i32', tempo: 'i32', emissionEnabled: 'i8',
  quoteWeight: 'f64', nameId: 'i32',
} as const;

type ColumnKind = 'f64' | 'i64' | 'i32' | 'u16' | 'u8' | 'i8';
export type TypedColumn = Float64Array | BigInt64Array | Int32Array | Uint16Array | Uint8Array | Int8Array;

export function allocColumn(kind: ColumnKind, n: number): TypedColumn {
  switch (kind) {
    case 'f64': return new Float64Array(n);
    case 'i64': return new BigInt64Array(n);
    case 'i32': return new Int32Array(n);
    case 'u16': return new Uint16Array(n);
    case 'u8': return new Uint8Array(n);
    case 'i8': return new Int8Array(n);
  }
}

export interface DatasetColumns {
  block: Float64Array;
  timeMs: Float64Array;
  rootStake: BigInt64Array;
  taoWeight: Float64Array;
  blockEmission: BigInt64Array;
  rowStart: Int32Array;
  netuid: Uint16Array;
  taoIn: BigInt64Array;
  alphaIn: BigInt64Array;
  taoInTao: Float64Array;
  alphaInTao: Float64Array;
  price: Float64Array;
  priceGiven: Uint8Array;
  alphaOut: BigInt64Array;
  movingPrice: Float64Array;
  rootProp: Float64Array;
  taoInEmission: BigInt64Array;
  alphaInEmission: BigInt64Array;
  alphaOutEmission: BigInt64Array;
  excessTao: BigInt64Array;
  feeRate: Int32Array;
  tempo: Int32Array;
  emissionEnabled: Int8Array;
  quoteWeight: Float64Array;
  nameId: Int32Array;
}

export interface DatasetMeta {
  /** Where the data came from (a path), for messages. */
  source: string;
  /** The file's header object, if it had one. */
  header: Record<string, unknown> | undefined;
  /** Time text of each snapshot as written in the source. */
  timeText: string[];
  /** Distinct subnet names; nameId indexes this. */
  names: string[];
  /** Optional fields that appear at least once, by their format key. */
  fieldsPresent: string[];
  /** Warnings raised while reading (unknown keys, odd prices), to show the user once. */
  warnings: string[];
}

export class Dataset {
  readonly snapshotCount: number;
  readonly rowCount: number;

  constructor(readonly cols: DatasetColumns, readonly meta: DatasetMeta) {
    this.snapshotCount = cols.block.length;
    this.rowCount = cols.netuid.length;
  }

  get source(): string {
    return this.meta.source;
  }

  has(field: string): boolean {
    return this.meta.fieldsPresent.includes(field);
  }

  /** Per netuid, its offset within the last snapshot it was looked up in (most snapshots list the same subnets). */
  private readonly rowHint = new Int16Array(65536).fill(-1);

  /** Row of `netuid` in snapshot i, or -1 (rows are sorted by netuid; the last offset is tried first). */
  rowOf(i: number, netuid: number): number {
    const nu = this.cols.netuid;
    const from = this.cols.rowStart[i]!;
    const to = this.cols.rowStart[i + 1]!;
    const hint = from + this.rowHint[netuid]!;
    if (hint >= from && hint < to && nu[hint] === netuid) return hint;
    let lo = from;
    let hi = to - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = nu[mid]!;
      if (v === netuid) {
        if (mid - from < 32768) this.rowHint[netuid] = mid - from;
        return mid;
      }
      if (v < netuid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the last snapshot at or before `block`, or -1. */
  indexAtOrBefore(block: number): number {
    const b = this.cols.block;
    let lo = 0;
    let hi = b.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (b[mid]! <= block) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  /** One row as a SubnetState object. */
  subnetAt(row: number): SubnetState {
    const c = this.cols;
    const s: SubnetState = { netuid: c.netuid[row]!, taoIn: c.taoIn[row]!, alphaIn: c.alphaIn[row]! };
    if (c.priceGiven[row]) s.price = c.price[row]!;
    const ao = c.alphaOut[row]!;
    if (ao !== MISSING) s.alphaOut = ao;
    if (!Number.isNaN(c.movingPrice[row]!)) s.movingPrice = c.movingPrice[row]!;
    if (!Number.isNaN(c.rootProp[row]!)) s.rootProp = c.rootProp[row]!;
    if (c.taoInEmission[row] !== MISSING) s.taoInEmission = c.taoInEmission[row]!;
    if (c.alphaInEmission[row] !== MISSING) s.alphaInEmission = c.alphaInEmission[row]!;
    if (c.alphaOutEmission[row] !== MISSING) s.alphaOutEmission = c.alphaOutEmission[row]!;
    if (c.excessTao[row] !== MISSING) s.excessTao = c.excessTao[row]!;
    if (c.feeRate[row]! >= 0) s.feeRate = c.feeRate[row]!;
    if (c.tempo[row]! >= 0) s.tempo = c.tempo[row]!;
    if (c.emissionEnabled[row]! >= 0) s.emissionEnabled = c.emissionEnabled[row] === 1;
    if (c.nameId[row]! >= 0) s.name = this.meta.names[c.nameId[row]!]!;
    if (!Number.isNaN(c.quoteWeight[row]!)) s.quoteWeight = c.quoteWeight[row]!;
    return s;
  }

  /** Snapshot i as a plain object (the form the writer and the paper loop use). */
  snapshot(i: number): Snapshot {
    const c = this.cols;
    const subnets: SubnetState[] = [];
    for (let r = c.rowStart[i]!; r < c.rowStart[i + 1]!; r++) subnets.push(this.subnetAt(r));
    const snap: Snapshot = { block: c.block[i]!, time: this.meta.timeText[i]!, subnets };
    if (c.rootStake[i] !== MISSING) snap.rootStake = c.rootStake[i]!;
    if (!Number.isNaN(c.taoWeight[i]!)) snap.taoWeight = c.taoWeight[i]!;
    if (c.blockEmission[i] !== MISSING) snap.blockEmission = c.blockEmission[i]!;
    return snap;
  }

  *snapshots(): IterableIterator<Snapshot> {
    for (let i = 0; i < this.snapshotCount; i++) yield this.snapshot(i);
  }

  /** Snapshots from..to-1 as a new dataset sharing no state with this one. */
  slice(from: number, to: number): Dataset {
    const b = new DatasetBuilder(this.meta.source, this.meta.header);
    for (let i = from; i < to; i++) b.addSnapshot(this.snapshot(i));
    const d = b.build();
    d.meta.warnings.push(...this.meta.warnings);
    return d;
  }
}

// Growable columns, one class per element type: a single generic class would make every
// push site polymorphic over six typed-array kinds, which costs more than the parse itself.
class GrowF64 {
  arr = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.arr.length) {
      const next = new Float64Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.n++] = v;
  }
  done(): Float64Array {
    return this.arr.subarray(0, this.n);
  }
}

class GrowI64 {
  arr = new BigInt64Array(1024);
  /** The same memory as 32-bit halves, to store an exact integer double without making a BigInt. */
  halves = new Uint32Array(this.arr.buffer);
  n = 0;
  private grow(): void {
    const next = new BigInt64Array(this.arr.length * 2);
    next.set(this.arr);
    this.arr = next;
    this.halves = new Uint32Array(next.buffer);
  }
  push(v: bigint): void {
    if (this.n === this.arr.length) this.grow();
    this.arr[this.n++] = v;
  }
  /** Pushes an integer 0 <= v < 2^53 given as a double, or -1 (absent). */
  pushInt(v: number): void {
    if (this.n === this.arr.length) this.grow();
    const k = this.n++ * 2;
    if (v < 0) {
      this.halves[k] = 0xffffffff; // -1n, little-endian two's complement
      this.halves[k + 1] = 0xffffffff;
    } else {
      this.halves[k] = v % 4294967296;
      this.halves[k + 1] = Math.floor(v / 4294967296);
    }
  }
  done(): BigInt64Array {
    return this.arr.subarray(0, this.n);
  }
}

class GrowI32 {
  arr = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.arr.length) {
      const next = new Int32Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.n++] = v;
  }
  done(): Int32Array {
    return this.arr.subarray(0, this.n);
  }
}

class GrowU16 {
  arr = new Uint16Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.arr.length) {
      const next = new Uint16Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.n++] = v;
  }
  done(): Uint16Array {
    return this.arr.subarray(0, this.n);
  }
}

class GrowI8 {
  arr = new Int8Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.arr.length) {
      const next = new Int8Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.n++] = v;
  }
  done(): Int8Array {
    return this.arr.subarray(0, this.n);
  }
}

/** Field keys recorded as present, by column, so the hot path sets flags instead of strings. */
const OPTIONAL_KEYS = ['price', 'alpha_out', 'moving_price', 'root_prop', 'tao_in_emission', 'alpha_in_emission', 'alpha_out_emission', 'excess_tao', 'fee_rate', 'tempo', 'emission_enabled', 'name', 'quote_weight'] as const;

/** Builds a Dataset snapshot by snapshot (validation happens before, in the reader). */
export class DatasetBuilder {
  private readonly block = new GrowF64();
  private readonly timeMs = new GrowF64();
  private readonly rootStake = new GrowI64();
  private readonly taoWeight = new GrowF64();
  private readonly blockEmission = new GrowI64();
  private readonly rowStart = new GrowI32();
  private readonly netuid = new GrowU16();
  private readonly taoIn = new GrowI64();
  private readonly alphaIn = new GrowI64();
  private readonly taoInTao = new GrowF64();
  private readonly alphaInTao = new GrowF64();
  private readonly price = new GrowF64();
  private readonly priceGiven = new GrowI8();
  private readonly alphaOut = new GrowI64();
  private readonly movingPrice = new GrowF64();
  private readonly rootProp = new GrowF64();
  private readonly taoInEmission = new GrowI64();
  private readonly alphaInEmission = new GrowI64();
  private readonly alphaOutEmission = new GrowI64();
  private readonly excessTao = new GrowI64();
  private readonly feeRate = new GrowI32();
  private readonly tempo = new GrowI32();
  private readonly emissionEnabled = new GrowI8();
  private readonly quoteWeight = new GrowF64();
  private readonly nameId = new GrowI32();
  private readonly timeText: string[] = [];
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  private readonly seen = new Uint8Array(OPTIONAL_KEYS.length);
  private readonly snapshotFields = new Set<string>();
  readonly warnings: string[] = [];
  private rows = 0;

  constructor(private readonly source: string, private readonly header: Record<string, unknown> | undefined) {}

  get snapshotCount(): number {
    return this.timeText.length;
  }

  /** Optional fields that appeared at least once. */
  get fieldsPresent(): string[] {
    const out = [...this.snapshotFields];
    for (let k = 0; k < OPTIONAL_KEYS.length; k++) if (this.seen[k]) out.push(OPTIONAL_KEYS[k]!);
    return out.sort();
  }

  /** Appends one snapshot; subnets must be sorted by netuid with no repeats. */
  addSnapshot(s: Snapshot, timeMs = Date.parse(s.time)): void {
    this.block.push(s.block);
    this.timeMs.push(timeMs);
    this.rootStake.push(s.rootStake ?? MISSING);
    this.taoWeight.push(s.taoWeight ?? NaN);
    this.blockEmission.push(s.blockEmission ?? MISSING);
    this.rowStart.push(this.rows);
    this.timeText.push(s.time);
    if (s.rootStake !== undefined) this.snapshotFields.add('root_stake');
    if (s.taoWeight !== undefined) this.snapshotFields.add('tao_weight');
    if (s.blockEmission !== undefined) this.snapshotFields.add('block_emission');
    const subnets = s.subnets;
    for (let j = 0; j < subnets.length; j++) this.addSubnet(subnets[j]!);
  }

  // ---- the validator's direct way in (SnapshotValidator.appendSnapshot) -----------
  // A snapshot's rows are appended one by one, then closeSnapshot() adds its own values.

  /** Where the next snapshot's rows start (pass to closeSnapshot or dropRowsSince). */
  markRows(): number {
    return this.rows;
  }

  /** Takes back rows appended since `mark` (a row that failed its checks). */
  dropRowsSince(mark: number): void {
    for (const g of [this.netuid, this.taoIn, this.alphaIn, this.taoInTao, this.alphaInTao, this.price, this.priceGiven, this.alphaOut,
      this.movingPrice, this.rootProp, this.taoInEmission, this.alphaInEmission, this.alphaOutEmission, this.excessTao, this.feeRate,
      this.tempo, this.emissionEnabled, this.quoteWeight, this.nameId]) g.n = mark;
    this.rows = mark;
  }

  /** One checked row (amounts as exact doubles, or BIG with the value in `row.big`). */
  addRow(row: RowRecord): void {
    if (row.big !== undefined) {
      this.addSubnet(row.toSubnetState());
      return;
    }
    const seen = this.seen;
    const taoIn = row.taoIn;
    const alphaIn = row.alphaIn;
    this.netuid.push(row.netuid);
    this.taoIn.pushInt(taoIn);
    this.alphaIn.pushInt(alphaIn);
    this.taoInTao.push(taoIn / 1e9);
    this.alphaInTao.push(alphaIn / 1e9);
    if (row.priceGiven) {
      this.price.push(row.price);
      this.priceGiven.push(1);
      seen[0] = 1;
    } else {
      this.price.push(row.curvePrice());
      this.priceGiven.push(0);
    }
    this.alphaOut.pushInt(row.alphaOut);
    if (row.alphaOut >= 0) seen[1] = 1;
    this.movingPrice.push(row.movingPrice);
    if (row.movingPrice === row.movingPrice) seen[2] = 1;
    this.rootProp.push(row.rootProp);
    if (row.rootProp === row.rootProp) seen[3] = 1;
    this.taoInEmission.pushInt(row.taoInEmission);
    if (row.taoInEmission >= 0) seen[4] = 1;
    this.alphaInEmission.pushInt(row.alphaInEmission);
    if (row.alphaInEmission >= 0) seen[5] = 1;
    this.alphaOutEmission.pushInt(row.alphaOutEmission);
    if (row.alphaOutEmission >= 0) seen[6] = 1;
    this.excessTao.pushInt(row.excessTao);
    if (row.excessTao >= 0) seen[7] = 1;
    this.feeRate.push(row.feeRate);
    if (row.feeRate >= 0) seen[8] = 1;
    this.tempo.push(row.tempo);
    if (row.tempo >= 0) seen[9] = 1;
    this.emissionEnabled.push(row.enabled);
    if (row.enabled >= 0) seen[10] = 1;
    this.pushName(row.name);
    this.quoteWeight.push(row.quoteWeight);
    if (row.quoteWeight === row.quoteWeight) seen[12] = 1;
    this.rows++;
  }

  /** Adds a snapshot's own values after its rows (appended since `mark`). */
  closeSnapshot(block: number, timeMs: number, time: string, rootStake: bigint | undefined, taoWeight: number | undefined, blockEmission: bigint | undefined, mark: number): void {
    this.block.push(block);
    this.timeMs.push(timeMs);
    this.rootStake.push(rootStake ?? MISSING);
    this.taoWeight.push(taoWeight ?? NaN);
    this.blockEmission.push(blockEmission ?? MISSING);
    this.rowStart.push(mark);
    this.timeText.push(time);
    if (rootStake !== undefined) this.snapshotFields.add('root_stake');
    if (taoWeight !== undefined) this.snapshotFields.add('tao_weight');
    if (blockEmission !== undefined) this.snapshotFields.add('block_emission');
  }

  private pushName(name: string | undefined): void {
    if (name === undefined) {
      this.nameId.push(-1);
      return;
    }
    this.seen[11] = 1;
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    this.nameId.push(id);
  }

  private addSubnet(s: SubnetState): void {
    const seen = this.seen;
    this.netuid.push(s.netuid);
    this.taoIn.push(s.taoIn);
    this.alphaIn.push(s.alphaIn);
    this.taoInTao.push(Number(s.taoIn) / 1e9);
    this.alphaInTao.push(Number(s.alphaIn) / 1e9);
    if (s.price !== undefined) {
      this.price.push(s.price);
      this.priceGiven.push(1);
      seen[0] = 1;
    } else {
      this.price.push(curvePrice(s));
      this.priceGiven.push(0);
    }
    if (s.alphaOut !== undefined) { this.alphaOut.push(s.alphaOut); seen[1] = 1; } else this.alphaOut.push(MISSING);
    if (s.movingPrice !== undefined) { this.movingPrice.push(s.movingPrice); seen[2] = 1; } else this.movingPrice.push(NaN);
    if (s.rootProp !== undefined) { this.rootProp.push(s.rootProp); seen[3] = 1; } else this.rootProp.push(NaN);
    if (s.taoInEmission !== undefined) { this.taoInEmission.push(s.taoInEmission); seen[4] = 1; } else this.taoInEmission.push(MISSING);
    if (s.alphaInEmission !== undefined) { this.alphaInEmission.push(s.alphaInEmission); seen[5] = 1; } else this.alphaInEmission.push(MISSING);
    if (s.alphaOutEmission !== undefined) { this.alphaOutEmission.push(s.alphaOutEmission); seen[6] = 1; } else this.alphaOutEmission.push(MISSING);
    if (s.excessTao !== undefined) { this.excessTao.push(s.excessTao); seen[7] = 1; } else this.excessTao.push(MISSING);
    if (s.feeRate !== undefined) { this.feeRate.push(s.feeRate); seen[8] = 1; } else this.feeRate.push(-1);
    if (s.tempo !== undefined) { this.tempo.push(s.tempo); seen[9] = 1; } else this.tempo.push(-1);
    if (s.emissionEnabled !== undefined) { this.emissionEnabled.push(s.emissionEnabled ? 1 : 0); seen[10] = 1; } else this.emissionEnabled.push(-1);
    this.pushName(s.name);
    if (s.quoteWeight !== undefined) { this.quoteWeight.push(s.quoteWeight); seen[12] = 1; } else this.quoteWeight.push(NaN);
    this.rows++;
  }

  build(): Dataset {
    this.rowStart.push(this.rows);
    const cols: DatasetColumns = {
      block: this.block.done(), timeMs: this.timeMs.done(), rootStake: this.rootStake.done(), taoWeight: this.taoWeight.done(),
      blockEmission: this.blockEmission.done(), rowStart: this.rowStart.done(), netuid: this.netuid.done(), taoIn: this.taoIn.done(),
      alphaIn: this.alphaIn.done(), taoInTao: this.taoInTao.done(), alphaInTao: this.alphaInTao.done(), price: this.price.done(),
      priceGiven: new Uint8Array(this.priceGiven.done().buffer, 0, this.rows), alphaOut: this.alphaOut.done(), movingPrice: this.movingPrice.done(),
      rootProp: this.rootProp.done(), taoInEmission: this.taoInEmission.done(), alphaInEmission: this.alphaInEmission.done(),
      alphaOutEmission: this.alphaOutEmission.done(), excessTao: this.excessTao.done(), feeRate: this.feeRate.done(), tempo: this.tempo.done(),
      emissionEnabled: this.emissionEnabled.done(), quoteWeight: this.quoteWeight.done(), nameId: this.nameId.done(),
    };
    // rowStart has one more entry than there are snapshots; the block column defines the count.
    return new Dataset(cols, {
      source: this.source,
      header: this.header,
      timeText: this.timeText,
      names: this.names,
      fieldsPresent: this.fieldsPresent,
      warnings: this.warnings,
    });
  }
}

/**
 * Two datasets read from consecutive parts of one file, as one: rows and snapshots of `b`
 * after those of `a`, `b`'s subnet names folded into `a`'s table. Meta (header, warnings)
 * is `a`'s, with `fieldsPresent` from both.
 */
export function concatDatasets(a: Dataset, b: Dataset): Dataset {
  const ca = a.cols;
  const cb = b.cols;
  const join = <T extends TypedColumn>(x: T, y: T): T => {
    const out = allocColumn(kindOf(x), x.length + y.length) as T;
    (out as unknown as { set(v: T, o?: number): void }).set(x, 0);
    (out as unknown as { set(v: T, o?: number): void }).set(y, x.length);
    return out;
  };
  const names = [...a.meta.names];
  const ids = new Map(names.map((n, k) => [n, k]));
  const remap = b.meta.names.map((n) => {
    let id = ids.get(n);
    if (id === undefined) {
      id = names.length;
      names.push(n);
      ids.set(n, id);
    }
    return id;
  });
  const cols = {} as Record<string, TypedColumn>;
  for (const k of Object.keys(ca) as (keyof DatasetColumns)[]) {
    if (k === 'rowStart' || k === 'nameId') continue;
    cols[k] = join(ca[k] as TypedColumn, cb[k] as TypedColumn);
  }
  // rowStart: a's starts (without its closing entry), then b's shifted by a's row count.
  const rowStart = new Int32Array(a.snapshotCount + b.snapshotCount + 1);
  rowStart.set(ca.rowStart.subarray(0, a.snapshotCount), 0);
  for (let i = 0; i <= b.snapshotCount; i++) rowStart[a.snapshotCount + i] = cb.rowStart[i]! + a.rowCount;
  cols.rowStart = rowStart;
  const nameId = new Int32Array(a.rowCount + b.rowCount);
  nameId.set(ca.nameId, 0);
  for (let r = 0; r < b.rowCount; r++) {
    const id = cb.nameId[r]!;
    nameId[a.rowCount + r] = id < 0 ? -1 : remap[id]!;
  }
  cols.nameId = nameId;
  return new Dataset(cols as unknown as DatasetColumns, {
    ...a.meta,
    timeText: [...a.meta.timeText, ...b.meta.timeText],
    names,
    fieldsPresent: [...new Set([...a.meta.fieldsPresent, ...b.meta.fieldsPresent])].sort(),
    warnings: [...a.meta.warnings],
  });
}

function kindOf(c: TypedColumn): ColumnKind {
  if (c instanceof Float64Array) return 'f64';
  if (c instanceof BigInt64Array) return 'i64';
  if (c instanceof Int32Array) return 'i32';
  if (c instanceof Uint16Array) return 'u16';
  if (c instanceof Uint8Array) return 'u8';
  return 'i8';
}
