/**
 * Turns one raw record (a parsed JSON line, or the rows of one block in the CSV form) into a
 * checked Snapshot, or throws a UserError naming file, line and field and saying how to fix
 * it. Keeps the state that spans records: the previous block, unknown keys already warned
 * about, counts of soft problems.
 */
import { AmountFormatError, parseAmount } from '../core/units.ts';
import { SNAPSHOT_FORMAT, curvePrice, type Snapshot, type SubnetState } from '../core/snapshot.ts';
import { inputError } from '../core/errors.ts';
import { SNAPSHOT_FIELDS, SUBNET_FIELDS } from './fields.ts';

/** A price further than this factor from the reserves' curve price is an error. */
export const PRICE_ERROR_FACTOR = 1.5;
/** A price more than this fraction off the curve price is counted and reported once. */
export const PRICE_WARN_FRACTION = 0.05;

const SNAPSHOT_KEYS = new Set([...SNAPSHOT_FIELDS.map((f) => f.key), 'subnets']);
const SUBNET_KEYS = new Set(SUBNET_FIELDS.map((f) => f.key));

export class SnapshotValidator {
  private prevBlock = -Infinity;
  private prevLine = 0;
  private readonly unknownKeys = new Map<string, number>();
  private priceWarnCount = 0;
  private priceWarnExample = '';
  private rootRowCount = 0;
  private timeBackwards = 0;
  private prevTimeMs = -Infinity;

  constructor(private readonly file: string) {}

  /** Checks a header object (first line of a file). */
  header(raw: unknown, line: number): Record<string, unknown> {
    if (!isObject(raw)) throw inputError(this.file, line, undefined, 'the header must be a JSON object');
    if (raw.format !== SNAPSHOT_FORMAT) {
      throw inputError(this.file, line, 'format', `unsupported format ${JSON.stringify(raw.format)}; this reader understands "${SNAPSHOT_FORMAT}"`);
    }
    return raw;
  }

