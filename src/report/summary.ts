/**
 * The metrics of one run, as they appear in report.json (`runs[]`): TAO amounts as exact
 * decimal strings, ratios as numbers (null where undefined, e.g. a Sharpe ratio of a flat line).
 *
 * Returns are honest: `total_return` is measured on the liquidation value (what unstaking
 * everything at the end returns); `total_return_spot` on the spot mark. Risk statistics
 * (volatility, Sharpe, Sortino, drawdown) use the spot mark resampled on a regular grid.
 */
import { formatAmount } from '../core/units.ts';
import type { RunResult } from '../backtest/run.ts';
import { gridStepMs, periodReturns, periodsPerYear, resample } from './metrics/grid.ts';
import { annualizedReturn, totalReturn } from './metrics/returns.ts';
import { volatility } from './metrics/volatility.ts';
import { sharpe } from './metrics/sharpe.ts';
import { sortino } from './metrics/sortino.ts';
import { drawdown } from './metrics/drawdown.ts';
import { calmar } from './metrics/calmar.ts';
import { timeHeld } from './metrics/exposure.ts';

export interface RunMetrics {
  name: string;
  kind: 'strategy' | 'benchmark';
  params: Record<string, unknown>;
  initial_value: string;
  final_value_spot: string;
  final_value_liquidation: string;
  total_return: number | null;
  total_return_spot: number | null;
  annualized_return: number | null;
  volatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  max_drawdown: number | null;
  max_drawdown_liquidation: number | null;
  max_drawdown_duration_days: number | null;
  calmar: number | null;
  turnover: string;
  turnover_ratio: number | null;
  fees_paid: string;
  slippage_paid: string;
  tx_fees_paid: string;
  yield_root: string;
  yield_alpha: string;
  deregistration_payouts: string;
  trades: number;
  rejected_orders: number;
  time_in_root: number | null;
  time_in_subnets: Record<string, number>;
  final_portfolio: { free: string; root: string; alpha: Record<string, string> };
  notes: string[];
}

/** Non-finite numbers become null; finite ones are rounded to 12 significant digits so the
 *  JSON does not depend on the last bits of floating-point summation order. */
export function num(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  return Number(x.toPrecision(12));
}

export function summarize(r: RunResult): RunMetrics {
  const s = r.series;
  const initial = Number(r.initial) / 1e9;
  const step = gridStepMs(s.timeMs);
  const grid = resample(s.timeMs, s.equitySpot, step);
  const rets = periodReturns(grid);
  const ppy = periodsPerYear(step);
  const span = s.timeMs.length ? s.timeMs[s.timeMs.length - 1]! - s.timeMs[0]! : 0;
  const total = totalReturn(initial, Number(r.finalLiquidation) / 1e9);
  const ann = annualizedReturn(total, span);
  const dd = drawdown(s.timeMs, s.equitySpot);
  const ddLiq = drawdown(s.timeMs, s.equityLiquidation);
  const t = r.portfolio.totals;
  const timeInSubnets: Record<string, number> = {};
  for (const netuid of [...s.alphaValue.keys()].sort((a, b) => a - b)) {
    const f = timeHeld(s.timeMs, s.alphaValue.get(netuid)!);
    if (f > 0) timeInSubnets[String(netuid)] = num(f)!;
  }
  const p = r.portfolio;
  return {
    name: r.spec.name,
    kind: r.spec.kind,
    params: { ...r.spec.params },
    initial_value: formatAmount(r.initial),
    final_value_spot: formatAmount(r.finalSpot),
    final_value_liquidation: formatAmount(r.finalLiquidation),
    total_return: num(total),
    total_return_spot: num(totalReturn(initial, Number(r.finalSpot) / 1e9)),
    annualized_return: num(ann),
    volatility: num(volatility(rets, ppy)),
    sharpe: num(sharpe(rets, ppy)),
    sortino: num(sortino(rets, ppy)),
    max_drawdown: num(dd.maxDrawdown),
    max_drawdown_liquidation: num(ddLiq.maxDrawdown),
    max_drawdown_duration_days: num(dd.maxDurationMs / 86_400_000),
    calmar: num(calmar(ann, dd.maxDrawdown)),
    turnover: formatAmount(t.turnover),
    turnover_ratio: num(Number(t.turnover) / Number(r.initial)),
    fees_paid: formatAmount(t.feesTao),
    slippage_paid: formatAmount(t.slippageTao),
    tx_fees_paid: formatAmount(t.txFees),
    yield_root: formatAmount(t.yieldRoot),
    yield_alpha: formatAmount(t.yieldAlpha),
    deregistration_payouts: formatAmount(t.deregistrationPayouts),
    trades: r.fills.filter((f) => f.status !== 'rejected' && (f.type === 'stake' || f.type === 'unstake' || f.type === 'move')).length,
    rejected_orders: r.fills.filter((f) => f.status === 'rejected').length,
    time_in_root: num(timeHeld(s.timeMs, s.rootValue)),
    time_in_subnets: timeInSubnets,
    final_portfolio: {
      free: formatAmount(p.free),
      root: formatAmount(p.root),
      alpha: Object.fromEntries(p.heldNetuids().map((n) => [String(n), formatAmount(p.alphaOf(n))])),
    },
    notes: r.notes,
  };
}
