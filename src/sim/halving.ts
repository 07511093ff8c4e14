/**
 * Where the next halving falls. The schedule itself is core's `blockEmissionFor`; this only
 * searches for the first issuance at which it drops, so that a batch of blocks can be cut at
 * the exact block where the emission rate changes.
 */
import { TOTAL_SUPPLY, blockEmissionFor } from '../core/emission.ts';

/** The smallest issuance above `issuance` whose per-block emission is lower (TOTAL_SUPPLY if none). */
export function nextHalvingIssuance(issuance: bigint): bigint {
  const now = blockEmissionFor(issuance);
  if (now === 0n) return TOTAL_SUPPLY;
  let lo = issuance;
  let hi = TOTAL_SUPPLY;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (blockEmissionFor(mid) < now) hi = mid;
    else lo = mid;
  }
  return hi;
}
