/**
 * What is in a snapshot file, and can it be trusted? Works on the columnar Dataset (typed
 * arrays, one pass per check), so it stays fast on files of millions of rows.
 *
 * Facts: blocks and time covered, snapshot count and cadence, subnets per snapshot, subnets
 * appearing, disappearing and changing name, which optional fields are present and how often.
 * Checks (each passes or fails; `--strict` turns a failure into a non-zero exit):
 *  - gaps:  intervals between consecutive snapshots longer than a threshold (default three
 *           times the median interval, so hourly and daily files both work);
 *  - price: rows whose given price is further than a tolerance from the price of their own
 *           reserves (the pool curve in src/core);
 *  - jumps: tao_in or alpha_in changing by more than a fraction between consecutive
 *           snapshots that are not separated by a gap (across a gap large moves are normal);
 *  - clock: intervals whose seconds per block are implausible (block and time disagree).
 */
import { BLOCK_SECONDS, curvePrice } from '../core/snapshot.ts';
import { MISSING, type Dataset } from '../data/dataset.ts';
import { SNAPSHOT_FIELDS, SUBNET_FIELDS } from '../data/fields.ts';

export interface InspectOptions {
  /** Gap threshold in seconds; undefined means `gapFactor` times the median interval. */
  maxGapSeconds?: number;
  gapFactor?: number;
  /** Allowed relative difference between a row's price and its reserves' price (0.01 = 1%). */
  priceTolerance?: number;
  /** Largest relative change of tao_in or alpha_in between consecutive snapshots (0.5 = 50%). */
  maxJump?: number;
  /** Seconds per block outside [min, max] fails the clock check. */
  secondsPerBlockRange?: [number, number];
  /** How many findings each list keeps (counts are always complete). */
  top?: number;
}

export const INSPECT_DEFAULTS = {
  gapFactor: 3,
  priceTolerance: 0.01,
  maxJump: 0.5,
  secondsPerBlockRange: [BLOCK_SECONDS / 2, BLOCK_SECONDS * 2] as [number, number],
  top: 10,
};

export interface GapFinding {
  fromBlock: number;
  toBlock: number;
  fromTime: string;
  toTime: string;
  seconds: number;
  blocks: number;
}

export interface PriceFinding {
  netuid: number;
  block: number;
  price: number;
  reservesPrice: number;
  /** price / reservesPrice */
  ratio: number;
}

export interface JumpFinding {
  netuid: number;
  block: number;
  previousBlock: number;
  seconds: number;
  /** Relative changes (0.5 = +50%). */
  taoInChange: number;
  alphaInChange: number;
  /** The subnet's name changed at this snapshot too (a re-registration, most likely). */
  renamed?: { from: string; to: string };
}

export interface ClockFinding {
  fromBlock: number;
  toBlock: number;
  seconds: number;
  blocks: number;
  secondsPerBlock: number;
}

interface CheckBase<F> {
  ok: boolean;
  /** How many findings there are in all (the list keeps the first `top`). */
  count: number;
  findings: F[];
}

export interface InspectReport {
  source: string;
  header: Record<string, unknown> | null;
  snapshots: number;
  rows: number;
  blocks: { first: number; last: number; span: number };
  time: { first: string; last: string; spanSeconds: number };
  cadence: {
    intervals: number;
    medianSeconds: number | null;
    medianBlocks: number | null;
    minSeconds: number | null;
    maxSeconds: number | null;
    /** Over the whole file: (last time - first time) / (last block - first block). */
    secondsPerBlock: number | null;
  };
  subnets: {
    perSnapshotMin: number;
    perSnapshotMax: number;
    distinct: number;
    /** Netuids present in every snapshot. */
    inEverySnapshot: number;
    appearedCount: number;
    appeared: { netuid: number; block: number; time: string }[];
    disappearedCount: number;
    disappeared: { netuid: number; block: number; time: string; lastSeenBlock: number }[];
  };
  renames: { netuidCount: number; changeCount: number; netuids: { netuid: number; changes: { block: number; from: string; to: string }[] }[] };
  fields: {
    required: string[];
    /** Every optional field with how many snapshots (snapshot fields) or rows (subnet fields) have it. */
    optional: { field: string; level: 'snapshot' | 'subnet'; count: number; coverage: number }[];
  };
  checks: {
    gaps: CheckBase<GapFinding> & { thresholdSeconds: number | null; auto: boolean };
    price: CheckBase<PriceFinding> & { tolerance: number; rowsWithPrice: number; minRatio: number | null; maxRatio: number | null };
    jumps: CheckBase<JumpFinding> & { maxJump: number };
    clock: CheckBase<ClockFinding> & { secondsPerBlockRange: [number, number] };
  };
  /** Soft problems the reader met (unknown keys, rows read as root), one line each. */
  warnings: string[];
  ok: boolean;
}

