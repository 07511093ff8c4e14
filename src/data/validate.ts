/**
 * Turns one raw record (a parsed JSON line, or the rows of one block in the CSV form) into a
 * checked snapshot, or throws a UserError naming file, line and field and saying how to fix
 * it. Keeps the state that spans records: the previous block, unknown keys already warned
 * about, counts of soft problems.
 *
 * Two outputs, one set of rules: `snapshot()` returns a Snapshot object; `appendSnapshot()`
 * writes the checked values straight into a DatasetBuilder — the loader's path for large
 * files, with no object per row and no BigInt per amount (amounts below 2^53 rao travel as
 * exact doubles).
 */
import { AmountFormatError, parseAmount, parseAmountRao } from '../core/units.ts';
import { SNAPSHOT_FORMAT, type Snapshot, type SubnetState } from '../core/snapshot.ts';
import { inputError } from '../core/errors.ts';
import { SNAPSHOT_FIELDS, SUBNET_FIELDS } from './fields.ts';
import type { DatasetBuilder } from './dataset.ts';

/** A price further than this factor from the reserves' curve price is an error. */
export const PRICE_ERROR_FACTOR = 1.5;
/** A price more than this fraction off the curve price is counted and reported once. */
export const PRICE_WARN_FRACTION = 0.05;

const SNAPSHOT_KEYS = new Set([...SNAPSHOT_FIELDS.map((f) => f.key), 'subnets']);
const SUBNET_KEYS = new Set(SUBNET_FIELDS.map((f) => f.key));

type AmountKey = 'tao_in' | 'alpha_in' | 'alpha_out' | 'tao_in_emission' | 'alpha_in_emission' | 'alpha_out_emission' | 'excess_tao';

/** Marks an amount of 2^53 rao or more in a RowRecord; its exact value is in `big`. */
export const BIG = -2;

/**
 * One checked subnet row, reused from row to row. Amounts are rao as exact doubles (-1 where
 * absent; BIG with the exact value in `big` at 2^53 rao or more); NaN / -1 mark absent numbers.
 */
export class RowRecord {
  netuid = 0;
  taoIn = 0;
  alphaIn = 0;
  alphaOut = -1;
  price = NaN;
  priceGiven = false;
  movingPrice = NaN;
  rootProp = NaN;
  taoInEmission = -1;
  alphaInEmission = -1;
  alphaOutEmission = -1;
  excessTao = -1;
  feeRate = -1;
  tempo = -1;
  enabled = -1;
  name: string | undefined = undefined;
  quoteWeight = NaN;
  big: Partial<Record<AmountKey, bigint>> | undefined = undefined;

  reset(netuid: number): void {
    this.netuid = netuid;
    this.taoIn = 0;
    this.alphaIn = 0;
    this.alphaOut = -1;
    this.price = NaN;
    this.priceGiven = false;
    this.movingPrice = NaN;
    this.rootProp = NaN;
    this.taoInEmission = -1;
    this.alphaInEmission = -1;
    this.alphaOutEmission = -1;
    this.excessTao = -1;
    this.feeRate = -1;
    this.tempo = -1;
    this.enabled = -1;
    this.name = undefined;
    this.quoteWeight = NaN;
    this.big = undefined;
  }

  /** An amount field as an exact bigint (undefined where absent). */
  exact(key: AmountKey, v: number): bigint | undefined {
    if (v === BIG) return this.big![key]!;
    return v < 0 ? undefined : BigInt(v);
  }

  /** Spot price from the reserves for the row's curve, as `curvePrice` computes it. */
  curvePrice(): number {
    const x = this.alphaIn === BIG ? Number(this.big!.alpha_in!) : this.alphaIn;
    if (x <= 0) return 0;
    const y = this.taoIn === BIG ? Number(this.big!.tao_in!) : this.taoIn;
    const wq = Number.isNaN(this.quoteWeight) ? 0.5 : this.quoteWeight;
    return ((1 - wq) / wq) * (y / x);
  }

