/**
 * One leg of the compare question, run through the backtest engine: stake `amount` TAO into
 * one subnet's alpha (or on root, netuid 0) at a window's first snapshot, hold, and unstake at
 * its last. Entry and exit go through the pool with fees and slippage, yield accrues epoch by
 * epoch, and root dividends are claimed on the chain's schedule: all of it the engine's code.
 *
 * The engine is causal (nothing at step k depends on later snapshots), so a run from `start`
 * to a later end is a prefix of a longer run from the same start. One engine run therefore
 * serves every window that starts at the same snapshot, whatever its horizon: at each window
 * end the position is valued at what unstaking it there would return (the exact liquidation
 * value after the exit swap's fee and slippage, less the exit's transaction fee). A test holds
 * this equal to a backtest run that really places the exit order.
 */
import type { Dataset } from '../../data/dataset.ts';
import { Portfolio } from '../../core/portfolio.ts';
import { defineStrategy, type Strategy } from '../../strategy/types.ts';
import { Engine } from '../../engine/engine.ts';
import type { ModelConfig } from '../../engine/model.ts';
import { exactValues } from '../../backtest/run.ts';
import { alphaLiquidationValue } from '../../core/valuation.ts';

/** Stake `amount` rao on `netuid` (0 = root) at the first step, then hold. */
export function stakeAndHold(netuid: number, amount: bigint): Strategy {
  return defineStrategy({
    name: netuid === 0 ? 'stake-root-and-hold' : `stake-${netuid}-and-hold`,
    description: 'Stake a fixed amount at the first step and hold it.',
    params: {},
    decide(ctx) {
      if (ctx.step === 0) return { orders: [{ type: 'stake', netuid, tao: amount }] };
    },
  });
}

/** Capital a leg starts with: the amount plus the transaction fees of entry and exit. */
export function legCapital(amount: bigint, model: ModelConfig): bigint {
  return amount + 2n * model.txFee;
}

export type LegStatus = 'ok' | 'entry_rejected' | 'exit_rejected' | 'deregistered';

export interface LegOutcome {
  /** Dataset index of the window's last snapshot. */
  end: number;
  status: LegStatus;
  /** Everything the leg holds after unstaking at `end`, rao (free TAO, exit proceeds, unclaimed root dividends at spot). */
  value: bigint;
  /** Alpha bought at entry and alpha earned as yield up to `end` (0 for root). */
  alphaBought: bigint;
  alphaEarned: bigint;
  /** Why the entry was refused, when it was. */
  reason?: string;
}

/**
 * Runs one leg from dataset index `start` and values it at each index of `ends` (ascending,
 * all after `start`).
 */
export function runLeg(data: Dataset, model: ModelConfig, netuid: number, amount: bigint, start: number, ends: readonly number[]): LegOutcome[] {
  if (ends.length === 0) return [];
  for (let k = 0; k < ends.length; k++) {
    if (!(ends[k]! > (k === 0 ? start : ends[k - 1]!) && ends[k]! < data.snapshotCount)) throw new RangeError(`window ends must ascend after the start (${start}) within the data: ${ends.join(', ')}`);
  }
  const capital = legCapital(amount, model);
  const portfolio = new Portfolio(capital);
  const engine = new Engine({ data, strategy: stakeAndHold(netuid, amount), params: {}, model, portfolio });
  const entry = engine.step(start).fills.find((f) => f.type === 'stake');
  if (!entry || entry.status === 'rejected') {
    return ends.map((end) => ({ end, status: 'entry_rejected', value: capital, alphaBought: 0n, alphaEarned: 0n, reason: entry?.reason ?? 'no entry' }));
  }
  const alphaBought = netuid === 0 ? 0n : entry.output;
  const out: LegOutcome[] = [];
  let k = 0;
  for (let i = start + 1; k < ends.length; i++) {
    engine.step(i);
    if (i !== ends[k]) continue;
    k++;
    const { liquidation } = exactValues(engine);
    const held = netuid === 0 ? portfolio.root : portfolio.alphaOf(netuid);
    let status: LegStatus = 'ok';
    let value = liquidation;
    if (held > 0n) {
      // What the exit unstake pays: the pool's output (in `liquidation`) less its transaction fee.
      if (netuid !== 0) {
        const pool = engine.market.pool(netuid);
        if (!pool || alphaLiquidationValue(engine.market.curve, pool, held) === 0n) status = 'exit_rejected';
      }
      value -= model.txFee;
    } else if (netuid !== 0) status = 'deregistered';
    out.push({ end: i, status, value, alphaBought, alphaEarned: netuid === 0 ? 0n : portfolio.alphaEarned.get(netuid) ?? 0n });
  }
  return out;
}
