/**
 * Emission rules of the chain (mechanics §2), as pure functions on exact amounts:
 * the halving schedule (TAO on total issuance, alpha on a subnet's alpha issuance), the
 * per-block split of alpha emission, the root proportion and the epoch schedule.
 * Shared by the yield model, the market simulator and the devnet.
 */

export const TOTAL_SUPPLY = 21_000_000_000_000_000n; // 21M in base units
export const DEFAULT_BLOCK_EMISSION = 1_000_000_000n; // 1 TAO / 1 alpha per block before halvings

/** Owner cut SubnetOwnerCut = 11_796 / 65535 (about 18%). */
export const OWNER_CUT_NUM = 11_796n;
export const U16_MAX = 65_535n;
/** Default validator take Delegates[H] = 11_796 / 65535 (18%). */
export const DEFAULT_TAKE_U16 = 11_796;

/**
 * Per-block emission for an issuance I (§2.2, §2.9): E = 1e9 * 2^-k with
 * k = floor(log2(1 / (1 - I / (2 * 10.5e15)))); zero once I reaches the supply.
 * Halvings fall at I = 10.5M, 15.75M, 18.375M, ... (each halfway to 21M).
 */
export function blockEmissionFor(issuance: bigint): bigint {
  if (issuance >= TOTAL_SUPPLY) return 0n;
  // k is the number of thresholds passed: threshold_j = S * (1 - 2^-(j+1)).
  let k = 0n;
  let remaining = TOTAL_SUPPLY / 2n; // supply left above the next threshold
  let threshold = TOTAL_SUPPLY - remaining;
  while (issuance >= threshold && k < 64n) {
    k += 1n;
    remaining /= 2n;
    threshold = TOTAL_SUPPLY - remaining;
  }
  return DEFAULT_BLOCK_EMISSION >> k;
}

/** Root proportion w*R / (w*R + alphaIssuance) (§2.7), with TAO and alpha base units mixed 1:1. */
export function rootProportion(rootStake: bigint, taoWeight: number, alphaIssuance: bigint): number {
  const wr = taoWeight * Number(rootStake);
  const denom = wr + Number(alphaIssuance);
  return denom > 0 ? wr / denom : 0;
}

export interface AlphaSplit {
  owner: bigint;
  /** Miners (PendingServerEmission). */
  server: bigint;
  /** Alpha stakers, via validators (PendingValidatorEmission). */
  validator: bigint;
  /** Root stakers, via validators (PendingRootAlphaDivs). */
  root: bigint;
}

/**
 * Split of one block's alpha emission `alphaOut` (§2.6): owner 18%, the rest half to miners
 * and half to validators, of which a root_prop share goes to root stakers.
 * `rootSellFlag` false (sum of EMA prices <= 1) recycles the root share instead.
 */
export function splitAlphaEmission(alphaOut: bigint, rootProp: number, opts: { ownerCut?: boolean; rootSellFlag?: boolean } = {}): AlphaSplit {
  const owner = opts.ownerCut === false ? 0n : (alphaOut * OWNER_CUT_NUM) / U16_MAX;
  const rem = alphaOut - owner;
  const server = rem / 2n;
  const half = rem - server;
  const rootShare = clampUnit(rootProp);
  const root = opts.rootSellFlag === false ? 0n : BigInt(Math.floor(Number(half) * rootShare));
  const validator = half - (opts.rootSellFlag === false ? BigInt(Math.floor(Number(half) * rootShare)) : root);
  return { owner, server, validator, root };
}

function clampUnit(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * Epoch schedule. A subnet's epoch fires at blocks b with (b + netuid + 1) % (tempo + 1) == 0:
 * the fixed schedule of runtimes up to spec 422. Later runtimes keep state (LastEpochBlock)
 * that a snapshot does not carry; the fixed rule has the same rate and a known phase, so a
 * backtest is reproducible. Returns how many epochs fire in the block range (from, to].
 */
export function epochsBetween(fromBlock: number, toBlock: number, netuid: number, tempo: number): number {
  if (toBlock <= fromBlock) return 0;
  const period = tempo + 1;
  // count b in (from, to] with (b + netuid + 1) mod period == 0
  return Math.floor((toBlock + netuid + 1) / period) - Math.floor((fromBlock + netuid + 1) / period);
}

/** The first epoch block strictly after `block`. */
export function nextEpochBlock(block: number, netuid: number, tempo: number): number {
  const period = tempo + 1;
  const r = (block + netuid + 1) % period;
  return block + (period - r);
}