  toSubnetState(): SubnetState {
    const s: SubnetState = { netuid: this.netuid, taoIn: this.exact('tao_in', this.taoIn)!, alphaIn: this.exact('alpha_in', this.alphaIn)! };
    const ao = this.exact('alpha_out', this.alphaOut);
    if (ao !== undefined) s.alphaOut = ao;
    if (this.priceGiven) s.price = this.price;
    if (!Number.isNaN(this.movingPrice)) s.movingPrice = this.movingPrice;
    if (!Number.isNaN(this.rootProp)) s.rootProp = this.rootProp;
    const tie = this.exact('tao_in_emission', this.taoInEmission);
    if (tie !== undefined) s.taoInEmission = tie;
    const aie = this.exact('alpha_in_emission', this.alphaInEmission);
    if (aie !== undefined) s.alphaInEmission = aie;
    const aoe = this.exact('alpha_out_emission', this.alphaOutEmission);
    if (aoe !== undefined) s.alphaOutEmission = aoe;
    const ex = this.exact('excess_tao', this.excessTao);
    if (ex !== undefined) s.excessTao = ex;
    if (this.feeRate >= 0) s.feeRate = this.feeRate;
    if (this.tempo >= 0) s.tempo = this.tempo;
    if (this.enabled >= 0) s.emissionEnabled = this.enabled === 1;
    if (this.name !== undefined) s.name = this.name;
    if (!Number.isNaN(this.quoteWeight)) s.quoteWeight = this.quoteWeight;
    return s;
  }
}

/** The field name a message names: "subnets[3] (netuid 12).tao_in" (built only for errors). */
function fieldOf(j: number, netuid: number, key: string): string {
  return `subnets[${j}] (netuid ${netuid}).${key}`;
}

/** The checked snapshot-level values of a record. */
interface Head {
  block: number;
  time: string;
  timeMs: number;
  subnets: unknown[];
  rootStake: bigint | undefined;
  taoWeight: number | undefined;
  blockEmission: bigint | undefined;
}

export class SnapshotValidator {
  private prevBlock = -Infinity;
  private prevLine = 0;
  private readonly unknownKeys = new Map<string, number>();
  private priceWarnCount = 0;
  private priceWarnExample = '';
  private rootRowCount = 0;
  private timeBackwards = 0;
  private prevTimeMs = -Infinity;
  private firstBlock = 0;
  private firstLine = 0;
  private firstTimeMs = 0;
  private readonly scratch = new RowRecord();

  constructor(private readonly file: string) {}

  /** Checks a header object (first line of a file). */
  header(raw: unknown, line: number): Record<string, unknown> {
    if (!isObject(raw)) throw inputError(this.file, line, undefined, 'the header must be a JSON object');
    if (raw.format !== SNAPSHOT_FORMAT) {
      throw inputError(this.file, line, 'format', `unsupported format ${JSON.stringify(raw.format)}; this reader understands "${SNAPSHOT_FORMAT}"`);
    }
    return raw;
  }

  /** The snapshot-level checks (block order, time, globals) of a record. */
  private head(raw: unknown, line: number): Head {
    if (!isObject(raw)) throw inputError(this.file, line, undefined, 'expected a JSON object with "block", "time" and "subnets"');
    if (keyCount(raw) > 3 || raw.subnets === undefined) for (const k of Object.keys(raw)) if (!SNAPSHOT_KEYS.has(k)) this.noteUnknown(k);
    const block = raw.block;
    if (block === undefined) throw inputError(this.file, line, 'block', 'missing (every snapshot needs its block number)');
    if (typeof block !== 'number' || !Number.isSafeInteger(block) || block < 0) {
      throw inputError(this.file, line, 'block', `must be a non-negative integer, got ${JSON.stringify(block)}`);
    }
    if (block <= this.prevBlock) throw blockOrderError(this.file, line, block, this.prevBlock, this.prevLine);
    const time = raw.time;
    if (typeof time !== 'string') throw inputError(this.file, line, 'time', 'missing or not a string (ISO-8601 UTC, e.g. "2026-08-01T00:00:00Z")');
    const timeMs = Date.parse(time);
    if (Number.isNaN(timeMs)) throw inputError(this.file, line, 'time', `${JSON.stringify(time)} is not an ISO-8601 time (e.g. "2026-08-01T00:00:00Z")`);
    const subnets = raw.subnets;
    if (!Array.isArray(subnets)) throw inputError(this.file, line, 'subnets', 'missing or not an array of subnet objects');
    return {
      block, time, timeMs, subnets,
      rootStake: raw.root_stake === undefined ? undefined : this.amount(raw.root_stake, line, 'root_stake'),
      taoWeight: raw.tao_weight === undefined ? undefined : this.fraction(raw.tao_weight, line, -1, 0, 'tao_weight'),
      blockEmission: raw.block_emission === undefined ? undefined : this.amount(raw.block_emission, line, 'block_emission'),
    };
  }