  /** `subnetLines` gives each subnet its own line number (the CSV form has one row per subnet). */
  snapshot(raw: unknown, line: number, subnetLines?: number[]): Snapshot {
    if (!isObject(raw)) throw inputError(this.file, line, undefined, 'expected a JSON object with "block", "time" and "subnets"');
    for (const k of Object.keys(raw)) if (!SNAPSHOT_KEYS.has(k)) this.noteUnknown(k);
    const block = raw.block;
    if (block === undefined) throw inputError(this.file, line, 'block', 'missing (every snapshot needs its block number)');
    if (typeof block !== 'number' || !Number.isSafeInteger(block) || block < 0) {
      throw inputError(this.file, line, 'block', `must be a non-negative integer, got ${JSON.stringify(block)}`);
    }
    if (block <= this.prevBlock) {
      throw inputError(this.file, line, 'block', `${block} is not greater than the previous block ${this.prevBlock} (line ${this.prevLine}); blocks must strictly increase: sort the file by block and drop repeated blocks`);
    }
    const time = raw.time;
    if (typeof time !== 'string') throw inputError(this.file, line, 'time', 'missing or not a string (ISO-8601 UTC, e.g. "2026-08-01T00:00:00Z")');
    const timeMs = Date.parse(time);
    if (Number.isNaN(timeMs)) throw inputError(this.file, line, 'time', `${JSON.stringify(time)} is not an ISO-8601 time (e.g. "2026-08-01T00:00:00Z")`);
    if (timeMs < this.prevTimeMs) this.timeBackwards++;
    const subnetsRaw = raw.subnets;
    if (!Array.isArray(subnetsRaw)) throw inputError(this.file, line, 'subnets', 'missing or not an array of subnet objects');

    const snap: Snapshot = { block, time, subnets: [] };
    if (raw.root_stake !== undefined) snap.rootStake = this.amount(raw.root_stake, line, 'root_stake');
    if (raw.tao_weight !== undefined) snap.taoWeight = this.fraction(raw.tao_weight, line, 'tao_weight');
    if (raw.block_emission !== undefined) snap.blockEmission = this.amount(raw.block_emission, line, 'block_emission');

    const subnets = snap.subnets;
    let sorted = true;
    for (let j = 0; j < subnetsRaw.length; j++) {
      const s = this.subnet(subnetsRaw[j], subnetLines?.[j] ?? line, j);
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
    this.prevBlock = block;
    this.prevLine = line;
    this.prevTimeMs = timeMs;
    return snap;
  }

  private subnet(raw: unknown, line: number, j: number): SubnetState {
    const at = `subnets[${j}]`;
    if (!isObject(raw)) throw inputError(this.file, line, at, 'expected a subnet object with netuid, tao_in and alpha_in');
    const netuid = raw.netuid;
    if (typeof netuid !== 'number' || !Number.isInteger(netuid) || netuid < 0 || netuid > 65535) {
      throw inputError(this.file, line, `${at}.netuid`, `must be an integer 0..65535, got ${JSON.stringify(netuid)}`);
    }
    const f = `${at} (netuid ${netuid})`;
    if (raw.tao_in === undefined || raw.tao_in === null) throw inputError(this.file, line, `${f}.tao_in`, 'missing: the pool TAO reserve is required');
    if (raw.alpha_in === undefined || raw.alpha_in === null) throw inputError(this.file, line, `${f}.alpha_in`, 'missing: the pool alpha reserve is required');
    const s: SubnetState = {
      netuid,
      taoIn: this.amount(raw.tao_in, line, `${f}.tao_in`),
      alphaIn: this.amount(raw.alpha_in, line, `${f}.alpha_in`),
    };
    // Known keys are counted as they are read; only a row with more keys than that is
    // scanned for unknown ones (cheap in the common case of a clean file).
    let known = 3;
    if (raw.alpha_out !== undefined) { known++; s.alphaOut = this.amount(raw.alpha_out, line, `${f}.alpha_out`); }
    if (raw.moving_price !== undefined) { known++; s.movingPrice = this.number(raw.moving_price, line, `${f}.moving_price`); }
    if (raw.root_prop !== undefined) { known++; s.rootProp = this.fraction(raw.root_prop, line, `${f}.root_prop`); }
    if (raw.tao_in_emission !== undefined) { known++; s.taoInEmission = this.amount(raw.tao_in_emission, line, `${f}.tao_in_emission`); }
    if (raw.alpha_in_emission !== undefined) { known++; s.alphaInEmission = this.amount(raw.alpha_in_emission, line, `${f}.alpha_in_emission`); }
    if (raw.alpha_out_emission !== undefined) { known++; s.alphaOutEmission = this.amount(raw.alpha_out_emission, line, `${f}.alpha_out_emission`); }
    if (raw.excess_tao !== undefined) { known++; s.excessTao = this.amount(raw.excess_tao, line, `${f}.excess_tao`); }
    if (raw.fee_rate !== undefined) { known++; s.feeRate = this.int(raw.fee_rate, line, `${f}.fee_rate`, 0, 65535); }
    if (raw.tempo !== undefined) { known++; s.tempo = this.int(raw.tempo, line, `${f}.tempo`, 1, 1_000_000); }
    if (raw.emission_enabled !== undefined) {
      known++;
      if (typeof raw.emission_enabled !== 'boolean') throw inputError(this.file, line, `${f}.emission_enabled`, `must be true or false, got ${JSON.stringify(raw.emission_enabled)}`);
      s.emissionEnabled = raw.emission_enabled;
    }
    if (raw.name !== undefined) {
      known++;
      if (typeof raw.name !== 'string') throw inputError(this.file, line, `${f}.name`, 'must be a string');
      s.name = raw.name;
    }
    if (raw.quote_weight !== undefined) {
      known++;
      const w = this.number(raw.quote_weight, line, `${f}.quote_weight`);
      if (!(w > 0 && w < 1)) throw inputError(this.file, line, `${f}.quote_weight`, `must be strictly between 0 and 1, got ${w}`);
      s.quoteWeight = w;
    }
    if (raw.price !== undefined) known++;
    if (keyCount(raw) > known) for (const k of Object.keys(raw)) if (!SUBNET_KEYS.has(k)) this.noteUnknown(`subnets[].${k}`);
    if (raw.price !== undefined) {
      const p = this.number(raw.price, line, `${f}.price`);
      const c = curvePrice(s);
      if (c > 0 && p > 0) {
        const ratio = p / c;
        if (ratio > PRICE_ERROR_FACTOR || ratio < 1 / PRICE_ERROR_FACTOR) {
          throw inputError(this.file, line, `${f}.price`, `${raw.price} disagrees with the reserves (curve price ${c.toPrecision(6)}, ${ratio.toFixed(2)}x); fix the row, or drop "price" to use the pool curve`);
        }
        if (Math.abs(ratio - 1) > PRICE_WARN_FRACTION) {
          if (this.priceWarnCount === 0) this.priceWarnExample = `line ${line}, netuid ${netuid}: price ${raw.price} vs curve ${c.toPrecision(6)}`;
          this.priceWarnCount++;
        }
      } else if (p === 0 && c > 0) {
        throw inputError(this.file, line, `${f}.price`, 'is 0 but the pool has reserves; drop "price" to use the pool curve');
      }
      s.price = p;
    }
    return s;
  }

  private amount(v: unknown, line: number, field: string): bigint {
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw inputError(this.file, line, field, `expected a decimal amount in whole TAO/alpha (e.g. "12.5"), got ${JSON.stringify(v)}`);
    }
    try {
      return parseAmount(v);
    } catch (e) {
      if (e instanceof AmountFormatError) {
        const hint = /negative/.test(e.message) ? 'amounts must be >= 0' : 'write a plain decimal with at most 9 decimals, e.g. "1234.000000001"';
        throw inputError(this.file, line, field, `${e.message} (${hint})`);
      }
      throw e;
    }
  }

