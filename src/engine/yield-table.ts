/**
 * Per-row yield rates of a dataset, resolved once and shared by every run over it (the
 * strategy, the benchmarks, every sweep combination). Computed lazily, one snapshot at a time,
 * from the same rules as `core/yield.ts` (`resolveYield`), which the tests hold it to.
 *
 * Rates are observations (emission per epoch, stake totals) and are kept as doubles in base
 * units; what a position earns is floored to the rao when credited, and balances stay exact.
 */
import type { Dataset } from '../data/dataset.ts';
import { MISSING } from '../data/dataset.ts';
import { resolveYield, describeAssumption, type Assumption, type YieldAssumptions } from '../core/yield.ts';
import { epochsBetween } from '../core/emission.ts';

export class YieldTable {
  /** Validator (alpha stakers') and root parts of one epoch's emission, alpha-rao, before take. */
  readonly valPerEpoch: Float64Array;
  readonly rootPerEpoch: Float64Array;
  /** Alpha staked by others on the subnet, alpha-rao. */
  readonly staked: Float64Array;
  readonly tempo: Int32Array;
  /** Epochs of the row's subnet firing between its snapshot and the next one (-1: not yet known). */
  readonly epochsNext: Int32Array;
  /** Per snapshot: TAO on root by others (rao) and the root sell flag. */
  readonly rootStake: Float64Array;
  readonly rootSellFlag: Uint8Array;
  private readonly done: Uint8Array;
  /** Assumptions made for missing inputs, in first-seen order. */
  readonly assumptions = new Set<Assumption>();

  constructor(readonly data: Dataset, readonly assume: YieldAssumptions) {
    const n = data.rowCount;
    this.valPerEpoch = new Float64Array(n);
    this.rootPerEpoch = new Float64Array(n);
    this.staked = new Float64Array(n);
    this.tempo = new Int32Array(n);
    this.epochsNext = new Int32Array(n).fill(-1);
    this.rootStake = new Float64Array(data.snapshotCount);
    this.rootSellFlag = new Uint8Array(data.snapshotCount);
    this.done = new Uint8Array(data.snapshotCount);
  }

  /** Makes sure snapshot i's rows are resolved. */
  ensure(i: number): void {
    if (this.done[i]) return;
    const c = this.data.cols;
    const from = c.rowStart[i]!;
    const to = c.rowStart[i + 1]!;
    // Root dividends accrue only while the sum of EMA prices (each capped at 1) exceeds 1
    // (get_network_root_sell_flag); the spot price stands in where no EMA is recorded.
    let emaSum = 0;
    for (let r = from; r < to; r++) {
      const ema = Number.isNaN(c.movingPrice[r]!) ? c.price[r]! : c.movingPrice[r]!;
      if (c.emissionEnabled[r] !== 0) emaSum += ema > 1 ? 1 : ema;
    }
    const sell = emaSum > 1;
    this.rootSellFlag[i] = sell ? 1 : 0;
    const g = {
      rootStake: c.rootStake[i] === MISSING ? undefined : c.rootStake[i]!,
      taoWeight: Number.isNaN(c.taoWeight[i]!) ? undefined : c.taoWeight[i]!,
    };
    const note = (k: Assumption) => this.assumptions.add(k);
    for (let r = from; r < to; r++) {
      const y = resolveYield(
        {
          netuid: c.netuid[r]!,
          alphaIn: c.alphaIn[r]!,
          alphaOut: c.alphaOut[r] === MISSING ? undefined : c.alphaOut[r]!,
          rootProp: Number.isNaN(c.rootProp[r]!) ? undefined : c.rootProp[r]!,
          alphaOutEmission: c.alphaOutEmission[r] === MISSING ? undefined : c.alphaOutEmission[r]!,
          tempo: c.tempo[r]! >= 0 ? c.tempo[r]! : undefined,
        },
        g,
        this.assume,
        sell,
        note,
      );
      this.valPerEpoch[r] = y.validatorPerEpoch;
      this.rootPerEpoch[r] = y.rootPerEpoch;
      this.staked[r] = y.stakedAlpha;
      this.tempo[r] = y.tempo;
      this.rootStake[i] = y.rootStake;
    }
    if (to === from) this.rootStake[i] = Number(g.rootStake ?? this.assume.rootStake);
    this.done[i] = 1;
  }

  /** Epochs firing for the row's subnet in (block(i), block(j)], computed once per row. */
  epochs(i: number, j: number, r: number): number {
    if (j === i + 1) {
      const known = this.epochsNext[r]!;
      if (known >= 0) return known;
      const c = this.data.cols;
      const e = epochsBetween(c.block[i]!, c.block[j]!, c.netuid[r]!, this.tempo[r]!);
      this.epochsNext[r] = e;
      return e;
    }
    const c = this.data.cols;
    return epochsBetween(c.block[i]!, c.block[j]!, c.netuid[r]!, this.tempo[r]!);
  }

  /** Human notes on every assumption made so far. */
  notes(): string[] {
    return [...this.assumptions].map((k) => describeAssumption(k, this.assume));
  }
}

const cache = new WeakMap<Dataset, Map<string, YieldTable>>();

/** The shared table for a dataset and set of assumptions. */
export function yieldTableFor(data: Dataset, assume: YieldAssumptions): YieldTable {
  let m = cache.get(data);
  if (!m) {
    m = new Map();
    cache.set(data, m);
  }
  const key = `${assume.rootStake}|${assume.rootProp}|${assume.taoWeight}|${assume.tempo}`;
  let t = m.get(key);
  if (!t) {
    t = new YieldTable(data, assume);
    m.set(key, t);
  }
  return t;
}
