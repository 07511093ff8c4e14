import { defineStrategy } from '../src/strategy/types.ts';
import { due, equalWeights, investable } from './_lib.ts';

/**
 * Hold the N subnets that take the largest share of TAO emission, equal weight, and
 * re-check the ranking every `rebalance_blocks`. Emission share follows stake (the EMA of
 * price), so this rides the positive cycle and leaves a subnet once it drops out of the top.
 */
export default defineStrategy({
  name: 'top-emission',
  description: 'Hold the top-N subnets by emission share, equal weight, re-ranked periodically.',
  params: {
    n: { type: 'integer', default: 5, min: 1, max: 64, description: 'number of subnets to hold' },
    root_weight: { type: 'number', default: 0, min: 0, max: 1, description: 'share kept on root' },
    min_pool_tao: { type: 'number', default: 1000, min: 0, description: 'ignore subnets with less TAO in the pool' },
    rebalance_blocks: { type: 'integer', default: 7200, min: 1, description: 'blocks between re-rankings (7200 = 1 day)' },
    rebalance_band: { type: 'number', default: 0.02, min: 0, max: 1, description: 'leave positions within this share of their target' },
  },
  decide(ctx) {
    const p = ctx.params;
    if (!due(ctx, 'last_rebalance', p.rebalance_blocks)) return;
    const top = investable(ctx, p.min_pool_tao)
      .sort((a, b) => b.emissionShare - a.emissionShare || a.netuid - b.netuid)
      .slice(0, p.n)
      .map((s) => s.netuid);
    return { targets: { root: p.root_weight, subnets: equalWeights(top, 1 - p.root_weight) } };
  },
});
