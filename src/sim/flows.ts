/**
 * Other people's trades, once per flow tick (every `flowIntervalBlocks` blocks) on each subnet
 * that has started, all through core's pool and stake operations (fees, minimums, guards):
 *
 * 1. Root stakers' auto-claims, at the rate at which claims come round: the `rootClaimSwap`
 *    share is sold fee-free (RootClaimType Swap, the chain's default) and the TAO added to root
 *    stake; the rest is kept as alpha stake on the subnet (RootClaimType Keep).
 * 2. Miners sell their waiting incentive, a fixed fraction per tick (a half-life).
 * 3. Stakers' net flow: TAO in or out, as a fraction of the pool's TAO:
 *      (drift + momentum·tanh(ln(spot / reference) / 0.2))·dt + volatility·√dt·Z + jump
 *    The trend term saturates, so trend following adds at most `momentum` per day and cannot
 *    feed on itself without bound.
 *    with Z and the jump drawn from the counter-based generator keyed by (seed, subnet serial,
 *    tick), so the same tick gets the same draw however the blocks are walked. Sellers cannot
 *    sell more than they hold, nor the long-term holders' part of it (`stakerFloor`).
 *
 * How much a simulated trader trades is decided in floating point (it is behaviour, not a
 * balance); the decided amount is then an exact integer, and every amount that moves goes
 * through core's stake operations, so the books stay exact.
 */
import { constantProduct } from '../core/pool/index.ts';
import { buyAlpha, sellAlpha } from '../core/stake.ts';
import { BLOCKS_PER_DAY } from '../core/snapshot.ts';
import { Purpose, normal, uniform } from './rng.ts';
import type { Ledger, SubnetSim } from './state.ts';
import type { SwapObserver } from './swap-log.ts';

/** Claims below RootClaimableThreshold (0.0005 alpha) are skipped. */
export const ROOT_CLAIM_THRESHOLD = 500_000n;
/** No single tick's flow exceeds this fraction of the pool's TAO. */
const MAX_FLOW_FRACTION = 0.5;
/** Price deviation from the traders' reference at which trend following is about 3/4 on. */
const TREND_SCALE = 0.2;

export interface TickContext {
  seed: number;
  /** Global tick number: block-independent key of this tick's draws. */
  tick: number;
  intervalBlocks: number;
  rootClaimBlocks: number;
  /** Share of claimed root dividends sold for root stake (the rest is kept as alpha). */
  rootClaimSwap: number;
  ledger: Ledger;
  /** Receives the TAO of root-claim sales (it becomes root stake). */
  addRootStake: (tao: bigint) => void;
  block: number;
  observe?: SwapObserver;
}

function pool(s: SubnetSim) {
  return { taoIn: s.taoIn, alphaIn: s.alphaIn, feeRate: s.feeRate };
}

function spot(s: SubnetSim): number {
  return constantProduct.spotPrice(pool(s));
}

/** Sells `amount` of a holder's alpha; returns the alpha actually taken (0 if the chain would refuse). */
function sellFrom(s: SubnetSim, kind: 'unstake' | 'miner-sell' | 'root-claim', amount: bigint, holderBalance: bigint, ctx: TickContext): { alpha: bigint; tao: bigint } {
  if (amount <= 0n) return { alpha: 0n, tao: 0n };
  const ledger = ctx.ledger;
  const r = sellAlpha(constantProduct, pool(s), amount, { dropFee: kind === 'root-claim', remaining: holderBalance - amount });
  if (r.status === 'rejected') return { alpha: 0n, tao: 0n };
  ctx.observe?.({ kind, netuid: s.netuid, block: ctx.block, sell: r });
  s.taoIn = r.after.taoIn;
  s.alphaIn = r.after.alphaIn;
  s.alphaOut -= r.alphaSpent;
  ledger.authorTaoFromSells += r.authorTao;
  return { alpha: r.alphaSpent, tao: r.taoOut };
}