  /** Records an accepted snapshot: the block order and the clock go on from here. */
  private accept(block: number, line: number, timeMs: number): void {
    if (this.firstLine === 0) {
      this.firstBlock = block;
      this.firstLine = line;
      this.firstTimeMs = timeMs;
    }
    if (timeMs < this.prevTimeMs) this.timeBackwards++;
    this.prevBlock = block;
    this.prevLine = line;
    this.prevTimeMs = timeMs;
  }

  /** `subnetLines` gives each subnet its own line number (the CSV form has one row per subnet). */
  snapshot(raw: unknown, line: number, subnetLines?: number[]): Snapshot {
    const h = this.head(raw, line);
    const snap: Snapshot = { block: h.block, time: h.time, subnets: [] };
    if (h.rootStake !== undefined) snap.rootStake = h.rootStake;
    if (h.taoWeight !== undefined) snap.taoWeight = h.taoWeight;
    if (h.blockEmission !== undefined) snap.blockEmission = h.blockEmission;
    const subnets = snap.subnets;
    let sorted = true;
    for (let j = 0; j < h.subnets.length; j++) {
      const s = this.subnetRow(h.subnets[j], subnetLines?.[j] ?? line, j, this.scratch).toSubnetState();
      if (s.netuid === 0) {
        // Root has no pool; its SubnetTAO is the root stake.
        this.rootRowCount++;
        if (snap.rootStake === undefined) snap.rootStake = s.taoIn;
        continue;
      }
      const last = subnets[subnets.length - 1];
      if (last && s.netuid <= last.netuid) sorted = false;
      subnets.push(s);
    }
    if (!sorted) {
      subnets.sort((a, b) => a.netuid - b.netuid);
      for (let j = 1; j < subnets.length; j++) {
        if (subnets[j]!.netuid === subnets[j - 1]!.netuid) {
          throw inputError(this.file, line, 'subnets', `netuid ${subnets[j]!.netuid} appears twice in one snapshot; keep one row per subnet`);
        }
      }
    }
    this.accept(h.block, line, h.timeMs);
    return snap;
  }

  /**
   * Validates a snapshot straight into `builder`. A snapshot whose rows are not in ascending
   * netuid order, or that has a root row, takes the `snapshot()` way (which sorts and reads
   * root rows); errors throw before anything of the line is in the builder's result.
   */
  appendSnapshot(raw: unknown, line: number, builder: DatasetBuilder): void {
    const plain = isObject(raw) && Array.isArray(raw.subnets) && ascendingNetuids(raw.subnets);
    if (!plain) {
      builder.addSnapshot(this.snapshot(raw, line));
      return;
    }
    const h = this.head(raw, line);
    const rows = h.subnets;
    const mark = builder.markRows();
    const row = this.scratch;
    try {
      for (let j = 0; j < rows.length; j++) builder.addRow(this.subnetRow(rows[j], line, j, row));
    } catch (err) {
      builder.dropRowsSince(mark);
      throw err;
    }
    builder.closeSnapshot(h.block, h.timeMs, h.time, h.rootStake, h.taoWeight, h.blockEmission, mark);
    this.accept(h.block, line, h.timeMs);
  }

