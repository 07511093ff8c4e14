/**
 * The market as the executor trades against it: the current snapshot's pools plus the
 * impact of our own trades. With `persistent` impact (the default) our cumulative net flow
 * into each pool stays there at later snapshots, since nothing pulls a subnet's price back
 * after we moved it; with `transient` impact it vanishes at the next snapshot.
 */
import type { Dataset } from '../data/dataset.ts';
import type { PoolCurve } from '../core/pool/types.ts';
import { MIN_RESERVE, type PoolSide } from '../core/stake.ts';
import { DEFAULT_FEE_RATE } from '../core/snapshot.ts';

export type ImpactMode = 'persistent' | 'transient';

const MIN_RESERVE_F = Number(MIN_RESERVE) / 1e9;

interface Flow {
  /** TAO we put into the pool, net (negative when we took TAO out), rao. */
  tao: bigint;
  /** Alpha we took out of the pool, net. */
  alpha: bigint;
  /** The same in whole TAO/alpha as doubles, for marks (kept in step with the exact values). */
  taoF: number;
  alphaF: number;
}

/**
 * Our flow per subnet: looked up for every position at every step, so by index into a dense
 * array rather than through a hash map; the netuids with a flow are kept for iteration.
 */
class FlowBook {
  private readonly byNetuid: (Flow | undefined)[] = [];
  private readonly keys = new Set<number>();
  get size(): number {
    return this.keys.size;
  }
  get(netuid: number): Flow | undefined {
    return this.byNetuid[netuid];
  }
  has(netuid: number): boolean {
    return this.byNetuid[netuid] !== undefined;
  }
  set(netuid: number, f: Flow): void {
    this.byNetuid[netuid] = f;
    this.keys.add(netuid);
  }
  delete(netuid: number): void {
    this.byNetuid[netuid] = undefined;
    this.keys.delete(netuid);
  }
  clear(): void {
    for (const k of this.keys) this.byNetuid[k] = undefined;
    this.keys.clear();
  }
  /** Entries in netuid order. */
  entries(): [number, Flow][] {
    return [...this.keys].sort((a, b) => a - b).map((k) => [k, this.byNetuid[k]!]);
  }
}

export class MarketView {
  index = -1;
  private readonly flows = new FlowBook();
  /** Subnets whose reserves our flow would have pushed below the minimum; clamped. */
  readonly clamped = new Set<number>();

  constructor(readonly data: Dataset, readonly curve: PoolCurve, readonly impact: ImpactMode, readonly defaultFeeRate = DEFAULT_FEE_RATE) {}

  moveTo(i: number): void {
    this.index = i;
    if (this.impact === 'transient') this.flows.clear();
  }

  get block(): number {
    return this.data.cols.block[this.index]!;
  }

  get timeMs(): number {
    return this.data.cols.timeMs[this.index]!;
  }

  row(netuid: number): number {
    return this.data.rowOf(this.index, netuid);
  }

  /** Effective pool of a subnet now, or undefined if the subnet is not in this snapshot. */
  pool(netuid: number): PoolSide | undefined {
    const r = this.row(netuid);
    if (r < 0) return undefined;
    return this.poolAtRow(netuid, r);
  }

  poolAtRow(netuid: number, r: number): PoolSide {
    const c = this.data.cols;
    let taoIn = c.taoIn[r]!;
    let alphaIn = c.alphaIn[r]!;
    const f = this.flows.get(netuid);
    if (f) {
      taoIn += f.tao;
      alphaIn -= f.alpha;
      if (taoIn < MIN_RESERVE || alphaIn < MIN_RESERVE) {
        this.clamped.add(netuid);
        if (taoIn < MIN_RESERVE) taoIn = MIN_RESERVE;
        if (alphaIn < MIN_RESERVE) alphaIn = MIN_RESERVE;
      }
    }
    const fee = c.feeRate[r]!;
    const w = c.quoteWeight[r]!;
    const pool: PoolSide = { taoIn, alphaIn, feeRate: fee >= 0 ? fee : this.defaultFeeRate };
    return Number.isNaN(w) ? pool : { ...pool, quoteWeight: w };
  }

  /** Records a trade's effect on a pool (before -> after reserves). */
  applyTrade(netuid: number, before: PoolSide, after: PoolSide): void {
    const f = this.flows.get(netuid) ?? { tao: 0n, alpha: 0n, taoF: 0, alphaF: 0 };
    f.tao += after.taoIn - before.taoIn;
    f.alpha += before.alphaIn - after.alphaIn;
    f.taoF = Number(f.tao) / 1e9;
    f.alphaF = Number(f.alpha) / 1e9;
    if (f.tao === 0n && f.alpha === 0n) this.flows.delete(netuid);
    else this.flows.set(netuid, f);
  }

  /** Spot price (TAO per alpha) of the effective pool, float. */
  spot(netuid: number): number {
    const p = this.pool(netuid);
    return p ? this.curve.spotPrice(p) : NaN;
  }

  /** Reserves (whole TAO / alpha, doubles) that `reservesF` last computed. */
  fy = 0;
  fx = 0;

  /**
   * Effective reserves as doubles, for marks and planning, into `fy` (TAO) and `fx` (alpha):
   * no allocation, as this runs for every position at every step. Held at the minimum reserve
   * like `poolAtRow`.
   */
  reservesF(netuid: number, r: number): void {
    const c = this.data.cols;
    const f = this.flows.size === 0 ? undefined : this.flows.get(netuid);
    if (f === undefined) {
      this.fy = c.taoInTao[r]!;
      this.fx = c.alphaInTao[r]!;
      return;
    }
    const y = c.taoInTao[r]! + f.taoF;
    const x = c.alphaInTao[r]! - f.alphaF;
    this.fy = y < MIN_RESERVE_F ? MIN_RESERVE_F : y;
    this.fx = x < MIN_RESERVE_F ? MIN_RESERVE_F : x;
  }

  /** Drops our impact on a subnet (its pool was dissolved; a new one may take the netuid). */
  forget(netuid: number): void {
    this.flows.delete(netuid);
    this.clamped.delete(netuid);
  }

  hasFlow(netuid: number): boolean {
    return this.flows.has(netuid);
  }

  /** Our net flows, for persistence (paper state) and reports. */
  flowsJSON(): Record<string, { tao: string; alpha: string }> {
    const out: Record<string, { tao: string; alpha: string }> = {};
    for (const [k, v] of this.flows.entries()) out[String(k)] = { tao: v.tao.toString(), alpha: v.alpha.toString() };
    return out;
  }

  restoreFlows(j: Record<string, { tao: string; alpha: string }>): void {
    this.flows.clear();
    for (const [k, v] of Object.entries(j)) {
      const tao = BigInt(v.tao);
      const alpha = BigInt(v.alpha);
      this.flows.set(Number(k), { tao, alpha, taoF: Number(tao) / 1e9, alphaF: Number(alpha) / 1e9 });
    }
  }
}