export function runFlowTick(s: SubnetSim, ctx: TickContext): void {
  const h = s.holdings;
  const dt = ctx.intervalBlocks / BLOCKS_PER_DAY;

  // 1. Root dividend claims, sold fee-free into the pool; the TAO joins root stake.
  if (h.rootClaimable > 0n) {
    const share = ctx.intervalBlocks >= ctx.rootClaimBlocks ? h.rootClaimable : (h.rootClaimable * BigInt(ctx.intervalBlocks)) / BigInt(ctx.rootClaimBlocks);
    if (share >= ROOT_CLAIM_THRESHOLD) {
      const kept = share - BigInt(Math.floor(Number(share) * ctx.rootClaimSwap));
      h.rootClaimable -= kept;
      h.staker += kept;
      const sold = sellFrom(s, 'root-claim', share - kept, h.rootClaimable, ctx);
      h.rootClaimable -= sold.alpha;
      ctx.ledger.rootClaimTao += sold.tao;
      ctx.addRootStake(sold.tao);
    }
  }

  // 2. Miners selling their incentive.
  if (h.miner > 0n) {
    const fraction = 1 - Math.pow(0.5, ctx.intervalBlocks / s.plan.minerSellHalflifeBlocks);
    const amount = BigInt(Math.floor(Number(h.miner) * fraction));
    const sold = sellFrom(s, 'miner-sell', amount, h.miner, ctx);
    h.miner -= sold.alpha;
    ctx.ledger.unstakeTaoOut += sold.tao;
  }

  // 3. Stakers' net flow.
  const f = s.flows;
  const p = spot(s);
  const trend = p > 0 && s.traderRef > 0 ? Math.tanh(Math.log(p / s.traderRef) / TREND_SCALE) : 0;
  let fraction = (f.drift + f.momentum * trend) * dt + f.volatility * Math.sqrt(dt) * normal(ctx.seed, s.serial, Purpose.flowNoise, ctx.tick);
  if (f.jumpRate > 0 && uniform(ctx.seed, s.serial, Purpose.jumpChance, ctx.tick) < f.jumpRate * dt) {
    fraction += f.jumpSize * normal(ctx.seed, s.serial, Purpose.jumpSize, ctx.tick);
  }
  fraction = Math.max(-MAX_FLOW_FRACTION, Math.min(MAX_FLOW_FRACTION, fraction));
  const taoFlow = Number(s.taoIn) * fraction;
  if (taoFlow >= 1) {
    const r = buyAlpha(constantProduct, pool(s), BigInt(Math.floor(taoFlow)));
    if (r.status !== 'rejected') {
      ctx.observe?.({ kind: 'stake', netuid: s.netuid, block: ctx.block, buy: r });
      s.taoIn = r.after.taoIn;
      s.alphaIn = r.after.alphaIn;
      s.alphaOut += r.alphaOut;
      h.staker += r.alphaOut;
      ctx.ledger.stakeTaoGross += r.taoSpent;
      ctx.ledger.stakeFeeTao += r.fee;
    }
  } else if (taoFlow <= -1 && p > 0) {
    // Stakers sell what they hold above the long-term holders' part (see SubnetSim.stakerFloor).
    let alpha = BigInt(Math.floor(-taoFlow / p));
    const sellable = h.staker > s.stakerFloor ? h.staker - s.stakerFloor : 0n;
    if (alpha > sellable) alpha = sellable;
    const sold = sellFrom(s, 'unstake', alpha, h.staker, ctx);
    h.staker -= sold.alpha;
    ctx.ledger.unstakeTaoOut += sold.tao;
  }

  // Traders' reference price follows spot (in log terms) with a time constant of momentumDays.
  const after = spot(s);
  if (after > 0) {
    if (!(s.traderRef > 0)) s.traderRef = after;
    else s.traderRef *= Math.pow(after / s.traderRef, 1 - Math.exp(-dt / f.momentumDays));
  }
}
