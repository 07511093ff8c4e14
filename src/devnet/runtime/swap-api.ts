/**
 * SwapRuntimeApi answers computed on the served state with the project's one pool model
 * (src/core/pool + src/core/stake.ts), so a quote from the devnet is exactly what the
 * backtester would fill. Semantics follow subtensor's runtime API (mechanics §5.3):
 *  - prices are TAO per alpha x 1e9 (rao per whole alpha), floored; root (netuid 0) is 1e9;
 *  - a simulated swap reports the net input that reached the curve, the output and the fee,
 *    and a slippage that is the no-slippage output at the spot price minus the real output
 *    (so it includes the fee); a swap the pool rejects reports all zeros;
 *  - the block author's follow-on sale of an alpha fee is not included.
 */
import type { SubnetState } from '../../core/snapshot.ts';
import { DEFAULT_FEE_RATE } from '../../core/snapshot.ts';
import { constantProduct, weighted } from '../../core/pool/index.ts';
import type { PoolCurve } from '../../core/pool/index.ts';
import { buyAlpha, sellAlpha } from '../../core/stake.ts';
import type { PoolSide } from '../../core/stake.ts';
import { RAO_PER_TAO } from '../../core/units.ts';
import type { BlockState } from '../block-state.ts';
import { ROOT_NETUID } from '../block-state.ts';

export interface SimSwapResult {
  taoAmount: bigint;
  alphaAmount: bigint;
  taoFee: bigint;
  alphaFee: bigint;
  taoSlippage: bigint;
  alphaSlippage: bigint;
}

const ZERO_RESULT: SimSwapResult = { taoAmount: 0n, alphaAmount: 0n, taoFee: 0n, alphaFee: 0n, taoSlippage: 0n, alphaSlippage: 0n };

export interface PoolModel {
  curve: PoolCurve;
  pool: PoolSide;
}

/** The pool a runtime runs for a subnet: weighted where it has the Balancer, else x*y=k. */
export function poolModel(sn: SubnetState, hasBalancer: boolean): PoolModel {
  return {
    curve: hasBalancer ? weighted : constantProduct,
    pool: {
      taoIn: sn.taoIn,
      alphaIn: sn.alphaIn,
      quoteWeight: hasBalancer ? sn.quoteWeight : undefined,
      feeRate: sn.feeRate ?? DEFAULT_FEE_RATE,
    },
  };
}

/** floor(x) of a non-negative finite float as a bigint; 0 for anything else. */
function floorToBig(x: number): bigint {
  return Number.isFinite(x) && x > 0 ? BigInt(Math.floor(x)) : 0n;
}

function positiveDiff(a: bigint, b: bigint): bigint {
  return a > b ? a - b : 0n;
}

export function currentAlphaPrice(state: BlockState, netuid: number, hasBalancer: boolean): bigint {
  if (netuid === ROOT_NETUID) return RAO_PER_TAO;
  const sn = state.subnets.get(netuid);
  if (!sn) return 0n;
  const { curve, pool } = poolModel(sn, hasBalancer);
  return floorToBig(curve.spotPrice(pool) * 1e9);
}

export function currentAlphaPriceAll(state: BlockState, hasBalancer: boolean): Array<{ netuid: number; price: bigint }> {
  const netuids = [ROOT_NETUID, ...[...state.subnets.keys()].sort((a, b) => a - b)];
  return netuids.map((netuid) => ({ netuid, price: currentAlphaPrice(state, netuid, hasBalancer) }));
}

export function simSwapTaoForAlpha(state: BlockState, netuid: number, tao: bigint, hasBalancer: boolean): SimSwapResult {
  if (netuid === ROOT_NETUID) return { ...ZERO_RESULT, taoAmount: tao, alphaAmount: tao };
  const sn = state.subnets.get(netuid);
  if (!sn) return ZERO_RESULT;
  const { curve, pool } = poolModel(sn, hasBalancer);
  // The runtime API checks no minimum stake: that is the extrinsic's rule, not the swap's.
  const r = buyAlpha(curve, pool, tao, { minStake: 0n });
  if (r.status === 'rejected') return ZERO_RESULT;
  const atSpot = floorToBig(Number(tao) / curve.spotPrice(pool));
  return { ...ZERO_RESULT, taoAmount: r.netTao, alphaAmount: r.alphaOut, taoFee: r.fee, alphaSlippage: positiveDiff(atSpot, r.alphaOut) };
}

export function simSwapAlphaForTao(state: BlockState, netuid: number, alpha: bigint, hasBalancer: boolean): SimSwapResult {
  if (netuid === ROOT_NETUID) return { ...ZERO_RESULT, taoAmount: alpha, alphaAmount: alpha };
  const sn = state.subnets.get(netuid);
  if (!sn) return ZERO_RESULT;
  const { curve, pool } = poolModel(sn, hasBalancer);
  const r = sellAlpha(curve, pool, alpha, { minStake: 0n });
  if (r.status === 'rejected') return ZERO_RESULT;
  const atSpot = floorToBig(Number(alpha) * curve.spotPrice(pool));
  return { ...ZERO_RESULT, taoAmount: r.taoOut, alphaAmount: r.netAlpha, alphaFee: r.fee, taoSlippage: positiveDiff(atSpot, r.taoOut) };
}
