/**
 * The executor: turns orders into fills against the market, exactly as the chain would, and
 * applies them to the portfolio. The one place where trades happen, for every driver.
 *
 * Orders run in sequence, each against the pool as the previous ones left it. Root
 * (netuid 0) is 1:1 with no fee. A cross-subnet move sells with the fee and buys fee-free
 * (one fee). An order the chain would refuse (below the minimum, over the limit, more than
 * the free balance) becomes a `rejected` fill with the reason, not an exception; an unstake
 * of more than the position is capped to the position, as on chain.
 */
import type { Portfolio } from '../core/portfolio.ts';
import { buyAlpha, sellAlpha, moveAlpha, type BuyResult, type SellResult } from '../core/stake.ts';
import { alphaValueAtSpot } from '../core/valuation.ts';
import { toRao } from '../core/units.ts';
import type { Amount, LimitSpec, Order } from '../strategy/types.ts';
import type { MarketView } from './market.ts';
import type { ModelConfig } from './model.ts';
import type { Fill } from './fill.ts';

export interface ExecContext {
  market: MarketView;
  portfolio: Portfolio;
  model: ModelConfig;
  step: number;
  time: string;
}

export class OrderError extends Error {}

export function amountToRao(a: Amount, what: string): bigint {
  try {
    const r = toRao(a);
    if (r < 0n) throw new OrderError(`${what} must not be negative, got ${String(a)}`);
    return r;
  } catch (e) {
    if (e instanceof OrderError) throw e;
    throw new OrderError(`${what}: ${String(a)} is not an amount (use a decimal string, a number or rao as a bigint)`);
  }
}

function validLimit(l: LimitSpec | undefined): LimitSpec | undefined {
  if (!l) return undefined;
  if (!(l.tolerance >= 0 && l.tolerance < 1)) throw new OrderError(`limit tolerance must be in [0, 1), got ${l.tolerance}`);
  return l;
}

export function executeOrders(ctx: ExecContext, orders: readonly Order[]): Fill[] {
  const fills: Fill[] = [];
  for (const o of orders) fills.push(executeOrder(ctx, o));
  return fills;
}

export function executeOrder(ctx: ExecContext, o: Order): Fill {
  switch (o.type) {
    case 'stake': return stake(ctx, o.netuid, amountToRao(o.tao, 'stake amount'), validLimit(o.limit));
    case 'unstake': return unstake(ctx, o.netuid, o.alpha, validLimit(o.limit));
    case 'move': return move(ctx, o.from, o.to, o.alpha, validLimit(o.limit));
    default: throw new OrderError(`unknown order type ${JSON.stringify((o as { type: unknown }).type)} (use stake, unstake or move)`);
  }
}

function baseFill(ctx: ExecContext, type: Fill['type']): Fill {
  return {
    step: ctx.step, block: ctx.market.block, time: ctx.time, type, status: 'rejected', input: 0n, inputToken: 'tao', output: 0n,
    outputToken: 'alpha', fee: 0n, feeToken: 'tao', feeTao: 0n, slippageTao: 0n, txFee: 0n, spotBefore: NaN, spotAfter: NaN,
  };
}

function reject(f: Fill, reason: string): Fill {
  f.status = 'rejected';
  f.reason = reason;
  return f;
}

/** Charges the per-extrinsic fee from free TAO; false if it cannot be paid. */
function payTxFee(ctx: ExecContext, f: Fill, fromProceeds = 0n): boolean {
  const fee = ctx.model.txFee;
  if (fee === 0n) return true;
  if (ctx.portfolio.free + fromProceeds < fee) return false;
  ctx.portfolio.free -= fee;
  ctx.portfolio.totals.txFees += fee;
  f.txFee = fee;
  return true;
}

function checkNetuid(netuid: number): void {
  if (!Number.isInteger(netuid) || netuid < 0 || netuid > 65535) throw new OrderError(`netuid must be an integer 0..65535, got ${netuid}`);
}

function recordBuy(ctx: ExecContext, f: Fill, netuid: number, r: BuyResult, chargeFee: boolean): void {
  const m = ctx.market;
  const spotValue = alphaValueAtSpot(m.curve, r.before, r.alphaOut);
  f.slippageTao += r.netTao > spotValue ? r.netTao - spotValue : 0n;
  if (chargeFee) {
    f.fee = r.fee;
    f.feeToken = 'tao';
    f.feeTao += r.fee;
  }
  m.applyTrade(netuid, r.before, r.after);
}

