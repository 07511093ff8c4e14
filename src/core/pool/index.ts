export type { PoolCurve, PoolReserves, CurveKind } from './types.ts';
export { constantProduct } from './constant-product.ts';
export { weighted } from './weighted.ts';
export { isqrt } from './math.ts';
import type { CurveKind, PoolCurve } from './types.ts';
import { constantProduct } from './constant-product.ts';
import { weighted } from './weighted.ts';

export const curves: Record<CurveKind, PoolCurve> = {
  constant_product: constantProduct,
  weighted,
};

export function curveByName(name: string): PoolCurve {
  const c = (curves as Record<string, PoolCurve | undefined>)[name];
  if (!c) throw new RangeError(`unknown pool curve "${name}" (choose constant_product or weighted)`);
  return c;
}
