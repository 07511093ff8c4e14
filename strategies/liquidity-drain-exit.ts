import { defineStrategy } from '../src/strategy/types.ts';
import { due, equalWeights, investable } from './_lib.ts';

/**
 * Hold the deepest pools, and leave a subnet whose pool TAO keeps falling: stake flowing out
 * is how a death spiral starts (less stake, lower price EMA, less emission, more exits).
 * A subnet is dropped when its pool TAO is down more than `max_drop` over the lookback, and
 * may come back once its pool is growing again. What is not in alpha sits on root.
 */
export default defineStrategy({
  name: 'liquidity-drain-exit',
  description: 'Hold the deepest pools; exit a subnet whose pool TAO keeps falling (liquidity drain).',
  params: {
    n: { type: 'integer', default: 6, min: 1, max: 64, description: 'number of subnets to hold' },
    lookback: { type: 'integer', default: 24, min: 1, description: 'snapshots over which the pool TAO trend is measured' },
    max_drop: { type: 'number', default: 0.08, min: 0, max: 1, description: 'exit when pool TAO fell more than this over the lookback' },
    min_pool_tao: { type: 'number', default: 2000, min: 0, description: 'ignore subnets with less TAO in the pool' },
    rebalance_blocks: { type: 'integer', default: 1800, min: 1, description: 'blocks between decisions (1800 = 6 h)' },
    rebalance_band: { type: 'number', default: 0.03, min: 0, max: 1, description: 'leave positions within this share of their target' },
  },
  decide(ctx) {
    const p = ctx.params;
    if (!due(ctx, 'last_rebalance', p.rebalance_blocks)) return;
    const draining = (netuid: number): boolean => {
      const pool = ctx.history.series(netuid, 'taoIn', p.lookback + 1).filter((x) => !Number.isNaN(x));
      if (pool.length < 2) return false;
      return pool[pool.length - 1]! < pool[0]! * (1 - p.max_drop);
    };
    const chosen = investable(ctx, p.min_pool_tao)
      .sort((a, b) => b.taoIn - a.taoIn || a.netuid - b.netuid)
      .slice(0, p.n)
      .map((s) => s.netuid)
      .filter((n) => !draining(n));
    const alphaShare = chosen.length / p.n;
    return { targets: { root: 1 - alphaShare, subnets: equalWeights(chosen, alphaShare) } };
  },
});
