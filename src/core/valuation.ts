/**
 * What a position is worth: at the spot price (the mark every dashboard shows) and at
 * liquidation value (what unstaking it through the pool would return now, after fee and
 * slippage). The gap between the two is the APY trap of thin pools.
 */
import type { PoolCurve } from './pool/types.ts';
import { D, decFloorToBig } from './pool/math.ts';
import { sellAlpha, type PoolSide } from './stake.ts';

/** alpha * spot price, floored to the rao; exact for constant product (alpha * y / x). */
export function alphaValueAtSpot(curve: PoolCurve, pool: PoolSide, alpha: bigint): bigint {
  if (alpha <= 0n || pool.alphaIn <= 0n) return 0n;
  const wq = curve.kind === 'weighted' ? pool.quoteWeight ?? 0.5 : 0.5;
  if (wq === 0.5) return (alpha * pool.taoIn) / pool.alphaIn;
  return decFloorToBig(new D(alpha.toString()).times(pool.taoIn.toString()).div(pool.alphaIn.toString()).times(1 - wq).div(wq));
}

/** TAO from unstaking all of `alpha` through the pool now (0 if the pool refuses). */
export function alphaLiquidationValue(curve: PoolCurve, pool: PoolSide, alpha: bigint): bigint {
  if (alpha <= 0n) return 0n;
  const r = sellAlpha(curve, pool, alpha, { remaining: 0n });
  return r.status === 'rejected' ? 0n : r.taoOut;
}

/** Spot-price mark as a float (TAO), for equity series; balances stay exact elsewhere. */
export function alphaValueAtSpotF(taoIn: number, alphaIn: number, alpha: number, quoteWeight = 0.5): number {
  if (alphaIn <= 0) return 0;
  return (alpha * taoIn * (1 - quoteWeight)) / (alphaIn * quoteWeight);
}

/** Liquidation mark as a float (TAO), with the swap fee; for equity series. */
export function alphaLiquidationValueF(taoIn: number, alphaIn: number, alpha: number, feeRate: number, quoteWeight = 0.5): number {
  if (alpha <= 0) return 0;
  const net = alpha * (1 - feeRate / 65535);
  if (quoteWeight === 0.5) return (taoIn * net) / (alphaIn + net);
  return taoIn * (1 - Math.pow(alphaIn / (alphaIn + net), (1 - quoteWeight) / quoteWeight));
}
