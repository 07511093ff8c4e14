/**
 * Weighted ("Balancer", on chain "PalSwap") pool of runtime spec 423+ (mechanics §1.1–1.2):
 * price p = (w_b / w_q) * y / x with w_q the TAO-side weight and w_b = 1 - w_q.
 *   buy  (net TAO dy):   alpha out = x * (1 - (y / (y + dy))^(w_q / w_b))
 *   sell (net alpha dx): TAO out   = y * (1 - (x / (x + dx))^(w_b / w_q))
 *   to move the price to a limit p': buy dy = y * ((p'/p)^w_b - 1), sell dx = x * ((p/p')^w_q - 1)
 * Fractional powers are computed in 60-digit decimals and floored, so results agree with the
 * chain's fixed-point code to about a rao. At w_q = 0.5 this is the constant-product curve,
 * and the integer formulas are used so that the two agree exactly.
 */
import type { PoolCurve, PoolReserves } from './types.ts';
import { constantProduct } from './constant-product.ts';
import { D, decFloorToBig, priceDecimal } from './math.ts';

function weightOf(pool: PoolReserves): number {
  const wq = pool.quoteWeight ?? 0.5;
  if (!(wq > 0 && wq < 1)) throw new RangeError(`pool quote weight must be in (0, 1), got ${wq}`);
  return wq;
}

export const weighted: PoolCurve = {
  kind: 'weighted',

  spotPrice(pool: PoolReserves): number {
    const wq = weightOf(pool);
    if (pool.alphaIn <= 0n) return 0;
    return ((1 - wq) / wq) * (Number(pool.taoIn) / Number(pool.alphaIn));
  },

  alphaOutForTao(pool: PoolReserves, netTao: bigint): bigint {
    const wq = weightOf(pool);
    if (wq === 0.5) return constantProduct.alphaOutForTao(pool, netTao);
    if (netTao <= 0n) return 0n;
    const x = new D(pool.alphaIn.toString());
    const y = new D(pool.taoIn.toString());
    const ratio = y.div(y.plus(netTao.toString()));
    const exp = new D(wq).div(new D(1).minus(wq));
    return decFloorToBig(x.times(new D(1).minus(ratio.pow(exp))));
  },

  taoOutForAlpha(pool: PoolReserves, netAlpha: bigint): bigint {
    const wq = weightOf(pool);
    if (wq === 0.5) return constantProduct.taoOutForAlpha(pool, netAlpha);
    if (netAlpha <= 0n) return 0n;
    const x = new D(pool.alphaIn.toString());
    const y = new D(pool.taoIn.toString());
    const ratio = x.div(x.plus(netAlpha.toString()));
    const exp = new D(1).minus(wq).div(wq);
    return decFloorToBig(y.times(new D(1).minus(ratio.pow(exp))));
  },

  taoToReachPrice(pool: PoolReserves, limitPrice: number): bigint {
    const wq = weightOf(pool);
    if (wq === 0.5) return constantProduct.taoToReachPrice(pool, limitPrice);
    const p = new D(1 - wq).div(wq).times(pool.taoIn.toString()).div(pool.alphaIn.toString());
    const target = priceDecimal(limitPrice);
    if (target.lte(p)) return 0n;
    const y = new D(pool.taoIn.toString());
    return decFloorToBig(y.times(target.div(p).pow(1 - wq).minus(1)));
  },

  alphaToReachPrice(pool: PoolReserves, limitPrice: number): bigint {
    const wq = weightOf(pool);
    if (wq === 0.5) return constantProduct.alphaToReachPrice(pool, limitPrice);
    const p = new D(1 - wq).div(wq).times(pool.taoIn.toString()).div(pool.alphaIn.toString());
    const target = priceDecimal(limitPrice);
    if (target.gte(p)) return 0n;
    const x = new D(pool.alphaIn.toString());
    return decFloorToBig(x.times(p.div(target).pow(wq).minus(1)));
  },
};
