/**
 * Per-row yield rates of a dataset, resolved once and shared by every run over it (the
 * strategy, the benchmarks, every sweep combination). Computed lazily, one snapshot at a time,
 * from the same rules as `core/yield.ts` (`resolveYieldInto`, the core of `resolveYield`).
 *
 * Rates are observations (emission per epoch, stake totals) and are kept as doubles in base
 * units; what a position earns is floored to the rao when credited, and balances stay exact.
 */
import type { Dataset } from '../data/dataset.ts';
import { MISSING } from '../data/dataset.ts';
import { ASSUMPTION_KEYS, describeAssumption, resolveYieldInto, type Assumption, type ResolvedYield, type YieldAssumptions } from '../core/yield.ts';
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
  /** Assumptions made for missing inputs, flagged by ASSUMPTION_KEYS index. */
  private readonly assumedFlags = new Uint8Array(ASSUMPTION_KEYS.length);
  private readonly scratch: ResolvedYield = { alphaPerBlock: 0, rootProp: 0, stakedAlpha: 0, rootStake: 0, tempo: 0, validatorPerEpoch: 0, rootPerEpoch: 0 };

  /** Assumptions made so far for missing inputs. */
  get assumptions(): Assumption[] {
    return ASSUMPTION_KEYS.filter((_, k) => this.assumedFlags[k]);
  }

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
    // Root dividends accrue only while the sum of EMA prices (each capped at 1) over the
    // subnets the chain emits to exceeds 1 (get_network_root_sell_flag); the spot price stands
    // in where no EMA is recorded. Emission-disabled subnets still count: they stay eligible.
    let emaSum = 0;
    for (let r = from; r < to; r++) {
      const ema = Number.isNaN(c.movingPrice[r]!) ? c.price[r]! : c.movingPrice[r]!;
      emaSum += ema > 1 ? 1 : ema;
    }
    const sell = emaSum > 1;
    this.rootSellFlag[i] = sell ? 1 : 0;
    const rootStake = c.rootStake[i] === MISSING ? NaN : Number(c.rootStake[i]!);
    const taoWeight = c.taoWeight[i]!;
    const y = this.scratch;
    for (let r = from; r < to; r++) {
      const ao = c.alphaOut[r]!;
      const aoe = c.alphaOutEmission[r]!;
      resolveYieldInto(
        y, Number(c.alphaIn[r]!), ao === MISSING ? NaN : Number(ao), c.rootProp[r]!, aoe === MISSING ? NaN : Number(aoe), c.tempo[r]!,
        rootStake, taoWeight, this.assume, sell, this.assumedFlags,
      );
      this.valPerEpoch[r] = y.validatorPerEpoch;
      this.rootPerEpoch[r] = y.rootPerEpoch;
      this.staked[r] = y.stakedAlpha;
      this.tempo[r] = y.tempo;
      this.rootStake[i] = y.rootStake;
    }
    if (to === from) this.rootStake[i] = Number.isNaN(rootStake) ? Number(this.assume.rootStake) : rootStake;
    this.done[i] = 1;
  }

  /** Per snapshot i: netuids of i that are dissolved by snapshot i+1 (gone or re-registered). */
  private readonly endingNext: (readonly number[] | undefined)[] = [];

  /**
   * Netuids in snapshot `prev` whose subnet is dissolved by snapshot `now`: absent at `now`
   * or re-registered (`isRegistrationBreak`). Usually empty; computed once per pair for
   * consecutive snapshots and shared by every run.
   */
  endingBetween(prev: number, now: number, isBreak: (prevRow: number, nowRow: number) => boolean): readonly number[] {
    if (now === prev + 1 && this.endingNext[prev]) return this.endingNext[prev]!;
    const d = this.data;
    const c = d.cols;
    const out: number[] = [];
    for (let r = c.rowStart[prev]!; r < c.rowStart[prev + 1]!; r++) {
      const netuid = c.netuid[r]!;
      const nowRow = d.rowOf(now, netuid);
      if (nowRow < 0 || isBreak(r, nowRow)) out.push(netuid);
    }
    if (now === prev + 1) this.endingNext[prev] = out;
    return out;
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
    return this.assumptions.map((k) => describeAssumption(k, this.assume));
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