export function inspectDataset(ds: Dataset, opts: InspectOptions = {}): InspectReport {
  const top = opts.top ?? INSPECT_DEFAULTS.top;
  const c = ds.cols;
  const n = ds.snapshotCount;
  const t = ds.meta.timeText;

  const cadence = cadenceOf(ds);
  const auto = opts.maxGapSeconds === undefined;
  const gapThreshold = auto ? (cadence.medianSeconds === null ? null : cadence.medianSeconds * (opts.gapFactor ?? INSPECT_DEFAULTS.gapFactor)) : opts.maxGapSeconds!;
  const isGap = (i: number) => gapThreshold !== null && (c.timeMs[i]! - c.timeMs[i - 1]!) / 1000 > gapThreshold;

  // Gaps
  const gaps: GapFinding[] = [];
  for (let i = 1; i < n; i++) {
    if (!isGap(i)) continue;
    gaps.push({
      fromBlock: c.block[i - 1]!, toBlock: c.block[i]!, fromTime: t[i - 1]!, toTime: t[i]!,
      seconds: (c.timeMs[i]! - c.timeMs[i - 1]!) / 1000, blocks: c.block[i]! - c.block[i - 1]!,
    });
  }
  gaps.sort((a, b) => b.seconds - a.seconds || a.fromBlock - b.fromBlock);

  // Clock
  const [spbMin, spbMax] = opts.secondsPerBlockRange ?? INSPECT_DEFAULTS.secondsPerBlockRange;
  const clock: ClockFinding[] = [];
  for (let i = 1; i < n; i++) {
    const seconds = (c.timeMs[i]! - c.timeMs[i - 1]!) / 1000;
    const blocks = c.block[i]! - c.block[i - 1]!;
    const spb = seconds / blocks;
    if (!(spb >= spbMin && spb <= spbMax)) clock.push({ fromBlock: c.block[i - 1]!, toBlock: c.block[i]!, seconds, blocks, secondsPerBlock: spb });
  }

  // Price vs reserves
  const tol = opts.priceTolerance ?? INSPECT_DEFAULTS.priceTolerance;
  const prices: PriceFinding[] = [];
  let rowsWithPrice = 0;
  let minRatio = Infinity;
  let maxRatio = -Infinity;
  for (let i = 0; i < n; i++) {
    for (let r = c.rowStart[i]!; r < c.rowStart[i + 1]!; r++) {
      if (!c.priceGiven[r]) continue;
      const qw = c.quoteWeight[r]!;
      const reserves = curvePrice({ taoIn: c.taoIn[r]!, alphaIn: c.alphaIn[r]!, quoteWeight: Number.isNaN(qw) ? undefined : qw });
      if (!(reserves > 0)) continue;
      rowsWithPrice++;
      const ratio = c.price[r]! / reserves;
      if (ratio < minRatio) minRatio = ratio;
      if (ratio > maxRatio) maxRatio = ratio;
      if (Math.abs(ratio - 1) > tol) prices.push({ netuid: c.netuid[r]!, block: c.block[i]!, price: c.price[r]!, reservesPrice: reserves, ratio });
    }
  }
  prices.sort((a, b) => Math.abs(b.ratio - 1) - Math.abs(a.ratio - 1) || a.block - b.block || a.netuid - b.netuid);

  // Subnet presence, names and jumps, walking consecutive snapshots (rows sorted by netuid).
  const maxJump = opts.maxJump ?? INSPECT_DEFAULTS.maxJump;
  const jumps: JumpFinding[] = [];
  const firstSeen = new Int32Array(65536).fill(-1);
  const lastSeen = new Int32Array(65536).fill(-1);
  const seenCount = new Int32Array(65536);
  const lastName = new Int32Array(65536).fill(-1);
  const renames = new Map<number, { block: number; from: string; to: string }[]>();
  const appeared: InspectReport['subnets']['appeared'] = [];
  const disappeared: InspectReport['subnets']['disappeared'] = [];
  let appearedCount = 0;
  let disappearedCount = 0;
  let perMin = Infinity;
  let perMax = 0;
  for (let i = 0; i < n; i++) {
    const a = c.rowStart[i]!;
    const b = c.rowStart[i + 1]!;
    perMin = Math.min(perMin, b - a);
    perMax = Math.max(perMax, b - a);
    const renamedHere = new Map<number, { from: string; to: string }>();
    for (let r = a; r < b; r++) {
      const nu = c.netuid[r]!;
      if (firstSeen[nu] === -1) firstSeen[nu] = i;
      lastSeen[nu] = i;
      seenCount[nu]!++;
      const id = c.nameId[r]!;
      if (id >= 0) {
        const prev = lastName[nu]!;
        if (prev >= 0 && prev !== id) {
          const change = { from: ds.meta.names[prev]!, to: ds.meta.names[id]! };
          renamedHere.set(nu, change);
          const list = renames.get(nu) ?? [];
          list.push({ block: c.block[i]!, ...change });
          renames.set(nu, list);
        }
        lastName[nu] = id;
      }
    }
    if (i === 0) continue;
    // Merge-walk the previous snapshot's rows against this one's.
    let p = c.rowStart[i - 1]!;
    const pe = a;
    let r = a;
    const gap = isGap(i);
    const seconds = (c.timeMs[i]! - c.timeMs[i - 1]!) / 1000;
    while (p < pe || r < b) {
      const pn = p < pe ? c.netuid[p]! : Infinity;
      const rn = r < b ? c.netuid[r]! : Infinity;
      if (pn === rn) {
        if (!gap) {
          const dt = relChange(c.taoInTao[p]!, c.taoInTao[r]!);
          const da = relChange(c.alphaInTao[p]!, c.alphaInTao[r]!);
          if (Math.abs(dt) > maxJump || Math.abs(da) > maxJump) {
            const f: JumpFinding = { netuid: rn, block: c.block[i]!, previousBlock: c.block[i - 1]!, seconds, taoInChange: dt, alphaInChange: da };
            const rn2 = renamedHere.get(rn);
            if (rn2) f.renamed = rn2;
            jumps.push(f);
          }
        }
        p++;
        r++;
      } else if (rn < pn) {
        appearedCount++;
        if (appeared.length < top) appeared.push({ netuid: rn, block: c.block[i]!, time: t[i]! });
        r++;
      } else {
        disappearedCount++;
        if (disappeared.length < top) disappeared.push({ netuid: pn, block: c.block[i]!, time: t[i]!, lastSeenBlock: c.block[i - 1]! });
        p++;
      }
    }
  }
  jumps.sort((x, y) => jumpSize(y) - jumpSize(x) || x.block - y.block || x.netuid - y.netuid);
  let distinct = 0;
  let inEvery = 0;
  for (let nu = 0; nu < 65536; nu++) {
    if (firstSeen[nu] === -1) continue;
    distinct++;
    if (seenCount[nu] === n) inEvery++;
  }

  const renameList = [...renames].sort((x, y) => x[0] - y[0]).map(([netuid, changes]) => ({ netuid, changes }));
  const checks: InspectReport['checks'] = {
    gaps: { ok: gaps.length === 0, count: gaps.length, findings: gaps.slice(0, top), thresholdSeconds: gapThreshold, auto },
    price: {
      ok: prices.length === 0, count: prices.length, findings: prices.slice(0, top), tolerance: tol, rowsWithPrice,
      minRatio: rowsWithPrice ? minRatio : null, maxRatio: rowsWithPrice ? maxRatio : null,
    },
    jumps: { ok: jumps.length === 0, count: jumps.length, findings: jumps.slice(0, top), maxJump },
    clock: { ok: clock.length === 0, count: clock.length, findings: clock.slice(0, top), secondsPerBlockRange: [spbMin, spbMax] },
  };
  return {
    source: ds.source,
    header: ds.meta.header ?? null,
    snapshots: n,
    rows: ds.rowCount,
    blocks: { first: c.block[0]!, last: c.block[n - 1]!, span: c.block[n - 1]! - c.block[0]! },
    time: { first: t[0]!, last: t[n - 1]!, spanSeconds: (c.timeMs[n - 1]! - c.timeMs[0]!) / 1000 },
    cadence,
    subnets: {
      perSnapshotMin: perMin, perSnapshotMax: perMax, distinct, inEverySnapshot: inEvery,
      appearedCount, appeared, disappearedCount, disappeared,
    },
    renames: { netuidCount: renameList.length, changeCount: renameList.reduce((s, x) => s + x.changes.length, 0), netuids: renameList.slice(0, top) },
    fields: fieldCoverage(ds),
    checks,
    warnings: [...ds.meta.warnings],
    ok: checks.gaps.ok && checks.price.ok && checks.jumps.ok && checks.clock.ok,
  };
}