  /**
   * Checks one raw subnet object into `row` (reused from row to row: no object per row, and
   * the field names in messages are only built for an error).
   */
  private subnetRow(raw: unknown, line: number, j: number, row: RowRecord): RowRecord {
    if (!isObject(raw)) throw inputError(this.file, line, `subnets[${j}]`, 'expected a subnet object with netuid, tao_in and alpha_in');
    const netuid = raw.netuid;
    if (typeof netuid !== 'number' || !Number.isInteger(netuid) || netuid < 0 || netuid > 65535) {
      throw inputError(this.file, line, `subnets[${j}].netuid`, `must be an integer 0..65535, got ${JSON.stringify(netuid)}`);
    }
    row.reset(netuid);
    if (raw.tao_in === undefined || raw.tao_in === null) throw inputError(this.file, line, fieldOf(j, netuid, 'tao_in'), 'missing: the pool TAO reserve is required');
    if (raw.alpha_in === undefined || raw.alpha_in === null) throw inputError(this.file, line, fieldOf(j, netuid, 'alpha_in'), 'missing: the pool alpha reserve is required');
    row.taoIn = this.amountRao(raw.tao_in, line, j, netuid, 'tao_in', row);
    row.alphaIn = this.amountRao(raw.alpha_in, line, j, netuid, 'alpha_in', row);
    // Known keys are counted as they are read; only a row with more keys than that is
    // scanned for unknown ones (cheap in the common case of a clean file).
    let known = 3;
    if (raw.alpha_out !== undefined) { known++; row.alphaOut = this.amountRao(raw.alpha_out, line, j, netuid, 'alpha_out', row); }
    if (raw.moving_price !== undefined) { known++; row.movingPrice = this.number(raw.moving_price, line, j, netuid, 'moving_price'); }
    if (raw.root_prop !== undefined) { known++; row.rootProp = this.fraction(raw.root_prop, line, j, netuid, 'root_prop'); }
    if (raw.tao_in_emission !== undefined) { known++; row.taoInEmission = this.amountRao(raw.tao_in_emission, line, j, netuid, 'tao_in_emission', row); }
    if (raw.alpha_in_emission !== undefined) { known++; row.alphaInEmission = this.amountRao(raw.alpha_in_emission, line, j, netuid, 'alpha_in_emission', row); }
    if (raw.alpha_out_emission !== undefined) { known++; row.alphaOutEmission = this.amountRao(raw.alpha_out_emission, line, j, netuid, 'alpha_out_emission', row); }
    if (raw.excess_tao !== undefined) { known++; row.excessTao = this.amountRao(raw.excess_tao, line, j, netuid, 'excess_tao', row); }
    if (raw.fee_rate !== undefined) { known++; row.feeRate = this.int(raw.fee_rate, line, j, netuid, 'fee_rate', 0, 65535); }
    if (raw.tempo !== undefined) { known++; row.tempo = this.int(raw.tempo, line, j, netuid, 'tempo', 1, 1_000_000); }
    if (raw.emission_enabled !== undefined) {
      known++;
      if (typeof raw.emission_enabled !== 'boolean') throw inputError(this.file, line, fieldOf(j, netuid, 'emission_enabled'), `must be true or false, got ${JSON.stringify(raw.emission_enabled)}`);
      row.enabled = raw.emission_enabled ? 1 : 0;
    }
    if (raw.name !== undefined) {
      known++;
      if (typeof raw.name !== 'string') throw inputError(this.file, line, fieldOf(j, netuid, 'name'), 'must be a string');
      row.name = raw.name;
    }
    if (raw.quote_weight !== undefined) {
      known++;
      const w = this.number(raw.quote_weight, line, j, netuid, 'quote_weight');
      if (!(w > 0 && w < 1)) throw inputError(this.file, line, fieldOf(j, netuid, 'quote_weight'), `must be strictly between 0 and 1, got ${w}`);
      row.quoteWeight = w;
    }
    if (raw.price !== undefined) known++;
    if (keyCount(raw) > known) for (const k of Object.keys(raw)) if (!SUBNET_KEYS.has(k)) this.noteUnknown(`subnets[].${k}`);
    if (raw.price !== undefined) {
      const p = this.number(raw.price, line, j, netuid, 'price');
      const c = row.curvePrice();
      if (c > 0 && p > 0) {
        const ratio = p / c;
        if (ratio > PRICE_ERROR_FACTOR || ratio < 1 / PRICE_ERROR_FACTOR) {
          throw inputError(this.file, line, fieldOf(j, netuid, 'price'), `${raw.price} disagrees with the reserves (curve price ${c.toPrecision(6)}, ${ratio.toFixed(2)}x); fix the row, or drop "price" to use the pool curve`);
        }
        if (Math.abs(ratio - 1) > PRICE_WARN_FRACTION) {
          if (this.priceWarnCount === 0) this.priceWarnExample = `line ${line}, netuid ${netuid}: price ${raw.price} vs curve ${c.toPrecision(6)}`;
          this.priceWarnCount++;
        }
      } else if (p === 0 && c > 0) {
        throw inputError(this.file, line, fieldOf(j, netuid, 'price'), 'is 0 but the pool has reserves; drop "price" to use the pool curve');
      }
      row.price = p;
      row.priceGiven = true;
    }
    return row;
  }

