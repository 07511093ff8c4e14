/**
 * How much alpha a subnet has issued by a given age, under the chain's emission rules, so that
 * a market that starts mid-history has pool alpha, alpha outside the pool and root_prop that
 * agree with each other (mechanics §2.5, §2.7, §2.9).
 *
 * Per block a subnet with TAO emission issues its alpha emission `a` to participants (into
 * SubnetAlphaOut) and injects up to `root_prop · a` into the pool; every subnet that receives
 * a meaningful TAO share is capped, so the injection is the cap. With c = w·R (TAO weight
 * times root stake, in alpha units) and issuance I:
 *
 *   dI/db = a · (1 + c / (c + I)) = a · (2c + I) / (c + I)
 *
 * which integrates in closed form (u = 2c + I):
 *
 *   a · b = (u − u0) − c · ln(u / u0)
 *
 * The alpha emission `a` halves on the subnet's own issuance (10.5M, 15.75M, ...), so the
 * integral is taken piece by piece between halvings. Amounts here are observations (doubles,
 * in alpha); the caller turns the result into exact rao once.
 *
 * This is the current rule applied to the whole life. Mainnet's oldest subnets (live since the
 * dTAO launch, about 551 days before August 2026) show 4.7–5.05M alpha issued against 5.12M by
 * this rule: earlier runtimes recycled the chain-buy alpha for a while and injected under other
 * caps, and root stake was not constant. The difference is a few percent.
 */
import { blockEmissionFor } from '../core/emission.ts';

const RAO = 1e9;

/** Alpha issuance (whole alpha) at which the alpha emission first drops below `a` (halving rule). */
function nextHalving(issuance: number): number {
  // Thresholds at S·(1 − 2^−(k+1)) with S = 21M: 10.5M, 15.75M, ...
  const supply = 21e6;
  let remaining = supply / 2;
  while (issuance >= supply - remaining && remaining > 1e-9) remaining /= 2;
  return supply - remaining;
}

/** Alpha emission per block (whole alpha) at issuance I, from core's halving schedule. */
function emissionAt(issuance: number): number {
  return Number(blockEmissionFor(BigInt(Math.floor(issuance * RAO)))) / RAO;
}

/** Blocks to go from issuance i0 to i1 (i1 ≥ i0) at a constant emission `a`. */
function blocksBetween(i0: number, i1: number, a: number, c: number): number {
  if (c <= 0) return (i1 - i0) / a; // no root stake: root_prop 0, so nothing is injected
  return ((i1 - i0) - c * Math.log((2 * c + i1) / (2 * c + i0))) / a;
}

/** Issuance after `blocks` blocks from i0 at a constant emission `a` (inverse of blocksBetween). */
function issuanceAfter(i0: number, blocks: number, a: number, c: number): number {
  if (blocks <= 0) return i0;
  if (c <= 0) return i0 + a * blocks;
  // Solve g(u) = u − u0 − c·ln(u/u0) − a·b = 0 for u ≥ u0 = 2c + i0; g is increasing and
  // convex there, so Newton's method from the upper bound u0 + a·b converges monotonically.
  const u0 = 2 * c + i0;
  const target = a * blocks;
  let u = u0 + target;
  for (let k = 0; k < 100; k++) {
    const g = u - u0 - c * Math.log(u / u0) - target;
    const next = u - g / (1 - c / u);
    if (Math.abs(next - u) <= 1e-9 * u) {
      u = next;
      break;
    }
    u = next;
  }
  return u - 2 * c;
}

/**
 * Alpha (whole alpha) a subnet with TAO emission has issued after `ageBlocks` blocks, starting
 * from `startIssuance` (the alpha its pool was created with), with root stake `rootStakeTao`
 * and TAO weight `taoWeight` held constant.
 */
export function alphaIssuedByAge(ageBlocks: number, rootStakeTao: number, taoWeight: number, startIssuance = 0): number {
  const c = taoWeight * rootStakeTao;
  let issuance = startIssuance;
  let left = ageBlocks;
  while (left > 0) {
    const a = emissionAt(issuance);
    if (a <= 0) break;
    const halving = nextHalving(issuance);
    const toHalving = blocksBetween(issuance, halving, a, c);
    if (toHalving >= left) return issuanceAfter(issuance, left, a, c);
    issuance = halving;
    left -= toHalving;
  }
  return issuance;
}

/**
 * The age (blocks) at which a subnet reaches `issuance` alpha from `startIssuance`: the
 * inverse of `alphaIssuedByAge`.
 */
export function ageForIssuance(issuance: number, rootStakeTao: number, taoWeight: number, startIssuance = 0): number {
  const c = taoWeight * rootStakeTao;
  let at = startIssuance;
  let blocks = 0;
  while (at < issuance) {
    const a = emissionAt(at);
    if (a <= 0) return Number.POSITIVE_INFINITY;
    const next = Math.min(issuance, nextHalving(at));
    blocks += blocksBetween(at, next, a, c);
    at = next;
  }
  return blocks;
}