function relChange(before: number, after: number): number {
  if (before === 0) return after === 0 ? 0 : Infinity;
  return after / before - 1;
}

function jumpSize(j: JumpFinding): number {
  return Math.max(Math.abs(j.taoInChange), Math.abs(j.alphaInChange));
}

function median(sorted: Float64Array): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

function cadenceOf(ds: Dataset): InspectReport['cadence'] {
  const c = ds.cols;
  const n = ds.snapshotCount;
  if (n < 2) return { intervals: 0, medianSeconds: null, medianBlocks: null, minSeconds: null, maxSeconds: null, secondsPerBlock: null };
  const secs = new Float64Array(n - 1);
  const blocks = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) {
    secs[i - 1] = (c.timeMs[i]! - c.timeMs[i - 1]!) / 1000;
    blocks[i - 1] = c.block[i]! - c.block[i - 1]!;
  }
  secs.sort();
  blocks.sort();
  return {
    intervals: n - 1,
    medianSeconds: median(secs),
    medianBlocks: median(blocks),
    minSeconds: secs[0]!,
    maxSeconds: secs[n - 2]!,
    secondsPerBlock: (c.timeMs[n - 1]! - c.timeMs[0]!) / 1000 / (c.block[n - 1]! - c.block[0]!),
  };
}