  /** A snapshot-level amount, exact. */
  private amount(v: unknown, line: number, field: string): bigint {
    const rao = this.rao(v, line, field);
    return rao >= 0 ? BigInt(rao) : parseAmount(v as string | number);
  }

  /** A subnet amount in rao as an exact double; 2^53 rao or more goes into `row.big`. */
  private amountRao(v: unknown, line: number, j: number, netuid: number, key: AmountKey, row: RowRecord): number {
    if (typeof v === 'string') {
      // The common case, inline: no field name is built unless the amount is wrong.
      try {
        const rao = parseAmountRao(v);
        if (rao >= 0) return rao;
      } catch (e) {
        if (!(e instanceof AmountFormatError)) throw e;
        return this.rao(v, line, fieldOf(j, netuid, key));
      }
    } else {
      const rao = this.rao(v, line, fieldOf(j, netuid, key));
      if (rao >= 0) return rao;
    }
    (row.big ??= {})[key] = parseAmount(v as string | number);
    return BIG;
  }

  private rao(v: unknown, line: number, field: string): number {
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw inputError(this.file, line, field, `expected a decimal amount in whole TAO/alpha (e.g. "12.5"), got ${JSON.stringify(v)}`);
    }
    try {
      return parseAmountRao(v);
    } catch (e) {
      if (e instanceof AmountFormatError) {
        const hint = /negative/.test(e.message) ? 'amounts must be >= 0' : 'write a plain decimal with at most 9 decimals, e.g. "1234.000000001"';
        throw inputError(this.file, line, field, `${e.message} (${hint})`);
      }
      throw e;
    }
  }

  /** `j` < 0 names a snapshot-level field. */
  private number(v: unknown, line: number, j: number, netuid: number, key: string): number {
    let x: number;
    if (typeof v === 'number') x = v;
    else if (typeof v === 'string' && looksDecimal(v)) x = Number(v);
    else throw inputError(this.file, line, j < 0 ? key : fieldOf(j, netuid, key), `expected a number, got ${JSON.stringify(v)}`);
    if (!Number.isFinite(x) || x < 0) throw inputError(this.file, line, j < 0 ? key : fieldOf(j, netuid, key), `must be a finite number >= 0, got ${JSON.stringify(v)}`);
    return x;
  }

  private fraction(v: unknown, line: number, j: number, netuid: number, key: string): number {
    const x = this.number(v, line, j, netuid, key);
    if (x > 1) throw inputError(this.file, line, j < 0 ? key : fieldOf(j, netuid, key), `must be a fraction between 0 and 1, got ${JSON.stringify(v)}`);
    return x;
  }

  private int(v: unknown, line: number, j: number, netuid: number, key: string, min: number, max: number): number {
    const x = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
      throw inputError(this.file, line, fieldOf(j, netuid, key), `must be an integer ${min}..${max}, got ${JSON.stringify(v)}`);
    }
    return x;
  }

  private noteUnknown(key: string): void {
    this.unknownKeys.set(key, (this.unknownKeys.get(key) ?? 0) + 1);
  }

  /** What this validator counted and where its accepted snapshots start and end. */
  tally(): ValidatorTally {
    return {
      unknownKeys: [...this.unknownKeys], priceWarnCount: this.priceWarnCount, priceWarnExample: this.priceWarnExample,
      rootRowCount: this.rootRowCount, timeBackwards: this.timeBackwards,
      span: this.firstLine === 0 ? undefined : {
        firstBlock: this.firstBlock, firstLine: this.firstLine, firstTimeMs: this.firstTimeMs,
        lastBlock: this.prevBlock, lastLine: this.prevLine, lastTimeMs: this.prevTimeMs,
      },
    };
  }

  /** Soft problems found so far, one line each (shown once, not per row). */
  warnings(): string[] {
    return warningsOf(this.file, this.tally());
  }
}

