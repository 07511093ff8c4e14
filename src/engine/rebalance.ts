/**
 * From target weights to orders. Values are marked at spot; positions within `band` of their
 * target (a fraction of the portfolio's value) are left alone, so small drifts cost nothing.
 *
 * Two phases, because a buy can only spend what the sells actually returned:
 *  1. sells: subnets over their target are sold down (a subnet dropped from the targets is
 *     sold in full); where another subnet needs buying, the sale is a cross-subnet move, which
 *     pays one swap fee instead of two; root over target is unstaked.
 *  2. buys, after phase 1 has executed: what the plan still needs, less what moves delivered,
 *     scaled down to the free TAO there is (keeping the free share the targets leave).
 * Both phases work from one valuation taken at the start, so a rebalance never sells and
 * re-buys the same thing because its own trades moved the marks.
 */
import type { Portfolio } from '../core/portfolio.ts';
import { alphaValueAtSpotF } from '../core/valuation.ts';
import type { LimitSpec, Order, Targets } from '../strategy/types.ts';
import type { MarketView } from './market.ts';
import { OrderError } from './executor.ts';

const RAO = 1e9;

export interface Bucket {
  netuid: number;
  current: number;
  target: number;
}

/** Validates targets against the snapshot; returns netuid -> weight with root as 0. */
export function normaliseTargets(t: Targets, market: MarketView): Map<number, number> {
  const out = new Map<number, number>();
  let sum = 0;
  const add = (netuid: number, w: number) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new OrderError(`target weight for ${netuid === 0 ? 'root' : `netuid ${netuid}`} must be a number >= 0, got ${String(w)}`);
    if (w === 0) return;
    out.set(netuid, w);
    sum += w;
  };
  if (t.root !== undefined) add(0, t.root);
  for (const [k, w] of Object.entries(t.subnets ?? {})) {
    const netuid = Number(k);
    if (!Number.isInteger(netuid) || netuid <= 0) throw new OrderError(`target netuid must be a positive integer, got ${k} (use "root" for netuid 0)`);
    if (w > 0 && market.row(netuid) < 0) throw new OrderError(`target netuid ${netuid} is not in this snapshot`);
    add(netuid, w);
  }
  if (sum > 1 + 1e-9) throw new OrderError(`target weights add up to ${sum.toFixed(6)}, more than 1`);
  return out;
}

function spotValue(market: MarketView, netuid: number, alpha: bigint): number {
  const r = market.row(netuid);
  if (r < 0) return 0;
  market.reservesF(netuid, r);
  const y = market.fy;
  const x = market.fx;
  const w = market.data.cols.quoteWeight[r]!;
  return alphaValueAtSpotF(y, x, Number(alpha) / RAO, Number.isNaN(w) ? 0.5 : w);
}

export function portfolioSpotValue(p: Portfolio, market: MarketView): number {
  let v = Number(p.free + p.root) / RAO;
  for (const n of p.heldNetuids()) v += spotValue(market, n, p.alphaOf(n));
  return v;
}

export interface RebalancePlan {
  /** Phase 1 orders: unstakes, moves, a root unstake. */
  sells: Order[];
  /** TAO each under-target bucket (netuid; 0 = root) still needs, planned at the start. */
  needs: Map<number, number>;
  /** TAO the targets leave free. */
  keepFree: number;
  /** Band in TAO: a need left after the moves that is this small is left alone. */
  tol: number;
  limit?: LimitSpec;
}

/**
 * Plans a rebalance from one valuation of the portfolio at the start, so the two phases never
 * undo each other: phase 2 only buys what phase 1 planned and its moves did not deliver.
 */