function recordSell(ctx: ExecContext, f: Fill, netuid: number, r: SellResult): void {
  const m = ctx.market;
  const spotValue = alphaValueAtSpot(m.curve, r.before, r.netAlpha);
  f.slippageTao += spotValue > r.taoOut ? spotValue - r.taoOut : 0n;
  f.fee = r.fee;
  f.feeToken = 'alpha';
  f.feeTao += alphaValueAtSpot(m.curve, r.before, r.fee);
  m.applyTrade(netuid, r.before, r.after);
}

function settleTotals(ctx: ExecContext, f: Fill, turnover: bigint): void {
  const t = ctx.portfolio.totals;
  t.feesTao += f.feeTao;
  t.slippageTao += f.slippageTao;
  t.turnover += turnover;
}

function stake(ctx: ExecContext, netuid: number, tao: bigint, limit: LimitSpec | undefined): Fill {
  checkNetuid(netuid);
  const p = ctx.portfolio;
  const f = baseFill(ctx, 'stake');
  f.netuid = netuid;
  f.inputToken = 'tao';
  f.outputToken = 'alpha';
  if (tao <= 0n) return reject(f, 'amount must be positive');
  if (p.free < tao + ctx.model.txFee) return reject(f, 'not enough free TAO');
  if (netuid === 0) {
    if (tao < ctx.model.minStake) return reject(f, 'amount below the minimum stake');
    payTxFee(ctx, f);
    p.free -= tao;
    p.root += tao;
    Object.assign(f, { status: 'filled', input: tao, output: tao, outputToken: 'tao', spotBefore: 1, spotAfter: 1 });
    settleTotals(ctx, f, tao);
    return f;
  }
  const pool = ctx.market.pool(netuid);
  if (!pool) return reject(f, `subnet ${netuid} is not in this snapshot`);
  const curve = ctx.market.curve;
  const spot = curve.spotPrice(pool);
  f.spotBefore = spot;
  const r = buyAlpha(curve, pool, tao, {
    minStake: ctx.model.minStake,
    limitPrice: limit ? spot * (1 + limit.tolerance) : undefined,
    allowPartial: limit?.allowPartial,
  });
  if (r.status === 'rejected') return reject(f, r.reason!);
  payTxFee(ctx, f);
  p.free -= r.taoSpent;
  p.addAlpha(netuid, r.alphaOut);
  f.status = r.status;
  f.input = r.taoSpent;
  f.output = r.alphaOut;
  recordBuy(ctx, f, netuid, r, true);
  f.spotAfter = curve.spotPrice(r.after);
  settleTotals(ctx, f, r.taoSpent);
  return f;
}

function resolveAlpha(held: bigint, amount: Amount | 'all'): bigint {
  if (amount === 'all') return held;
  const a = amountToRao(amount, 'unstake amount');
  return a > held ? held : a;
}

function unstake(ctx: ExecContext, netuid: number, amount: Amount | 'all', limit: LimitSpec | undefined): Fill {
  checkNetuid(netuid);
  const p = ctx.portfolio;
  const f = baseFill(ctx, 'unstake');
  f.netuid = netuid;
  f.inputToken = 'alpha';
  f.outputToken = 'tao';
  if (netuid === 0) {
    const tao = resolveAlpha(p.root, amount);
    f.inputToken = 'tao';
    if (tao <= 0n) return reject(f, 'nothing staked on root');
    if (!payTxFee(ctx, f, tao)) return reject(f, 'not enough TAO for the transaction fee');
    p.root -= tao;
    p.free += tao;
    Object.assign(f, { status: 'filled', input: tao, output: tao, spotBefore: 1, spotAfter: 1 });
    settleTotals(ctx, f, tao);
    return f;
  }
  const held = p.alphaOf(netuid);
  const alpha = resolveAlpha(held, amount);
  if (alpha <= 0n) return reject(f, `no alpha held on subnet ${netuid}`);
  const pool = ctx.market.pool(netuid);
  if (!pool) return reject(f, `subnet ${netuid} is not in this snapshot`);
  const curve = ctx.market.curve;
  const spot = curve.spotPrice(pool);
  f.spotBefore = spot;
  const r = sellAlpha(curve, pool, alpha, {
    minStake: ctx.model.minStake,
    remaining: held - alpha,
    limitPrice: limit ? spot * (1 - limit.tolerance) : undefined,
    allowPartial: limit?.allowPartial,
  });
  if (r.status === 'rejected') return reject(f, r.reason!);
  if (!payTxFee(ctx, f, r.taoOut)) return reject(f, 'not enough TAO for the transaction fee');
  p.addAlpha(netuid, -r.alphaSpent);
  p.free += r.taoOut;
  f.status = r.status;
  f.input = r.alphaSpent;
  f.output = r.taoOut;
  recordSell(ctx, f, netuid, r);
  f.spotAfter = curve.spotPrice(r.after);
  settleTotals(ctx, f, alphaValueAtSpot(curve, r.before, r.alphaSpent));
  return f;
}

