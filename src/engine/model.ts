/**
 * The settings of the market model a run uses: which pool curve, how our trades' impact
 * persists, fees and minimums, validator take, root-dividend claims, and the estimates that
 * stand in for fields a data file lacks. One object, shared by the backtest and paper drivers.
 */
import type { CurveKind } from '../core/pool/types.ts';
import { DEFAULT_MIN_STAKE } from '../core/stake.ts';
import { DEFAULT_ASSUMPTIONS, type YieldAssumptions } from '../core/yield.ts';
import { DEFAULT_FEE_RATE } from '../core/snapshot.ts';
import type { ImpactMode } from './market.ts';

export type RootClaimType = 'swap' | 'keep';

export interface ModelConfig {
  curve: CurveKind;
  impact: ImpactMode;
  /** Minimum stake, rao (chain: 0.002 TAO). */
  minStake: bigint;
  /** Transaction fee per extrinsic, rao (0 = not modelled). */
  txFee: bigint;
  /** Validator take as a fraction (chain default and maximum 0.18). */
  take: number;
  /** What happens to root dividends: sold for TAO into root (chain default) or kept as alpha. */
  rootClaim: RootClaimType;
  /** Root dividends are claimed every this many blocks (the chain auto-claims about daily). */
  claimEveryBlocks: number;
  /** Fee rate (u16/65535) where the data has none. */
  defaultFeeRate: number;
  assumptions: YieldAssumptions;
}

export const DEFAULT_MODEL: ModelConfig = {
  curve: 'constant_product',
  impact: 'persistent',
  minStake: DEFAULT_MIN_STAKE,
  txFee: 0n,
  take: 0.18,
  rootClaim: 'swap',
  claimEveryBlocks: 7200,
  defaultFeeRate: DEFAULT_FEE_RATE,
  assumptions: DEFAULT_ASSUMPTIONS,
};
