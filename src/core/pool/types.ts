/**
 * The pool-curve port. A curve knows how a subnet pool prices alpha and how much comes out of
 * a swap; it knows nothing of fees, minimums or limit orders (those are stake operations, in
 * `core/stake.ts`, identical for every curve). Amounts are exact base units (rao or alpha-rao).
 *
 * Every implementation runs the same contract tests (test/core/pool-contract.test.ts).
 */

export interface PoolReserves {
  /** TAO reserve y (SubnetTAO), rao. */
  readonly taoIn: bigint;
  /** Alpha reserve x (SubnetAlphaIn), alpha-rao. */
  readonly alphaIn: bigint;
  /** TAO-side weight w_q of a weighted pool; ignored by the constant-product curve. */
  readonly quoteWeight?: number;
}

export type CurveKind = 'constant_product' | 'weighted';

export interface PoolCurve {
  readonly kind: CurveKind;
  /** TAO per alpha at the current reserves. */
  spotPrice(pool: PoolReserves): number;
  /** Alpha out for `netTao` TAO entering the pool (after any fee), floored. */
  alphaOutForTao(pool: PoolReserves, netTao: bigint): bigint;
  /** TAO out for `netAlpha` alpha entering the pool (after any fee), floored. */
  taoOutForAlpha(pool: PoolReserves, netAlpha: bigint): bigint;
  /**
   * Net TAO that raises the price from spot to `limitPrice` (TAO per alpha), floored;
   * 0 when the price is already at or above the limit.
   */
  taoToReachPrice(pool: PoolReserves, limitPrice: number): bigint;
  /**
   * Net alpha that lowers the price from spot to `limitPrice`, floored; 0 when the price is
   * already at or below the limit.
   */
  alphaToReachPrice(pool: PoolReserves, limitPrice: number): bigint;
}
