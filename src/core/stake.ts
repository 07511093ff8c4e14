/**
 * Stake operations through a subnet pool, as the chain runs them (mechanics §1.2–1.4, §3):
 * the swap fee taken from the input at FeeRate/65535 and paid to the block author, the
 * minimum stake, the reserve and input-size guards, and limit prices with `allow_partial`
 * exactly as `add_stake_limit` / `remove_stake_limit` / `swap_stake_limit` behave.
 *
 * Curve-agnostic: the price math is the PoolCurve's. Root (netuid 0) has no pool and is
 * handled 1:1 by the caller.
 */
import type { PoolCurve, PoolReserves } from './pool/types.ts';

export const DEFAULT_MIN_STAKE = 2_000_000n; // 0.002 TAO (DefaultMinStake)
export const MIN_RESERVE = 1_000_000n; // SwapMinimumReserve, base units
export const MAX_INPUT_MULTIPLIER = 1000n; // net input <= 1000 x input reserve
const FEE_DENOMINATOR = 65535n;

export interface PoolSide extends PoolReserves {
  /** Swap fee, u16 over 65535. */
  readonly feeRate: number;
}

export type SwapStatus = 'filled' | 'partial' | 'rejected';

export interface SwapOptions {
  /** Fee-free swap (chain buys, root claim sales, the fee-free leg of a move). */
  dropFee?: boolean;
  /** Limit price in TAO per alpha: a ceiling for buys, a floor for sells. */
  limitPrice?: number;
  /** With a limit: execute the part that fits instead of rejecting the whole order. */
  allowPartial?: boolean;
  /** Minimum stake in rao (default 0.002 TAO). */
  minStake?: bigint;
}

export interface BuyResult {
  status: SwapStatus;
  reason?: string;
  /** Gross TAO taken from the staker (net + fee). */
  taoSpent: bigint;
  fee: bigint;
  netTao: bigint;
  alphaOut: bigint;
  before: PoolSide;
  after: PoolSide;
}

export interface SellResult {
  status: SwapStatus;
  reason?: string;
  /** Gross alpha taken from the position (net + fee). */
  alphaSpent: bigint;
  /** Fee, in alpha (the input token). */
  fee: bigint;
  netAlpha: bigint;
  taoOut: bigint;
  /** TAO the block author gets by selling the fee alpha into the pool (fee-free). */
  authorTao: bigint;
  before: PoolSide;
  after: PoolSide;
}

export function swapFee(amount: bigint, feeRate: number): bigint {
  return (amount * BigInt(feeRate)) / FEE_DENOMINATOR;
}

/** Fee on the executed part when a limit stops a swap early: delta * r / (65535 - r). */
function feeOnExecuted(net: bigint, feeRate: number): bigint {
  const r = BigInt(feeRate);
  return (net * r) / (FEE_DENOMINATOR - r);
}

function rejectedBuy(pool: PoolSide, reason: string): BuyResult {
  return { status: 'rejected', reason, taoSpent: 0n, fee: 0n, netTao: 0n, alphaOut: 0n, before: pool, after: pool };
}

function rejectedSell(pool: PoolSide, reason: string): SellResult {
  return { status: 'rejected', reason, alphaSpent: 0n, fee: 0n, netAlpha: 0n, taoOut: 0n, authorTao: 0n, before: pool, after: pool };
}

/** TAO -> alpha (add_stake / add_stake_limit). */
export function buyAlpha(curve: PoolCurve, pool: PoolSide, taoGross: bigint, opts: SwapOptions = {}): BuyResult {
  const minStake = opts.minStake ?? DEFAULT_MIN_STAKE;
  const rate = opts.dropFee ? 0 : pool.feeRate;
  if (taoGross <= 0n) return rejectedBuy(pool, 'amount must be positive');
  if (!opts.dropFee && taoGross < minStake + swapFee(minStake, rate)) {
    return rejectedBuy(pool, 'amount below the minimum stake');
  }
  if (pool.alphaIn < MIN_RESERVE) return rejectedBuy(pool, 'pool alpha reserve too low (ReservesTooLow)');
  let fee = swapFee(taoGross, rate);
  let net = taoGross - fee;
  let status: SwapStatus = 'filled';
  if (opts.limitPrice !== undefined) {
    const spot = curve.spotPrice(pool);
    if (!(spot < opts.limitPrice)) return rejectedBuy(pool, 'price already at or above the limit');
    const maxNet = curve.taoToReachPrice(pool, opts.limitPrice);
    if (net > maxNet) {
      if (!opts.allowPartial) return rejectedBuy(pool, 'price would pass the limit (SlippageTooHigh)');
      net = maxNet;
      fee = feeOnExecuted(net, rate);
      status = 'partial';
    }
  }
  if (net > MAX_INPUT_MULTIPLIER * pool.taoIn) return rejectedBuy(pool, 'input too large for the pool (SwapInputTooLarge)');
  if (!opts.dropFee && net < minStake) return rejectedBuy(pool, 'executed amount below the minimum stake');
  const alphaOut = curve.alphaOutForTao(pool, net);
  if (alphaOut >= pool.alphaIn) return rejectedBuy(pool, 'not enough alpha in the pool (InsufficientLiquidity)');
  if (alphaOut === 0n) return rejectedBuy(pool, 'amount too small to buy any alpha');
  const after: PoolSide = { ...pool, taoIn: pool.taoIn + net, alphaIn: pool.alphaIn - alphaOut };
  return { status, taoSpent: net + fee, fee, netTao: net, alphaOut, before: pool, after };
}

export interface SellOptions extends SwapOptions {
  /** Alpha left in the position after this sale; a partial exit must still return >= min stake. */
  remaining?: bigint;
}

