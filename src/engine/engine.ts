/**
 * One step of a run, the same for every driver: credit the yield earned since the last step,
 * claim root dividends when due, pay out deregistered subnets, ask the strategy, turn its
 * decision into orders, fill them through the pool model, and mark the portfolio.
 *
 * The backtester calls `step` for each snapshot of a file; the paper loop calls it for each
 * snapshot it reads from the chain. Neither has any trading logic of its own.
 */
import type { Dataset } from '../data/dataset.ts';
import { Portfolio } from '../core/portfolio.ts';
import { curveByName } from '../core/pool/index.ts';
import { takeToU16 } from '../core/yield.ts';
import { alphaLiquidationValueF, alphaValueAtSpotF } from '../core/valuation.ts';
import type { Decision, Strategy } from '../strategy/types.ts';
import { MarketView } from './market.ts';
import type { ModelConfig } from './model.ts';
import { yieldTableFor, type YieldTable } from './yield-table.ts';
import { accrue, claimRootDividends, settleDeregistrations, type AccrualContext } from './accrual.ts';
import { buildContext } from './context.ts';
import { executeOrders, OrderError } from './executor.ts';
import { normaliseTargets, planBuys, planRebalance } from './rebalance.ts';
import type { Fill } from './fill.ts';

const RAO = 1e9;

export interface StepResult {
  index: number;
  block: number;
  fills: Fill[];
  /** Marks after the step's trades (TAO, doubles). */
  equitySpot: number;
  equityLiquidation: number;
  /** TAO value at spot of root, after trades. */
  rootValue: number;
}

/** Receives the spot value (TAO) of each position at the end of a step. */
export type PositionSink = (netuid: number, valueSpot: number) => void;

export interface EngineOptions {
  data: Dataset;
  strategy: Strategy;
  params: Readonly<Record<string, unknown>>;
  model: ModelConfig;
  portfolio: Portfolio;
  /** The strategy's memory from a previous session (paper restart); default empty. */
  state?: Record<string, unknown>;
}

