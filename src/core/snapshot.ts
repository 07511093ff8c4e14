/**
 * The state of the dTAO market at one block: the in-memory form of one line of a
 * `dtao-snapshots/1` file. Amounts are exact rao (bigint); prices and ratios are numbers
 * (observations). An absent optional field is `undefined`; the model decides what to assume.
 */

export const SNAPSHOT_FORMAT = 'dtao-snapshots/1';

/** Chain defaults used where a snapshot leaves a field out (mechanics §1.3, §2.7, §2.8). */
export const DEFAULT_FEE_RATE = 33; // u16 over 65535, about 0.05%
export const DEFAULT_TEMPO = 360; // blocks
export const DEFAULT_TAO_WEIGHT = 0.18;
export const BLOCK_SECONDS = 12;
export const BLOCKS_PER_DAY = 7200;

export interface SubnetState {
  netuid: number;
  /** Pool TAO reserve (SubnetTAO), rao. */
  taoIn: bigint;
  /** Pool alpha reserve (SubnetAlphaIn), alpha-rao. */
  alphaIn: bigint;
  /** Alpha outside the pool (SubnetAlphaOut): staked alpha, pending and protocol alpha. */
  alphaOut?: bigint;
  /** TAO per alpha as reported by the source (SwapRuntimeApi); default: from the pool curve. */
  price?: number;
  /** EMA price (SubnetMovingPrice). */
  movingPrice?: number;
  /** Root proportion (RootProp). */
  rootProp?: number;
  /** Per-block emissions of the last block: TAO injected, alpha injected, alpha to participants. */
  taoInEmission?: bigint;
  alphaInEmission?: bigint;
  alphaOutEmission?: bigint;
  /** TAO spent on the chain buy in the last block (SubnetExcessTao). */
  excessTao?: bigint;
  /** Swap fee, u16 over 65535. */
  feeRate?: number;
  tempo?: number;
  emissionEnabled?: boolean;
  name?: string;
  /** Weighted (Balancer) pool: TAO-side weight w_q in (0, 1); absent means 0.5 (constant product). */
  quoteWeight?: number;
}

export interface Snapshot {
  block: number;
  /** ISO-8601 UTC text as found in the source (kept verbatim so files round-trip). */
  time: string;
  subnets: SubnetState[];
  /** TAO staked on root (SubnetTAO[0]), rao. */
  rootStake?: bigint;
  /** TaoWeight as a fraction (0.18 on mainnet). */
  taoWeight?: number;
  /** TAO emitted per block, rao. */
  blockEmission?: bigint;
}

/** Spot price from the reserves for a weighted pool: p = (w_b / w_q) * y / x. */
export function curvePrice(s: Pick<SubnetState, 'taoIn' | 'alphaIn' | 'quoteWeight'>): number {
  const x = Number(s.alphaIn);
  if (x <= 0) return 0;
  const y = Number(s.taoIn);
  const wq = s.quoteWeight ?? 0.5;
  return ((1 - wq) / wq) * (y / x);
}
