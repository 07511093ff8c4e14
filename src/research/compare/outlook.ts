/**
 * A subnet as it stands at one snapshot, for someone about to stake `amount` TAO into it:
 * the yield a dashboard would advertise (the headline), what a round trip in and out costs at
 * that pool depth, and the break-even holding time: how long the alpha yield takes to repay
 * that round trip.
 *
 * The round trip pays the entry's fee and slippage and the exit's fee and slippage, each at the
 * pool's depth as it is: the exit sells into the pool without the entry's price impact in it
 * (the engine's transient-impact market). Selling straight back into the pool one has just
 * moved would return the input less the fees alone, which is not what a holder faces.
 *
 * Break-even assumes the price stays where it is and the round trip keeps costing the same
 * fraction: after n epochs the position is worth (1 - c)(1 + g)^n of the amount, with c the
 * round-trip cost and g the per-epoch alpha yield of our position (our own stake included in
 * the denominator, as the engine credits it). Against doing nothing that is n = ln(1/(1-c)) /
 * ln(1+g); against root, whose TAO grows by its own daily rate h, the days solve
 * (1-c)(1+g)^(e*d) = (1+h)^d with e epochs a day, and there is none when alpha grows no faster.
 */
import type { Dataset } from '../../data/dataset.ts';
import { Portfolio } from '../../core/portfolio.ts';
import { curveByName } from '../../core/pool/index.ts';
import { alphaEpochReward, takeToU16 } from '../../core/yield.ts';
import { BLOCKS_PER_DAY } from '../../core/snapshot.ts';
import { MarketView } from '../../engine/market.ts';
import { executeOrder } from '../../engine/executor.ts';
import { buildContext } from '../../engine/context.ts';
import { yieldTableFor } from '../../engine/yield-table.ts';
import type { ModelConfig } from '../../engine/model.ts';
import type { YieldView } from '../../strategy/types.ts';
import { legCapital } from './legs.ts';

/** The model's advertised yields at snapshot `index`: the same view a strategy gets. */
export function headlineYields(data: Dataset, model: ModelConfig, index: number): YieldView {
  const market = new MarketView(data, curveByName(model.curve), model.impact, model.defaultFeeRate);
  market.moveTo(index);
  const table = yieldTableFor(data, model.assumptions);
  return buildContext({ market, portfolio: new Portfolio(0n), model, table, params: {}, state: {}, step: 0 }).yields;
}

export interface RoundTrip {
  /** Alpha the entry bought. */
  alpha: bigint;
  /** TAO back after unstaking straight away, net of both transaction fees. */
  taoBack: bigint;
  /** 1 - taoBack / amount. */
  cost: number;
}

/**
 * Stake `amount` and unstake it all through the executor, both against the pool as it stands at
 * snapshot `index` (the entry's impact cleared before the exit), on a scratch market.
 */
export function roundTrip(data: Dataset, model: ModelConfig, index: number, netuid: number, amount: bigint): RoundTrip | { rejected: string } {
  const market = new MarketView(data, curveByName(model.curve), 'transient', model.defaultFeeRate);
  market.moveTo(index);
  const capital = legCapital(amount, model);
  const portfolio = new Portfolio(capital);
  const ctx = { market, portfolio, model, step: 0, time: data.meta.timeText[index]! };
  const buy = executeOrder(ctx, { type: 'stake', netuid, tao: amount });
  if (buy.status === 'rejected') return { rejected: buy.reason ?? 'stake refused' };
  market.moveTo(index);
  const sell = executeOrder(ctx, { type: 'unstake', netuid, alpha: 'all' });
  if (sell.status === 'rejected') return { rejected: sell.reason ?? 'unstake refused' };
  const taoBack = portfolio.free - (capital - amount);
  return { alpha: buy.output, taoBack, cost: 1 - Number(taoBack) / Number(amount) };
}

export interface Outlook {
  netuid: number;
  name: string | undefined;
  /** Pool TAO reserve, TAO. */
  poolTao: number;
  /** Headline alpha yield (simple annual rate, as the strategy context reports it). */
  headlineApr: number;
  /** Round-trip cost of `amount` as a fraction; null when the pool refuses the trade. */
  roundTripCost: number | null;
  /** Alpha yield per epoch of a position of that size. */
  epochYield: number | null;
  breakEvenDays: number | null;
  breakEvenVsRootDays: number | null;
  rejected?: string;
}

export function outlook(data: Dataset, model: ModelConfig, index: number, netuid: number, amount: bigint, yields: YieldView = headlineYields(data, model, index)): Outlook {
  const row = data.rowOf(index, netuid);
  const c = data.cols;
  const name = row >= 0 && c.nameId[row]! >= 0 ? data.meta.names[c.nameId[row]!] : undefined;
  const base: Outlook = {
    netuid, name, poolTao: row >= 0 ? c.taoInTao[row]! : NaN, headlineApr: row >= 0 ? yields.alphaApr(netuid) : NaN,
    roundTripCost: null, epochYield: null, breakEvenDays: null, breakEvenVsRootDays: null,
  };
  if (row < 0) return { ...base, rejected: `subnet ${netuid} is not in the snapshot at block ${c.block[index]}` };
  const trip = roundTrip(data, model, index, netuid, amount);
  if ('rejected' in trip) return { ...base, rejected: trip.rejected };
  const table = yieldTableFor(data, model.assumptions);
  table.ensure(index);
  const reward = alphaEpochReward(table.valPerEpoch[row]!, table.staked[row]!, trip.alpha, takeToU16(model.take));
  const g = Number(reward) / Number(trip.alpha);
  const epochsPerDay = BLOCKS_PER_DAY / (table.tempo[row]! + 1);
  const lossLog = Math.log(1 / (1 - trip.cost));
  const alphaLog = epochsPerDay * Math.log1p(g);
  const rootLog = Math.log1p(yields.rootApr() / 365);
  const days = (rate: number) => (trip.cost <= 0 ? 0 : rate > 0 && Number.isFinite(lossLog) ? lossLog / rate : null);
  return { ...base, roundTripCost: trip.cost, epochYield: g, breakEvenDays: days(alphaLog), breakEvenVsRootDays: days(alphaLog - rootLog) };
}