/** How many snapshots or rows carry each optional field (0 = absent). */
function fieldCoverage(ds: Dataset): InspectReport['fields'] {
  const c = ds.cols;
  const n = ds.snapshotCount;
  const rows = ds.rowCount;
  const countBig = (col: BigInt64Array) => { let k = 0; for (let i = 0; i < col.length; i++) if (col[i] !== MISSING) k++; return k; };
  const countNum = (col: Float64Array) => { let k = 0; for (let i = 0; i < col.length; i++) if (!Number.isNaN(col[i]!)) k++; return k; };
  const countInt = (col: Int32Array | Int8Array) => { let k = 0; for (let i = 0; i < col.length; i++) if (col[i]! >= 0) k++; return k; };
  const countU8 = (col: Uint8Array) => { let k = 0; for (let i = 0; i < col.length; i++) if (col[i]) k++; return k; };
  const counts: Record<string, number> = {
    root_stake: countBig(c.rootStake), tao_weight: countNum(c.taoWeight), block_emission: countBig(c.blockEmission),
    alpha_out: countBig(c.alphaOut), price: countU8(c.priceGiven), moving_price: countNum(c.movingPrice), root_prop: countNum(c.rootProp),
    tao_in_emission: countBig(c.taoInEmission), alpha_in_emission: countBig(c.alphaInEmission), alpha_out_emission: countBig(c.alphaOutEmission),
    excess_tao: countBig(c.excessTao), fee_rate: countInt(c.feeRate), tempo: countInt(c.tempo), emission_enabled: countInt(c.emissionEnabled),
    name: countInt(c.nameId), quote_weight: countNum(c.quoteWeight),
  };
  const optional: InspectReport['fields']['optional'] = [];
  for (const f of SNAPSHOT_FIELDS) if (!f.required) optional.push({ field: f.key, level: 'snapshot', count: counts[f.key] ?? 0, coverage: n ? (counts[f.key] ?? 0) / n : 0 });
  for (const f of SUBNET_FIELDS) if (!f.required) optional.push({ field: f.key, level: 'subnet', count: counts[f.key] ?? 0, coverage: rows ? (counts[f.key] ?? 0) / rows : 0 });
  return { required: [...SNAPSHOT_FIELDS, ...SUBNET_FIELDS].filter((f) => f.required).map((f) => f.key), optional };
}