function move(ctx: ExecContext, from: number, to: number, amount: Amount | 'all', limit: LimitSpec | undefined): Fill {
  checkNetuid(from);
  checkNetuid(to);
  const p = ctx.portfolio;
  const f = baseFill(ctx, 'move');
  f.from = from;
  f.to = to;
  f.inputToken = from === 0 ? 'tao' : 'alpha';
  f.outputToken = to === 0 ? 'tao' : 'alpha';
  if (from === to) return reject(f, 'origin and destination are the same subnet');
  const curve = ctx.market.curve;
  const minStake = ctx.model.minStake;

  if (from === 0) {
    // Root -> subnet: the root leg is 1:1; the buy leg pays the fee (§3.2).
    const tao = resolveAlpha(p.root, amount);
    if (tao <= 0n) return reject(f, 'nothing staked on root');
    const pool = ctx.market.pool(to);
    if (!pool) return reject(f, `subnet ${to} is not in this snapshot`);
    f.spotBefore = curve.spotPrice(pool);
    const r = buyAlpha(curve, pool, tao, { minStake, limitPrice: limit ? f.spotBefore * (1 + limit.tolerance) : undefined, allowPartial: limit?.allowPartial });
    if (r.status === 'rejected') return reject(f, r.reason!);
    if (!payTxFee(ctx, f)) return reject(f, 'not enough free TAO for the transaction fee');
    p.root -= r.taoSpent;
    p.addAlpha(to, r.alphaOut);
    f.viaTao = r.taoSpent;
    f.status = r.status;
    f.input = r.taoSpent;
    f.output = r.alphaOut;
    recordBuy(ctx, f, to, r, true);
    f.spotAfter = curve.spotPrice(r.after);
    settleTotals(ctx, f, r.taoSpent);
    return f;
  }

  const held = p.alphaOf(from);
  const alpha = resolveAlpha(held, amount);
  if (alpha <= 0n) return reject(f, `no alpha held on subnet ${from}`);
  const origin = ctx.market.pool(from);
  if (!origin) return reject(f, `subnet ${from} is not in this snapshot`);
  f.spotBefore = curve.spotPrice(origin);

  if (to === 0) {
    // Subnet -> root: the sell leg pays the fee; root is 1:1.
    const r = sellAlpha(curve, origin, alpha, { minStake, remaining: held - alpha, limitPrice: limit ? f.spotBefore * (1 - limit.tolerance) : undefined, allowPartial: limit?.allowPartial });
    if (r.status === 'rejected') return reject(f, r.reason!);
    if (r.taoOut <= minStake) return reject(f, 'move returns no more than the minimum stake');
    if (!payTxFee(ctx, f)) return reject(f, 'not enough free TAO for the transaction fee');
    p.addAlpha(from, -r.alphaSpent);
    p.root += r.taoOut;
    f.viaTao = r.taoOut;
    f.status = r.status;
    f.input = r.alphaSpent;
    f.output = r.taoOut;
    recordSell(ctx, f, from, r);
    f.spotAfter = curve.spotPrice(r.after);
    settleTotals(ctx, f, alphaValueAtSpot(curve, r.before, r.alphaSpent));
    return f;
  }

  const dest = ctx.market.pool(to);
  if (!dest) return reject(f, `subnet ${to} is not in this snapshot`);
  const ratio = f.spotBefore / curve.spotPrice(dest);
  const r = moveAlpha(curve, origin, dest, alpha, {
    minStake, remaining: held - alpha, limitRatio: limit ? ratio * (1 - limit.tolerance) : undefined, allowPartial: limit?.allowPartial,
  });
  if (r.status === 'rejected') return reject(f, r.reason!);
  if (!payTxFee(ctx, f)) return reject(f, 'not enough free TAO for the transaction fee');
  p.addAlpha(from, -r.alphaSpent);
  p.addAlpha(to, r.alphaOut);
  f.viaTao = r.taoBetween;
  f.status = r.status;
  f.input = r.alphaSpent;
  f.output = r.alphaOut;
  recordSell(ctx, f, from, r.sell);
  recordBuy(ctx, f, to, r.buy, false);
  f.spotAfter = curve.spotPrice(r.sell.after);
  settleTotals(ctx, f, alphaValueAtSpot(curve, r.sell.before, r.alphaSpent));
  return f;
}

