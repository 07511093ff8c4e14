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

  /** Row of `netuid` in snapshot i, or -1 (binary search: rows are sorted by netuid). */
  rowOf(i: number, netuid: number): number {
    const nu = this.cols.netuid;
    let lo = this.cols.rowStart[i]!;
    let hi = this.cols.rowStart[i + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = nu[mid]!;
      if (v === netuid) return mid;
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

class Grow<T extends TypedColumn> {
  arr: T;
  n = 0;
  constructor(private readonly kind: ColumnKind, cap = 1024) {
    this.arr = allocColumn(kind, cap) as T;
  }
  push(v: number | bigint): void {
    if (this.n === this.arr.length) {
      const next = allocColumn(this.kind, this.arr.length * 2) as T;
      (next as unknown as { set(a: T): void }).set(this.arr);
      this.arr = next;
    }
    (this.arr as unknown as Record<number, number | bigint>)[this.n++] = v;
  }
  done(): T {
    return this.arr.slice(0, this.n) as T;
  }
}

/** Builds a Dataset snapshot by snapshot (validation happens before, in the reader). */
export class DatasetBuilder {
  private readonly snap = {
    block: new Grow<Float64Array>('f64'), timeMs: new Grow<Float64Array>('f64'), rootStake: new Grow<BigInt64Array>('i64'),
    taoWeight: new Grow<Float64Array>('f64'), blockEmission: new Grow<BigInt64Array>('i64'), rowStart: new Grow<Int32Array>('i32'),
  };
  private readonly row = {
    netuid: new Grow<Uint16Array>('u16'), taoIn: new Grow<BigInt64Array>('i64'), alphaIn: new Grow<BigInt64Array>('i64'),
    taoInTao: new Grow<Float64Array>('f64'), alphaInTao: new Grow<Float64Array>('f64'), price: new Grow<Float64Array>('f64'),
    priceGiven: new Grow<Uint8Array>('u8'), alphaOut: new Grow<BigInt64Array>('i64'), movingPrice: new Grow<Float64Array>('f64'),
    rootProp: new Grow<Float64Array>('f64'), taoInEmission: new Grow<BigInt64Array>('i64'), alphaInEmission: new Grow<BigInt64Array>('i64'),
    alphaOutEmission: new Grow<BigInt64Array>('i64'), excessTao: new Grow<BigInt64Array>('i64'), feeRate: new Grow<Int32Array>('i32'),
    tempo: new Grow<Int32Array>('i32'), emissionEnabled: new Grow<Int8Array>('i8'), quoteWeight: new Grow<Float64Array>('f64'),
    nameId: new Grow<Int32Array>('i32'),
  };
  private readonly timeText: string[] = [];
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  readonly fieldsPresent = new Set<string>();
  readonly warnings: string[] = [];
  private rows = 0;

  constructor(private readonly source: string, private readonly header: Record<string, unknown> | undefined) {}

  get snapshotCount(): number {
    return this.timeText.length;
  }

  /** Appends one snapshot; subnets must be sorted by netuid with no repeats. */
  addSnapshot(s: Snapshot, timeMs = Date.parse(s.time)): void {
    const S = this.snap;
    S.block.push(s.block);
    S.timeMs.push(timeMs);
    S.rootStake.push(s.rootStake ?? MISSING);
    S.taoWeight.push(s.taoWeight ?? NaN);
    S.blockEmission.push(s.blockEmission ?? MISSING);
    S.rowStart.push(this.rows);
    this.timeText.push(s.time);
    if (s.rootStake !== undefined) this.fieldsPresent.add('root_stake');
    if (s.taoWeight !== undefined) this.fieldsPresent.add('tao_weight');
    if (s.blockEmission !== undefined) this.fieldsPresent.add('block_emission');
    for (const sub of s.subnets) this.addSubnet(sub);
  }

  private addSubnet(s: SubnetState): void {
    const R = this.row;
    const F = this.fieldsPresent;
    R.netuid.push(s.netuid);
    R.taoIn.push(s.taoIn);
    R.alphaIn.push(s.alphaIn);
    R.taoInTao.push(Number(s.taoIn) / 1e9);
    R.alphaInTao.push(Number(s.alphaIn) / 1e9);
    if (s.price !== undefined) {
      R.price.push(s.price);
      R.priceGiven.push(1);
      F.add('price');
    } else {
      R.price.push(curvePrice(s));
      R.priceGiven.push(0);
    }
    const amt = (g: Grow<BigInt64Array>, v: bigint | undefined, key: string) => {
      if (v === undefined) g.push(MISSING);
      else {
        g.push(v);
        F.add(key);
      }
    };
    const numb = (g: Grow<Float64Array>, v: number | undefined, key: string) => {
      if (v === undefined) g.push(NaN);
      else {
        g.push(v);
        F.add(key);
      }
    };
    amt(R.alphaOut, s.alphaOut, 'alpha_out');
    numb(R.movingPrice, s.movingPrice, 'moving_price');
    numb(R.rootProp, s.rootProp, 'root_prop');
    amt(R.taoInEmission, s.taoInEmission, 'tao_in_emission');
    amt(R.alphaInEmission, s.alphaInEmission, 'alpha_in_emission');
    amt(R.alphaOutEmission, s.alphaOutEmission, 'alpha_out_emission');
    amt(R.excessTao, s.excessTao, 'excess_tao');
    R.feeRate.push(s.feeRate ?? -1);
    if (s.feeRate !== undefined) F.add('fee_rate');
    R.tempo.push(s.tempo ?? -1);
    if (s.tempo !== undefined) F.add('tempo');
    R.emissionEnabled.push(s.emissionEnabled === undefined ? -1 : s.emissionEnabled ? 1 : 0);
    if (s.emissionEnabled !== undefined) F.add('emission_enabled');
    numb(R.quoteWeight, s.quoteWeight, 'quote_weight');
    if (s.name === undefined) R.nameId.push(-1);
    else {
      F.add('name');
      let id = this.nameIds.get(s.name);
      if (id === undefined) {
        id = this.names.length;
        this.names.push(s.name);
        this.nameIds.set(s.name, id);
      }
      R.nameId.push(id);
    }
    this.rows++;
  }

  build(): Dataset {
    this.snap.rowStart.push(this.rows);
    const cols = {} as Record<string, TypedColumn>;
    for (const [k, g] of Object.entries(this.snap)) cols[k] = g.done();
    for (const [k, g] of Object.entries(this.row)) cols[k] = g.done();
    // rowStart has one more entry than there are snapshots; the block column defines the count.
    return new Dataset(cols as unknown as DatasetColumns, {
      source: this.source,
      header: this.header,
      timeText: this.timeText,
      names: this.names,
      fieldsPresent: [...this.fieldsPresent].sort(),
      warnings: this.warnings,
    });
  }
}