  private number(v: unknown, line: number, field: string): number {
    let x: number;
    if (typeof v === 'number') x = v;
    else if (typeof v === 'string' && looksDecimal(v)) x = Number(v);
    else throw inputError(this.file, line, field, `expected a number, got ${JSON.stringify(v)}`);
    if (!Number.isFinite(x) || x < 0) throw inputError(this.file, line, field, `must be a finite number >= 0, got ${JSON.stringify(v)}`);
    return x;
  }

  private fraction(v: unknown, line: number, field: string): number {
    const x = this.number(v, line, field);
    if (x > 1) throw inputError(this.file, line, field, `must be a fraction between 0 and 1, got ${JSON.stringify(v)}`);
    return x;
  }

  private int(v: unknown, line: number, field: string, min: number, max: number): number {
    const x = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
      throw inputError(this.file, line, field, `must be an integer ${min}..${max}, got ${JSON.stringify(v)}`);
    }
    return x;
  }

  private noteUnknown(key: string): void {
    this.unknownKeys.set(key, (this.unknownKeys.get(key) ?? 0) + 1);
  }

  /** Soft problems found so far, one line each (shown once, not per row). */
  warnings(): string[] {
    const out: string[] = [];
    for (const [k, n] of this.unknownKeys) out.push(`${this.file}: unknown key "${k}" ignored (${n} time${n === 1 ? '' : 's'})`);
    if (this.priceWarnCount > 0) {
      out.push(`${this.file}: ${this.priceWarnCount} subnet row(s) report a price more than ${PRICE_WARN_FRACTION * 100}% away from their reserves (first: ${this.priceWarnExample}); fills use the reserves`);
    }
    if (this.rootRowCount > 0) out.push(`${this.file}: ${this.rootRowCount} netuid-0 (root) row(s) read as root_stake, not as a pool`);
    if (this.timeBackwards > 0) out.push(`${this.file}: time goes backwards ${this.timeBackwards} time(s) while blocks increase; block numbers are used for ordering`);
    return out;
  }
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

/** A plain decimal number text: digits with an optional point and exponent ("0.5", "1e-7"). */
export function isDecimalText(v: string): boolean {
  const n = v.length;
  let i = 0;
  let digits = 0;
  if (i < n && v.charCodeAt(i) === 45) i++;
  while (i < n && isDigit(v.charCodeAt(i))) { i++; digits++; }
  if (i < n && v.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(v.charCodeAt(i))) { i++; digits++; }
  }
  if (digits === 0) return false;
  if (i < n && (v.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < n && (v.charCodeAt(i) === 43 || v.charCodeAt(i) === 45)) i++;
    const start = i;
    while (i < n && isDigit(v.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  return i === n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
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

