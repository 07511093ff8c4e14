import { defineStrategy } from '../src/strategy/types.ts';
import { due, equalWeights, investable } from './_lib.ts';

/**
 * Trend following on alpha prices: among the largest subnets by emission share, hold those
 * whose fast EMA of price is above the slow EMA (an uptrend), equal weight; the rest of the
 * portfolio sits on root. EMAs come from `technicalindicators`, over past snapshots only.
 */
export default defineStrategy({
  name: 'ema-trend',
  description: 'Hold subnets whose fast price EMA is above the slow one (uptrend); root otherwise.',
  params: {
    fast: { type: 'integer', default: 12, min: 1, description: 'fast EMA period, in snapshots' },
    slow: { type: 'integer', default: 48, min: 2, description: 'slow EMA period, in snapshots' },
    universe: { type: 'integer', default: 10, min: 1, description: 'consider the top subnets by emission share' },
    max_positions: { type: 'integer', default: 5, min: 1, description: 'most subnets held at once' },
    min_pool_tao: { type: 'number', default: 2000, min: 0, description: 'ignore subnets with less TAO in the pool' },
    rebalance_blocks: { type: 'integer', default: 1800, min: 1, description: 'blocks between decisions (1800 = 6 h)' },
    rebalance_band: { type: 'number', default: 0.03, min: 0, max: 1, description: 'leave positions within this share of their target' },
  },
  decide(ctx) {
    const p = ctx.params;
    if (p.fast >= p.slow) throw new Error(`fast (${p.fast}) must be shorter than slow (${p.slow})`);
    if (ctx.history.length < p.slow) return;
    if (!due(ctx, 'last_rebalance', p.rebalance_blocks)) return;
    const universe = investable(ctx, p.min_pool_tao)
      .sort((a, b) => b.emissionShare - a.emissionShare || a.netuid - b.netuid)
      .slice(0, p.universe);
    const up: { netuid: number; strength: number }[] = [];
    for (const s of universe) {
      const prices = ctx.history.series(s.netuid, 'price', p.slow * 2);
      const fast = ctx.indicators.ema(prices, p.fast);
      const slow = ctx.indicators.ema(prices, p.slow);
      if (!fast.length || !slow.length) continue;
      const f = fast[fast.length - 1]!;
      const sl = slow[slow.length - 1]!;
      if (f > sl) up.push({ netuid: s.netuid, strength: f / sl - 1 });
    }
    up.sort((a, b) => b.strength - a.strength || a.netuid - b.netuid);
    const chosen = up.slice(0, p.max_positions).map((x) => x.netuid);
    const alphaShare = chosen.length / p.max_positions;
    return { targets: { root: 1 - alphaShare, subnets: equalWeights(chosen, alphaShare) } };
  },
});
