/**
 * A subnet's epoch (mechanics §2.8): the pending emissions are drained and paid. Yuma consensus
 * among individual keys is not simulated; what matters to the market is who ends up holding the
 * alpha and what they do with it: the owner cut is auto-locked, miner incentive (less the burned
 * MinerBurned part) goes to miners who sell a planned share of it, validator dividends
 * compound in alpha stake, and root dividends become claimable by root stakers. The burned and
 * kept parts are fractions decided in floating point, then exact integers: the pending amounts
 * are moved, never created or lost.
 */
import type { SubnetSim } from './state.ts';

export function runEpoch(s: SubnetSim): void {
  const h = s.holdings;
  h.owner += h.pendingOwner;

  const server = h.pendingServer;
  const burnFraction = Math.min(Math.max(s.minerBurned, 0), 1);
  const burned = BigInt(Math.floor(Number(server) * burnFraction));
  const toMiners = server - burned;
  const kept = BigInt(Math.floor(Number(toMiners) * (1 - s.plan.minerSell)));
  h.burned += burned;
  h.miner += toMiners - kept;
  h.staker += h.pendingValidator + kept;
  h.rootClaimable += h.pendingRoot;

  h.pendingOwner = 0n;
  h.pendingServer = 0n;
  h.pendingValidator = 0n;
  h.pendingRoot = 0n;
}
