/**
 * SubnetMovingPrice (mechanics §2.4.1), run every block after the coinbase for subnets that
 * have started: p̄ ← α·min(spot, 1) + (1 − α)·p̄ with α = SubnetMovingAlpha · b / (b + h), where
 * b counts blocks since start_call and h is EMAPriceHalvingBlocks: young subnets' EMAs move
 * slowly at first (the ramp).
 *
 * For a run of k blocks the spot of block j is taken on the straight line from the spot before
 * the run to the spot after the run's coinbase (between trades only chain buys and injections
 * move it, smoothly); with k = 1 this is exactly the chain's update.
 */

export interface MovingPriceParams {
  movingAlpha: number;
  halvingBlocks: number;
}

/** EMA after blocks fromBlock+1 .. fromBlock+k; spotBefore / spotAfter bound the run. */
export function advanceMovingPrice(ema: number, spotBefore: number, spotAfter: number, firstEmissionBlock: number, fromBlock: number, k: number, p: MovingPriceParams): number {
  const base = fromBlock - (firstEmissionBlock - 1);
  const slope = (spotAfter - spotBefore) / k;
  let m = ema;
  for (let j = 1; j <= k; j++) {
    const b = base + j;
    const a = p.halvingBlocks > 0 ? (p.movingAlpha * b) / (b + p.halvingBlocks) : p.movingAlpha;
    m = a * Math.min(spotBefore + slope * j, 1) + (1 - a) * m;
  }
  return m;
}

/**
 * The EMA `blocks` blocks ahead (may be fractional) with the spot held: used to take a run's
 * emission shares at its midpoint.
 */
export function projectMovingPrice(ema: number, spot: number, firstEmissionBlock: number, fromBlock: number, blocks: number, p: MovingPriceParams): number {
  if (blocks <= 0) return ema;
  const b = fromBlock - (firstEmissionBlock - 1) + blocks / 2;
  const a = p.halvingBlocks > 0 ? (p.movingAlpha * b) / (b + p.halvingBlocks) : p.movingAlpha;
  return ema + (1 - Math.pow(1 - a, blocks)) * (Math.min(spot, 1) - ema);
}
