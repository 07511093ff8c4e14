/**
 * What `dtao status` shows of a paper account, computed from the state file alone: the
 * portfolio, its value at the last tick at spot and at liquidation, profit and loss against
 * holding TAO and against 100% root, the last ticks, and the model-vs-chain quote error.
 * Amounts are exact decimal text; returns are fractions.
 */
import { formatAmount, parseAmount, parseSignedAmount } from '../core/units.ts';
import { quoteStats } from './quote-check.ts';
import { ROOT_RUN, STRATEGY_RUN, type PaperStateJson } from './state.ts';

export interface ValuePair {
  spot: string;
  liquidation: string;
}

export interface PnlPair extends ValuePair {
  /** As a fraction of the capital. */
  spot_return: number;
  liquidation_return: number;
}

export interface StatusTick {
  seq: number;
  block: number;
  time: string;
  trades: number;
  rejected: number;
  /** Other events: root-dividend claims, deregistration payouts. */
  events: number;
  value_spot: string;
  value_liquidation: string;
  root_100_spot: string;
}

export interface PaperStatus {
  strategy: string;
  params: Record<string, number | boolean | string>;
  capital: string;
  genesis_hash: string;
  settings: PaperStateJson['settings'];
  ticks: number;
  first_tick: { block: number; time: string } | null;
  last_tick: { block: number; time: string; hash: string } | null;
  portfolio: { free: string; root: string; alpha: Record<string, string>; claimable: Record<string, string> };
  value: { strategy: ValuePair; hold_tao: ValuePair; root_100: ValuePair };
  pnl: { vs_hold_tao: PnlPair; vs_root_100: PnlPair };
  last_ticks: StatusTick[];
  quotes: {
    compared: number;
    unavailable: number;
    mean_abs_rel_error: number | null;
    max_abs_rel_error: number | null;
    max_abs_diff_rao: string;
    worst: { block: number; netuid: number; side: string; amount_rao: string; rel_error: number } | null;
  };
  notes: string[];
}

function ratio(num: bigint, den: bigint): number {
  return den === 0n ? 0 : Number(num) / Number(den);
}

export function paperStatus(state: PaperStateJson, lastN = 10): PaperStatus {
  const capital = parseAmount(state.identity.capital);
  const capitalText = formatAmount(capital);
  const lastTick = state.ticks.at(-1);
  const value = (key: typeof STRATEGY_RUN | typeof ROOT_RUN): ValuePair =>
    lastTick ? { spot: lastTick.marks[key].value_spot, liquidation: lastTick.marks[key].value_liquidation } : { spot: capitalText, liquidation: capitalText };
  const mine = value(STRATEGY_RUN);
  const root = value(ROOT_RUN);
  const pnl = (against: ValuePair): PnlPair => {
    const s = parseSignedAmount(mine.spot) - parseSignedAmount(against.spot);
    const l = parseSignedAmount(mine.liquidation) - parseSignedAmount(against.liquidation);
    return { spot: formatAmount(s), liquidation: formatAmount(l), spot_return: ratio(s, capital), liquidation_return: ratio(l, capital) };
  };
  const p = state.runs[STRATEGY_RUN].portfolio;
  const stats = quoteStats(state.ticks);
  const lastTicks = state.ticks.slice(-lastN).map((t): StatusTick => {
    const fills = t.marks[STRATEGY_RUN].fills;
    const isTrade = (type: string) => type === 'stake' || type === 'unstake' || type === 'move';
    return {
      seq: t.seq, block: t.block, time: t.time,
      trades: fills.filter((f) => isTrade(f.type) && f.status !== 'rejected').length,
      rejected: fills.filter((f) => f.status === 'rejected').length,
      events: fills.filter((f) => !isTrade(f.type)).length,
      value_spot: t.marks[STRATEGY_RUN].value_spot, value_liquidation: t.marks[STRATEGY_RUN].value_liquidation,
      root_100_spot: t.marks[ROOT_RUN].value_spot,
    };
  });
  return {
    strategy: state.identity.strategy,
    params: state.identity.params,
    capital: capitalText,
    genesis_hash: state.identity.genesis_hash,
    settings: state.settings,
    ticks: state.ticks.length,
    first_tick: state.ticks.length ? { block: state.ticks[0]!.block, time: state.ticks[0]!.time } : null,
    last_tick: lastTick ? { block: lastTick.block, time: lastTick.time, hash: lastTick.hash } : null,
    portfolio: { free: p.free, root: p.root, alpha: p.alpha, claimable: p.claimable },
    value: { strategy: mine, hold_tao: { spot: capitalText, liquidation: capitalText }, root_100: root },
    pnl: { vs_hold_tao: pnl({ spot: capitalText, liquidation: capitalText }), vs_root_100: pnl(root) },
    last_ticks: lastTicks,
    quotes: {
      compared: stats.compared,
      unavailable: stats.unavailable,
      mean_abs_rel_error: stats.meanAbsRelError,
      max_abs_rel_error: stats.maxAbsRelError,
      max_abs_diff_rao: stats.maxAbsDiffRao.toString(),
      worst: stats.worst ? { block: stats.worst.block, netuid: stats.worst.netuid, side: stats.worst.side, amount_rao: stats.worst.amountRao, rel_error: stats.worst.relError } : null,
    },
    notes: state.runs[STRATEGY_RUN].notes,
  };
}