/** alpha -> TAO (remove_stake / remove_stake_limit). */
export function sellAlpha(curve: PoolCurve, pool: PoolSide, alphaGross: bigint, opts: SellOptions = {}): SellResult {
  const minStake = opts.minStake ?? DEFAULT_MIN_STAKE;
  const rate = opts.dropFee ? 0 : pool.feeRate;
  if (alphaGross <= 0n) return rejectedSell(pool, 'amount must be positive');
  if (pool.taoIn < MIN_RESERVE) return rejectedSell(pool, 'pool TAO reserve too low (ReservesTooLow)');
  let fee = swapFee(alphaGross, rate);
  let net = alphaGross - fee;
  let status: SwapStatus = 'filled';
  if (opts.limitPrice !== undefined) {
    const spot = curve.spotPrice(pool);
    if (!(spot > opts.limitPrice)) return rejectedSell(pool, 'price already at or below the limit');
    const maxNet = curve.alphaToReachPrice(pool, opts.limitPrice);
    if (net > maxNet) {
      if (!opts.allowPartial) return rejectedSell(pool, 'price would pass the limit (SlippageTooHigh)');
      net = maxNet;
      fee = feeOnExecuted(net, rate);
      status = 'partial';
    }
  }
  if (net > MAX_INPUT_MULTIPLIER * pool.alphaIn) return rejectedSell(pool, 'input too large for the pool (SwapInputTooLarge)');
  const taoOut = curve.taoOutForAlpha(pool, net);
  if (taoOut >= pool.taoIn) return rejectedSell(pool, 'not enough TAO in the pool (InsufficientLiquidity)');
  const remaining = (opts.remaining ?? 0n) + (alphaGross - net - fee);
  if (!opts.dropFee && remaining > 0n && taoOut < minStake) {
    return rejectedSell(pool, 'partial unstake returns less than the minimum stake');
  }
  // Since spec 391 the fee alpha is sold into the pool (fee-free) for the block author.
  const mid: PoolSide = { ...pool, taoIn: pool.taoIn - taoOut, alphaIn: pool.alphaIn + net };
  const authorTao = fee > 0n ? curve.taoOutForAlpha(mid, fee) : 0n;
  const after: PoolSide = { ...pool, taoIn: mid.taoIn - authorTao, alphaIn: mid.alphaIn + fee };
  return { status, alphaSpent: net + fee, fee, netAlpha: net, taoOut, authorTao, before: pool, after };
}

export interface MoveResult {
  status: SwapStatus;
  reason?: string;
  alphaSpent: bigint;
  /** The one swap fee of the move, in the token it was charged in. */
  fee: bigint;
  feeToken: 'alpha' | 'tao';
  taoBetween: bigint;
  alphaOut: bigint;
  sell: SellResult;
  buy: BuyResult;
}

export interface MoveOptions {
  /** Limit on the origin/destination price ratio (swap_stake_limit); the ratio may not fall below it. */
  limitRatio?: number;
  allowPartial?: boolean;
  minStake?: bigint;
  remaining?: bigint;
}

/**
 * Cross-subnet move between two dynamic subnets (swap_stake / move_stake with different
 * netuids): sell on the origin with the fee, buy on the destination fee-free (one fee, §3.2).
 */
export function moveAlpha(curve: PoolCurve, origin: PoolSide, dest: PoolSide, alpha: bigint, opts: MoveOptions = {}): MoveResult {
  const minStake = opts.minStake ?? DEFAULT_MIN_STAKE;
  const attempt = (amount: bigint): MoveResult => {
    const sell = sellAlpha(curve, origin, amount, { minStake, remaining: opts.remaining ?? 0n });
    if (sell.status === 'rejected') return rejectedMove(sell, undefined, sell.reason!);
    if (sell.taoOut <= minStake) return rejectedMove(sell, undefined, 'move returns no more than the minimum stake');
    const buy = buyAlpha(curve, dest, sell.taoOut, { dropFee: true, minStake });
    if (buy.status === 'rejected') return rejectedMove(sell, buy, buy.reason!);
    return {
      status: 'filled', alphaSpent: sell.alphaSpent, fee: sell.fee, feeToken: 'alpha',
      taoBetween: sell.taoOut, alphaOut: buy.alphaOut, sell, buy,
    };
  };
  const full = attempt(alpha);
  if (opts.limitRatio === undefined || full.status === 'rejected') return full;
  const ratioNow = curve.spotPrice(origin) / curve.spotPrice(dest);
  if (!(ratioNow > opts.limitRatio)) return rejectedMove(full.sell, full.buy, 'price ratio already at or below the limit');
  const ratioAfter = (m: MoveResult) => curve.spotPrice(m.sell.after) / curve.spotPrice(m.buy.after);
  if (ratioAfter(full) >= opts.limitRatio) return full;
  if (!opts.allowPartial) return rejectedMove(full.sell, full.buy, 'price ratio would pass the limit (SlippageTooHigh)');
  // Largest amount whose post-move ratio stays at or above the limit (monotone in the amount).
  let lo = 0n;
  let hi = alpha;
  let best: MoveResult | undefined;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    const m = attempt(mid);
    if (m.status !== 'rejected' && ratioAfter(m) >= opts.limitRatio) {
      lo = mid;
      best = m;
    } else hi = mid;
  }
  if (!best) return rejectedMove(full.sell, full.buy, 'no part of the move fits the limit');
  return { ...best, status: 'partial' };
}

function rejectedMove(sell: SellResult, buy: BuyResult | undefined, reason: string): MoveResult {
  const b = buy ?? rejectedBuy(sell.before, reason);
  return { status: 'rejected', reason, alphaSpent: 0n, fee: 0n, feeToken: 'alpha', taoBetween: 0n, alphaOut: 0n, sell, buy: b };
}
