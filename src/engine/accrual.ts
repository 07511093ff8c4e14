/**
 * Yield accrual between two steps. Positions are constant between steps (trades happen only
 * at steps), so what they earn over the blocks (prev, now] follows from the epochs that fire
 * in that range and the rates known at the previous step (never later data).
 *
 * Alpha dividends compound epoch by epoch into the position. Root dividends accrue as
 * claimable alpha per subnet and are claimed every `claimEveryBlocks`: sold fee-free through
 * the pool into root stake (`swap`, the chain default) or kept as alpha stake (`keep`).
 * A subnet that disappears while held is treated as deregistered: its pool TAO is paid out
 * pro rata to alpha (mechanics §2.11).
 */
import { alphaEpochReward, rootEpochReward } from '../core/yield.ts';
import { sellAlpha } from '../core/stake.ts';
import type { Portfolio } from '../core/portfolio.ts';
import type { MarketView } from './market.ts';
import type { ModelConfig } from './model.ts';
import type { YieldTable } from './yield-table.ts';
import type { Fill } from './fill.ts';
import type { Dataset } from '../data/dataset.ts';

/** Root claims below this many alpha-rao are left for later (RootClaimableThreshold). */
const CLAIM_THRESHOLD = 500_000n;

export interface AccrualContext {
  portfolio: Portfolio;
  market: MarketView;
  model: ModelConfig;
  table: YieldTable;
  takeU16: number;
  step: number;
  time: string;
}

/** Credits the yield of snapshot `prev`'s positions over blocks (block(prev), block(now)]. */
export function accrue(ctx: AccrualContext, prev: number, now: number): void {
  const { portfolio: p, market: m, table: t } = ctx;
  const c = m.data.cols;
  const b0 = c.block[prev]!;
  const b1 = c.block[now]!;
  if (b1 <= b0) return;
  t.ensure(prev);

  // Alpha positions: epoch by epoch, compounding.
  if (p.alpha.size > 0) {
    // TAO value of what was credited, summed for the step and floored once (a report total).
    let valued = 0;
    const held = p.heldNetuids();
    for (let k = 0; k < held.length; k++) {
      const netuid = held[k]!;
      const r = m.data.rowOf(prev, netuid);
      if (r < 0) continue; // bought at this step's snapshot only; nothing earned yet
      const epochs = t.epochs(prev, now, r);
      if (epochs === 0) continue;
      let alpha = p.alphaOf(netuid);
      let earned = 0n;
      for (let e = 0; e < epochs; e++) {
        const reward = alphaEpochReward(t.valPerEpoch[r]!, t.staked[r]!, alpha, ctx.takeU16);
        alpha += reward;
        earned += reward;
      }
      if (earned > 0n) {
        p.addAlpha(netuid, earned);
        p.alphaEarned.set(netuid, (p.alphaEarned.get(netuid) ?? 0n) + earned);
        valued += Number(earned) * c.price[r]!;
      }
    }
    if (valued > 0) p.totals.yieldAlpha += BigInt(Math.floor(valued));
  }

  // Root: claimable alpha per subnet.
  if (p.root > 0n) {
    const rootStake = t.rootStake[prev]!;
    for (let r = c.rowStart[prev]!; r < c.rowStart[prev + 1]!; r++) {
      const per = t.rootPerEpoch[r]!;
      if (!(per > 0)) continue;
      const epochs = t.epochs(prev, now, r);
      if (epochs === 0) continue;
      const netuid = c.netuid[r]!;
      const reward = rootEpochReward(per, rootStake, p.root, ctx.takeU16, epochs);
      if (reward > 0n) p.claimable.set(netuid, (p.claimable.get(netuid) ?? 0n) + reward);
    }
  }
}

/**
 * Claims root dividends if the claim interval has passed. One claim covers every subnet with
 * enough accrued; it is recorded as one fill whose output is the TAO added to root (`swap`)
 * or 0 when the alpha is kept as stake (`keep`).
 */