export function planRebalance(p: Portfolio, market: MarketView, targets: Map<number, number>, band: number, minStake: bigint, limit?: LimitSpec): RebalancePlan {
  const equity = portfolioSpotValue(p, market);
  let weightSum = 0;
  for (const w of targets.values()) weightSum += w;
  const tol = band * Math.max(0, equity);
  const plan: RebalancePlan = { sells: [], needs: new Map(), keepFree: Math.max(0, 1 - weightSum) * Math.max(0, equity), tol, limit };
  if (!(equity > 0)) return plan;
  const minStakeTao = Number(minStake) / RAO;
  const sells: { netuid: number; alpha: bigint | 'all'; value: number }[] = [];
  for (const netuid of p.heldNetuids()) {
    const held = p.alphaOf(netuid);
    const cur = spotValue(market, netuid, held);
    const want = (targets.get(netuid) ?? 0) * equity;
    if (want === 0) {
      sells.push({ netuid, alpha: 'all', value: cur });
    } else if (cur - want > tol) {
      const excess = cur - want;
      // Leaving less than the minimum stake behind is not allowed: sell it all then.
      if (cur - excess < minStakeTao) sells.push({ netuid, alpha: 'all', value: cur });
      else sells.push({ netuid, alpha: BigInt(Math.floor((Number(held) * excess) / cur)), value: excess });
    }
  }
  const buys: { netuid: number; value: number }[] = [];
  for (const [netuid, w] of targets) {
    const cur = netuid === 0 ? Number(p.root) / RAO : spotValue(market, netuid, p.alphaOf(netuid));
    const need = w * equity - cur;
    if (need > tol && need >= minStakeTao) {
      plan.needs.set(netuid, need);
      if (netuid !== 0) buys.push({ netuid, value: need });
    }
  }
  sells.sort((a, b) => b.value - a.value || a.netuid - b.netuid);
  buys.sort((a, b) => b.value - a.value || a.netuid - b.netuid);

  // Pair sells with subnet buys as moves: one swap fee per pair instead of two.
  for (const s of sells) {
    let remainingValue = s.value;
    const heldAlpha = p.alphaOf(s.netuid);
    let remainingAlpha = s.alpha === 'all' ? heldAlpha : s.alpha;
    for (const b of buys) {
      if (b.value < minStakeTao || remainingValue < minStakeTao) continue;
      const v = Math.min(remainingValue, b.value);
      const last = v >= remainingValue - 1e-12;
      const alpha = last ? remainingAlpha : BigInt(Math.floor((Number(remainingAlpha) * v) / remainingValue));
      if (alpha <= 0n) continue;
      plan.sells.push({ type: 'move', from: s.netuid, to: b.netuid, alpha: last && s.alpha === 'all' && remainingAlpha === heldAlpha ? 'all' : alpha, limit });
      remainingAlpha -= alpha;
      remainingValue -= v;
      b.value -= v;
    }
    if (remainingAlpha > 0n && remainingValue > 0) {
      plan.sells.push({ type: 'unstake', netuid: s.netuid, alpha: s.alpha === 'all' && remainingAlpha === heldAlpha ? 'all' : remainingAlpha, limit });
    }
  }
  const rootWant = (targets.get(0) ?? 0) * equity;
  const rootCur = Number(p.root) / RAO;
  if (rootCur - rootWant > tol) {
    plan.sells.push({ type: 'unstake', netuid: 0, alpha: rootWant === 0 ? 'all' : BigInt(Math.floor((rootCur - rootWant) * RAO)) });
  }
  return plan;
}

/**
 * Phase 2, after the sells executed: buy what is still needed. TAO a move already delivered
 * to a subnet counts against its need; the rest is scaled down to the free TAO available
 * beyond the share the targets keep free.
 */
export function planBuys(plan: RebalancePlan, p: Portfolio, delivered: Map<number, bigint>, minStake: bigint, txFee: bigint): Order[] {
  const wants: { netuid: number; value: number }[] = [];
  for (const [netuid, need] of plan.needs) {
    const got = delivered.get(netuid);
    const left = need - Number(got ?? 0n) / RAO;
    if (got !== undefined && left <= plan.tol) continue;
    if (left >= Number(minStake) / RAO) wants.push({ netuid, value: left });
  }
  if (wants.length === 0) return [];
  const budget = Number(p.free - txFee * BigInt(wants.length)) / RAO - plan.keepFree;
  const total = wants.reduce((s, w) => s + w.value, 0);
  const scale = budget <= 0 ? 0 : Math.min(1, budget / total);
  const freeRao = p.free - txFee * BigInt(wants.length);
  const orders: Order[] = [];
  let spent = 0n;
  wants.sort((a, b) => a.netuid - b.netuid);
  for (const w of wants) {
    let tao = BigInt(Math.floor(w.value * scale * RAO));
    if (spent + tao > freeRao) tao = freeRao - spent;
    if (tao < minStake) continue;
    spent += tao;
    orders.push(w.netuid === 0 ? { type: 'stake', netuid: 0, tao } : { type: 'stake', netuid: w.netuid, tao, limit: plan.limit });
  }
  return orders;
}
