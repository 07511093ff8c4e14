import { defineStrategy } from '../src/strategy/types.ts';

/**
 * Everything on root: stake the capital on netuid 0 at the start and keep it there.
 * No pool, no price risk, no slippage; root dividends only. The simplest strategy file:
 * copy it to start your own.
 */
export default defineStrategy({
  name: 'root-only',
  description: 'Stake everything on root (netuid 0) and hold: no price risk, root dividends only.',
  params: {},
  decide(ctx) {
    if (ctx.portfolio.free > 0.01) return { targets: { root: 1 } };
  },
});
