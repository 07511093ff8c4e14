/** Small helpers shared by the built-in strategies (files starting with "_" are not strategies). */
import type { StrategyContext, SubnetView } from '../src/strategy/types.ts';

/** True at the first step and then whenever `blocks` blocks have passed since the last time. */
export function due(ctx: StrategyContext<unknown>, key: string, blocks: number): boolean {
  const last = ctx.state[key];
  if (typeof last === 'number' && ctx.snapshot.block - last < blocks) return false;
  (ctx.state as Record<string, unknown>)[key] = ctx.snapshot.block;
  return true;
}

/** Subnets that take TAO emission and have at least `minPoolTao` TAO in their pool. */
export function investable(ctx: StrategyContext<unknown>, minPoolTao: number): SubnetView[] {
  return ctx.snapshot.subnets.filter((s) => s.emissionEnabled !== false && s.taoIn >= minPoolTao && s.price > 0);
}

/** Equal weights over `netuids` summing to `total`. */
export function equalWeights(netuids: number[], total: number): Record<number, number> {
  if (netuids.length === 0) return {};
  const w = total / netuids.length;
  return Object.fromEntries(netuids.map((n) => [n, w]));
}
