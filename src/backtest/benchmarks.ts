/**
 * The benchmarks every backtest shows beside the strategies, written as strategies so they
 * run through the very same engine: hold TAO (do nothing), 100% root, and equal-weight alpha
 * (the capital split equally over every subnet at the start, then held).
 */
import { defineStrategy, type Strategy } from '../strategy/types.ts';

export const holdTao = defineStrategy({
  name: 'hold-tao',
  description: 'Keep the TAO unstaked: the zero line every staking choice must beat.',
  params: {},
  decide() {},
});

export const allRoot = defineStrategy({
  name: 'root-100',
  description: 'Stake everything on root (netuid 0) at the start and hold: no price risk, root dividends only.',
  params: {},
  decide(ctx) {
    if (ctx.step === 0) return { targets: { root: 1 } };
  },
});

export const equalWeightAlpha = defineStrategy({
  name: 'equal-weight-alpha',
  description: 'Split the capital equally over every subnet at the start and hold the alpha.',
  params: {},
  decide(ctx) {
    if (ctx.step !== 0) return;
    const subnets = ctx.snapshot.subnets;
    if (subnets.length === 0) return;
    const w = 1 / subnets.length;
    return { targets: { subnets: Object.fromEntries(subnets.map((s) => [s.netuid, w])) }, band: 0 };
  },
});

export const BENCHMARKS: Strategy[] = [holdTao, allRoot, equalWeightAlpha];
