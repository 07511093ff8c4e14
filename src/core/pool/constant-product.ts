/**
 * Constant product x*y = k on (SubnetAlphaIn, SubnetTAO): the dTAO pool from launch, the
 * Uniswap-v3 era with its single full-range protocol position, and the weighted pool at
 * weights 0.5 (mechanics §1.2, §1.7). All results are exact integer floors, as on chain.
 */
import type { PoolCurve, PoolReserves } from './types.ts';
import { isqrt } from './math.ts';

const SCALE = 1_000_000_000n; // rao per alpha, for turning a TAO/alpha price into a ratio
const PRICE_DIGITS = 1_000_000_000_000_000_000n; // 1e18: fixed-point precision of limit prices

/** A limit price as an exact rational num/den (TAO per alpha), from its shortest decimal text. */
function priceRatio(limitPrice: number): [bigint, bigint] {
  if (!(limitPrice > 0) || !Number.isFinite(limitPrice)) throw new RangeError(`limit price must be positive, got ${limitPrice}`);
  return [BigInt(Math.round(limitPrice * 1e18)) || 1n, PRICE_DIGITS];
}

export const constantProduct: PoolCurve = {
  kind: 'constant_product',

  spotPrice(pool: PoolReserves): number {
    if (pool.alphaIn <= 0n) return 0;
    return Number(pool.taoIn) / Number(pool.alphaIn);
  },

  alphaOutForTao(pool: PoolReserves, netTao: bigint): bigint {
    if (netTao <= 0n) return 0n;
    return (pool.alphaIn * netTao) / (pool.taoIn + netTao);
  },

  taoOutForAlpha(pool: PoolReserves, netAlpha: bigint): bigint {
    if (netAlpha <= 0n) return 0n;
    return (pool.taoIn * netAlpha) / (pool.alphaIn + netAlpha);
  },

  taoToReachPrice(pool: PoolReserves, limitPrice: number): bigint {
    // After a buy of d: price = (y + d)^2 / k, so y + d = sqrt(L * k) with L in rao per alpha-rao.
    const [num, den] = priceRatio(limitPrice);
    const target = isqrt((num * pool.taoIn * pool.alphaIn) / den);
    return target > pool.taoIn ? target - pool.taoIn : 0n;
  },

  alphaToReachPrice(pool: PoolReserves, limitPrice: number): bigint {
    // After a sell of d: price = k / (x + d)^2, so x + d = sqrt(k / L).
    const [num, den] = priceRatio(limitPrice);
    const target = isqrt((pool.taoIn * pool.alphaIn * den) / num);
    return target > pool.alphaIn ? target - pool.alphaIn : 0n;
  },
};

export { SCALE as RAO_PER_ALPHA };