export function claimRootDividends(ctx: AccrualContext, force = false): Fill[] {
  const p = ctx.portfolio;
  const m = ctx.market;
  if (p.claimable.size === 0) return [];
  if (p.lastClaimBlock < 0) p.lastClaimBlock = m.block;
  if (!force && m.block - p.lastClaimBlock < ctx.model.claimEveryBlocks) return [];
  p.lastClaimBlock = m.block;
  const keep = ctx.model.rootClaim === 'keep';
  let tao = 0n;
  let subnets = 0;
  for (const netuid of [...p.claimable.keys()].sort((a, b) => a - b)) {
    const alpha = p.claimable.get(netuid)!;
    if (alpha < CLAIM_THRESHOLD) continue;
    const pool = m.pool(netuid);
    if (!pool) continue; // subnet gone from the data: the claim waits (and is lost if it never returns)
    if (keep) {
      p.addAlpha(netuid, alpha);
      p.alphaEarned.set(netuid, (p.alphaEarned.get(netuid) ?? 0n) + alpha);
      p.totals.yieldRoot += BigInt(Math.floor(Number(alpha) * m.curve.spotPrice(pool)));
    } else {
      const r = sellAlpha(m.curve, pool, alpha, { dropFee: true, minStake: 0n });
      if (r.status === 'rejected') continue;
      m.applyTrade(netuid, r.before, r.after);
      p.root += r.taoOut;
      p.totals.yieldRoot += r.taoOut;
      tao += r.taoOut;
    }
    p.claimable.delete(netuid);
    subnets++;
  }
  if (subnets === 0) return [];
  return [{
    step: ctx.step, block: m.block, time: ctx.time, type: 'claim', status: 'filled',
    reason: keep ? `root dividends of ${subnets} subnet(s) kept as alpha stake` : `root dividends of ${subnets} subnet(s) sold fee-free into root stake`,
    input: 0n, inputToken: 'alpha', output: tao, outputToken: 'tao', fee: 0n, feeToken: 'alpha', feeTao: 0n, slippageTao: 0n, txFee: 0n,
    spotBefore: NaN, spotAfter: NaN,
  }];
}

/**
 * Whether the subnet at `nowRow` is a new registration on the netuid of `prevRow` (the old
 * one was dissolved in between). A living subnet's alpha issuance (alpha_in + alpha_out) never
 * halves between snapshots, while a new one starts near zero:
 *  - with alpha_out on both rows: issuance fell below half;
 *  - else with root_prop on both: issuance is proportional to (1 - rp) / rp at a given root
 *    stake, so the same test on that ratio;
 *  - else (reserves only): the name changed and both reserves fell by more than 75%.
 */
export function isReRegistration(data: Dataset, prevRow: number, nowRow: number): boolean {
  const c = data.cols;
  const aoP = c.alphaOut[prevRow]!;
  const aoN = c.alphaOut[nowRow]!;
  if (aoP >= 0n && aoN >= 0n) return (c.alphaIn[nowRow]! + aoN) * 2n < c.alphaIn[prevRow]! + aoP;
  const rpP = c.rootProp[prevRow]!;
  const rpN = c.rootProp[nowRow]!;
  if (rpP > 0 && rpP < 1 && rpN > 0 && rpN <= 1) return (1 - rpN) / rpN < (0.5 * (1 - rpP)) / rpP;
  const renamed = c.nameId[prevRow]! >= 0 && c.nameId[nowRow]! >= 0 && c.nameId[prevRow] !== c.nameId[nowRow];
  return renamed && c.taoIn[nowRow]! * 4n < c.taoIn[prevRow]! && c.alphaIn[nowRow]! * 4n < c.alphaIn[prevRow]!;
}

/**
 * Pays out positions on subnets that were dissolved between snapshot `prev` and `now`: gone
 * from the data, or replaced by a new registration on the same netuid (`isReRegistration`).
 * The old pool's TAO is shared pro rata over all staked alpha, ours included (mechanics
 * §2.11), valued at the last snapshot that had it; our price impact on it is forgotten.
 */
export function settleDeregistrations(ctx: AccrualContext, prev: number, now: number): Fill[] {
  const p = ctx.portfolio;
  const m = ctx.market;
  if (prev < 0 || (p.alpha.size === 0 && p.claimable.size === 0)) return [];
  const data = m.data;
  const ending = ctx.table.endingBetween(prev, now, (a, b) => isReRegistration(data, a, b));
  if (ending.length === 0) return [];
  const fills: Fill[] = [];
  for (const netuid of ending) {
    // Root dividends accrued on a dissolved subnet are lost with it.
    p.claimable.delete(netuid);
    const alpha = p.alphaOf(netuid);
    if (alpha === 0n) continue;
    const r = data.rowOf(prev, netuid);
    ctx.table.ensure(prev);
    const pot = m.poolAtRow(netuid, r).taoIn;
    const staked = BigInt(Math.floor(ctx.table.staked[r]!));
    const payout = (pot * alpha) / (staked + alpha);
    p.addAlpha(netuid, -alpha);
    p.free += payout;
    p.totals.deregistrationPayouts += payout;
    m.forget(netuid);
    fills.push({
      step: ctx.step, block: m.block, time: ctx.time, type: 'deregister', netuid, status: 'filled',
      reason: data.rowOf(now, netuid) < 0 ? 'subnet left the data (deregistered): pool TAO paid out pro rata' : 'netuid re-registered to a new subnet: the old pool TAO paid out pro rata',
      input: alpha, inputToken: 'alpha', output: payout, outputToken: 'tao', fee: 0n, feeToken: 'alpha', feeTao: 0n, slippageTao: 0n, txFee: 0n,
      spotBefore: NaN, spotAfter: NaN,
    });
  }
  return fills;
}