/** An error raised by the strategy's own code, with the step it happened at. */
export class StrategyError extends Error {
  constructor(readonly strategy: string, readonly block: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class Engine {
  readonly market: MarketView;
  readonly portfolio: Portfolio;
  readonly table: YieldTable;
  readonly state: Record<string, unknown>;
  private readonly takeU16: number;
  private prev = -1;
  stepCount = 0;
  /** Name ids of subnets held, to notice a netuid changing hands (a name change while held). */
  private readonly heldNames = new Map<number, number>();
  /** Held subnets whose name changed: netuid -> "old -> new at block B" (first change). */
  readonly renamed = new Map<number, string>();

  constructor(private readonly opts: EngineOptions) {
    this.market = new MarketView(opts.data, curveByName(opts.model.curve), opts.model.impact, opts.model.defaultFeeRate);
    this.portfolio = opts.portfolio;
    this.table = yieldTableFor(opts.data, opts.model.assumptions);
    this.state = opts.state ?? {};
    this.takeU16 = takeToU16(opts.model.take);
  }

  /** Resumes after index `prev` (used by the paper loop, whose dataset grows). */
  resumeAfter(prev: number, stepCount: number): void {
    this.prev = prev;
    this.stepCount = stepCount;
  }

  step(i: number, onPosition?: PositionSink): StepResult {
    const { data, model, strategy } = this.opts;
    const m = this.market;
    m.moveTo(i);
    const time = data.meta.timeText[i]!;
    const actx: AccrualContext = { portfolio: this.portfolio, market: m, model, table: this.table, takeU16: this.takeU16, step: this.stepCount, time };
    const fills: Fill[] = [];
    if (this.prev >= 0) {
      accrue(actx, this.prev, i);
      fills.push(...settleDeregistrations(actx, this.prev, i));
    }
    fills.push(...claimRootDividends(actx));
    this.checkNames(i);

    const ctx = buildContext({ market: m, portfolio: this.portfolio, model, table: this.table, params: this.opts.params, state: this.state, step: this.stepCount });
    let decision: Decision | void;
    try {
      decision = strategy.decide(ctx as Parameters<Strategy['decide']>[0]);
    } catch (e) {
      throw new StrategyError(strategy.name, m.block, `strategy "${strategy.name}" failed at block ${m.block}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    }
    if (decision) {
      try {
        fills.push(...this.execute(decision, time));
      } catch (e) {
        if (e instanceof OrderError) throw new StrategyError(strategy.name, m.block, `strategy "${strategy.name}" at block ${m.block}: ${e.message}`, { cause: e });
        throw e;
      }
    }
    this.prev = i;
    this.stepCount++;
    return this.mark(i, fills, onPosition);
  }

  private execute(d: Decision, time: string): Fill[] {
    const { model, params } = this.opts;
    const exec = { market: this.market, portfolio: this.portfolio, model, step: this.stepCount, time };
    const fills: Fill[] = [];
    if (d.orders && d.orders.length) fills.push(...executeOrders(exec, d.orders));
    if (d.targets) {
      const band = d.band ?? (typeof params.rebalance_band === 'number' ? params.rebalance_band : 0.01);
      const targets = normaliseTargets(d.targets, this.market);
      const plan = planRebalance(this.portfolio, this.market, targets, band, model.minStake, d.limit);
      const sold = executeOrders(exec, plan.sells);
      const delivered = new Map<number, bigint>();
      for (const f of sold) {
        if (f.type === 'move' && f.status !== 'rejected' && f.to !== undefined) delivered.set(f.to, (delivered.get(f.to) ?? 0n) + (f.viaTao ?? 0n));
      }
      fills.push(...sold, ...executeOrders(exec, planBuys(plan, this.portfolio, delivered, model.minStake, model.txFee)));
    }
    return fills;
  }

  private checkNames(i: number): void {
    const c = this.opts.data.cols;
    const names = this.opts.data.meta.names;
    for (const netuid of this.portfolio.heldNetuids()) {
      const r = this.opts.data.rowOf(i, netuid);
      if (r < 0) continue;
      const id = c.nameId[r]!;
      if (id < 0) continue;
      const before = this.heldNames.get(netuid);
      if (before === id) continue;
      if (before !== undefined && !this.renamed.has(netuid)) {
        this.renamed.set(netuid, `${netuid} ("${names[before]}" -> "${names[id]}" at block ${c.block[i]})`);
      }
      this.heldNames.set(netuid, id);
    }
  }

  /** Things the user should know about this run, one line each. */
  notes(): string[] {
    const out: string[] = [];
    if (this.renamed.size > 0) {
      const list = [...this.renamed.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
      out.push(`${list.length} held subnet(s) changed name while held, which can mean deregistration and re-registration; positions were kept: ${list.join(', ')}`);
    }
    for (const nu of [...this.market.clamped].sort((a, b) => a - b)) {
      out.push(`our cumulative trades would have drained subnet ${nu}'s pool below the minimum reserve; its reserves were held at the minimum`);
    }
    return out;
  }

  /** Spot and liquidation marks of the portfolio at snapshot i (doubles, for series). */
  mark(i: number, fills: Fill[], onPosition?: PositionSink): StepResult {
    const p = this.portfolio;
    const m = this.market;
    const c = this.opts.data.cols;
    const base = Number(p.free + p.root) / RAO;
    let spot = base;
    let liq = base;
    const held = p.heldNetuids();
    for (let k = 0; k < held.length; k++) {
      const netuid = held[k]!;
      const r = m.data.rowOf(i, netuid);
      if (r < 0) continue;
      m.reservesF(netuid, r);
      const y = m.fy;
      const x = m.fx;
      const w = c.quoteWeight[r]!;
      const fee = c.feeRate[r]!;
      const a = p.alphaMark(netuid);
      const q = w === w ? w : 0.5;
      const v = alphaValueAtSpotF(y, x, a, q);
      onPosition?.(netuid, v);
      spot += v;
      liq += alphaLiquidationValueF(y, x, a, fee >= 0 ? fee : this.opts.model.defaultFeeRate, q);
    }
    // Root dividends accrued but not yet claimed count at spot.
    for (const [netuid, alpha] of p.claimable) {
      const r = m.data.rowOf(i, netuid);
      if (r < 0) continue;
      const v = (Number(alpha) / RAO) * c.price[r]!;
      spot += v;
      liq += v;
    }
    return { index: i, block: c.block[i]!, fills, equitySpot: spot, equityLiquidation: liq, rootValue: Number(p.root) / RAO };
  }
}

export function newPortfolio(capitalRao: bigint): Portfolio {
  return new Portfolio(capitalRao);
}