export interface ValidatorTally {
  unknownKeys: [string, number][];
  priceWarnCount: number;
  priceWarnExample: string;
  rootRowCount: number;
  timeBackwards: number;
  span: { firstBlock: number; firstLine: number; firstTimeMs: number; lastBlock: number; lastLine: number; lastTimeMs: number } | undefined;
}

/** The error of a block that does not follow the previous one. */
export function blockOrderError(file: string, line: number, block: number, prevBlock: number, prevLine: number): Error {
  return inputError(file, line, 'block', `${block} is not greater than the previous block ${prevBlock} (line ${prevLine}); blocks must strictly increase: sort the file by block and drop repeated blocks`);
}

/**
 * The tallies of consecutive parts of one file as one (the file read in pieces): counts add
 * up, the first example stays first, a clock going back at a seam counts too.
 */
export function mergeTallies(a: ValidatorTally, b: ValidatorTally): ValidatorTally {
  const keys = new Map(a.unknownKeys);
  for (const [k, n] of b.unknownKeys) keys.set(k, (keys.get(k) ?? 0) + n);
  const seam = a.span && b.span && b.span.firstTimeMs < a.span.lastTimeMs ? 1 : 0;
  return {
    unknownKeys: [...keys], priceWarnCount: a.priceWarnCount + b.priceWarnCount,
    priceWarnExample: a.priceWarnCount > 0 ? a.priceWarnExample : b.priceWarnExample,
    rootRowCount: a.rootRowCount + b.rootRowCount, timeBackwards: a.timeBackwards + b.timeBackwards + seam,
    span: a.span && b.span ? { ...a.span, lastBlock: b.span.lastBlock, lastLine: b.span.lastLine, lastTimeMs: b.span.lastTimeMs } : (a.span ?? b.span),
  };
}

export function warningsOf(file: string, t: ValidatorTally): string[] {
  const out: string[] = [];
  for (const [k, n] of t.unknownKeys) out.push(`${file}: unknown key "${k}" ignored (${n} time${n === 1 ? '' : 's'})`);
  if (t.priceWarnCount > 0) {
    out.push(`${file}: ${t.priceWarnCount} subnet row(s) report a price more than ${PRICE_WARN_FRACTION * 100}% away from their reserves (first: ${t.priceWarnExample}); fills use the reserves`);
  }
  if (t.rootRowCount > 0) out.push(`${file}: ${t.rootRowCount} netuid-0 (root) row(s) read as root_stake, not as a pool`);
  if (t.timeBackwards > 0) out.push(`${file}: time goes backwards ${t.timeBackwards} time(s) while blocks increase; block numbers are used for ordering`);
  return out;
}

/**
 * Cheap screen for decimal text before Number(): it must start with a digit, "-" or "." and
 * end with a digit or "."; Number() then rejects the rest (it returns NaN), except hex,
 * binary and octal literals, which "0x"/"0b"/"0o" give away.
 */
function looksDecimal(v: string): boolean {
  const n = v.length;
  if (n === 0) return false;
  const a = v.charCodeAt(0);
  const z = v.charCodeAt(n - 1);
  if (!(isDigit(a) || a === 45 || a === 46) || !(isDigit(z) || z === 46)) return false;
  if (n > 1 && a === 48) {
    const b = v.charCodeAt(1) | 32;
    if (b === 120 || b === 98 || b === 111) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Rows are objects with integer netuids above 0 in strictly ascending order. */
function ascendingNetuids(rows: unknown[]): boolean {
  let prev = 0;
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j];
    const n = r !== null && typeof r === 'object' ? (r as { netuid?: unknown }).netuid : undefined;
    if (typeof n !== 'number' || !(n > prev)) return false;
    prev = n;
  }
  return true;
}

/** Number of own enumerable keys, without allocating an array. */
function keyCount(o: Record<string, unknown>): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
