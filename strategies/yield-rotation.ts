import { defineStrategy } from '../src/strategy/types.ts';
import { due, equalWeights, investable } from './_lib.ts';

/**
 * Alpha or root, by expected yield after costs. For each subnet: the alpha yield expected over
 * the holding horizon minus the round-trip cost (fee and slippage of staking in and out at
 * the position's size in that pool, quoted from the pool now), against root's yield over the
 * same horizon. Holds the N subnets with the largest edge above `min_edge`; the rest, or
 * everything when none qualifies, goes to root. A price-trend guard skips subnets whose price
 * fell more than `max_price_drop` over the lookback: a high APY on a falling price is the trap.
 */
export default defineStrategy({
  name: 'yield-rotation',
  description: 'Alpha vs root by expected yield net of entry and exit slippage; root when no subnet pays enough.',
  params: {
    n: { type: 'integer', default: 3, min: 1, max: 32, description: 'most subnets held at once' },
    horizon_days: { type: 'number', default: 30, min: 1, description: 'expected holding time used to weigh yield against costs' },
    min_edge: { type: 'number', default: 0.01, min: 0, description: 'required excess return over root within the horizon (0.01 = 1%)' },
    min_pool_tao: { type: 'number', default: 2000, min: 0, description: 'ignore subnets with less TAO in the pool' },
    max_price_drop: { type: 'number', default: 0.15, min: 0, max: 1, description: 'skip subnets whose price fell more than this over the lookback' },
    lookback: { type: 'integer', default: 24, min: 1, description: 'snapshots for the price-trend guard' },
    rebalance_blocks: { type: 'integer', default: 7200, min: 1, description: 'blocks between decisions' },
    rebalance_band: { type: 'number', default: 0.05, min: 0, max: 1, description: 'leave positions within this share of their target' },
  },
  decide(ctx) {
    const p = ctx.params;
    if (!due(ctx, 'last_rebalance', p.rebalance_blocks)) return;
    const years = p.horizon_days / 365;
    const rootGain = ctx.yields.rootApr() * years;
    const size = ctx.portfolio.valueSpot / p.n;
    const scored: { netuid: number; edge: number }[] = [];
    for (const s of investable(ctx, p.min_pool_tao)) {
      const prices = ctx.history.series(s.netuid, 'price', p.lookback + 1).filter((x) => !Number.isNaN(x));
      if (prices.length > 1 && prices[prices.length - 1]! < prices[0]! * (1 - p.max_price_drop)) continue;
      const entry = ctx.quote.stake(s.netuid, size);
      if (entry.rejected) continue;
      const exit = ctx.quote.unstake(s.netuid, entry.output);
      if (exit.rejected) continue;
      const roundTripCost = 1 - exit.output / size;
      const edge = ctx.yields.alphaApr(s.netuid) * years - roundTripCost - rootGain;
      if (edge > p.min_edge) scored.push({ netuid: s.netuid, edge });
    }
    scored.sort((a, b) => b.edge - a.edge || a.netuid - b.netuid);
    const chosen = scored.slice(0, p.n).map((x) => x.netuid);
    const alphaShare = chosen.length / p.n;
    return { targets: { root: 1 - alphaShare, subnets: equalWeights(chosen, alphaShare) } };
  },
});
