/**
 * The running check of our pool model against the chain. Every filled stake and unstake (and
 * each pool leg of a move) is quoted twice for the same amount on the pools of the tick's
 * snapshot: by our model (src/core/stake.ts on the observed reserves, without our own impact
 * flows) and by the chain's `SwapRuntimeApi.sim_swap_*` at the same block hash. Both outputs
 * and their difference are kept. Root legs are 1:1 and not checked. Both quotes include the
 * swap fee, also for a move's buy leg (which the move itself makes fee-free): what is compared
 * is the pool math, on identical inputs.
 */
import { buyAlpha, sellAlpha } from '../core/stake.ts';
import { curveByName } from '../core/pool/index.ts';
import type { Dataset } from '../data/dataset.ts';
import type { Fill } from '../engine/fill.ts';
import { MarketView } from '../engine/market.ts';
import type { ModelConfig } from '../engine/model.ts';
import type { ChainQuote } from '../chain/quotes.ts';
import type { QuoteCheckJson } from './state.ts';

/** What the check needs from the chain client. */
export interface ChainQuoter {
  quoteStake(netuid: number, taoRao: bigint, at: string): Promise<ChainQuote | undefined>;
  quoteUnstake(netuid: number, alphaRao: bigint, at: string): Promise<ChainQuote | undefined>;
}

export interface QuoteLeg {
  fill: number;
  leg: QuoteCheckJson['leg'];
  netuid: number;
  side: 'stake' | 'unstake';
  amount: bigint;
}

/** The pool swaps inside a tick's fills, in order. */
export function quoteLegs(fills: readonly Fill[]): QuoteLeg[] {
  const legs: QuoteLeg[] = [];
  fills.forEach((f, k) => {
    if (f.status === 'rejected') return;
    if (f.type === 'stake' && f.netuid !== undefined && f.netuid !== 0) legs.push({ fill: k, leg: 'stake', netuid: f.netuid, side: 'stake', amount: f.input });
    if (f.type === 'unstake' && f.netuid !== undefined && f.netuid !== 0) legs.push({ fill: k, leg: 'unstake', netuid: f.netuid, side: 'unstake', amount: f.input });
    if (f.type === 'move' && f.from !== undefined && f.to !== undefined) {
      if (f.from !== 0) legs.push({ fill: k, leg: 'move_sell', netuid: f.from, side: 'unstake', amount: f.input });
      const via = f.from === 0 ? f.input : f.viaTao;
      if (f.to !== 0 && via !== undefined && via > 0n) legs.push({ fill: k, leg: 'move_buy', netuid: f.to, side: 'stake', amount: via });
    }
  });
  return legs;
}

/** Our model's output for a leg on the observed pool at snapshot `index`; a reason if it refuses. */
export function modelOutput(data: Dataset, index: number, model: ModelConfig, leg: QuoteLeg): bigint | string {
  const market = new MarketView(data, curveByName(model.curve), 'transient', model.defaultFeeRate);
  market.moveTo(index);
  const pool = market.pool(leg.netuid);
  if (!pool) return `subnet ${leg.netuid} is not in the snapshot`;
  // The runtime API simulates the swap alone: no minimum-stake rule (that is the extrinsic's).
  if (leg.side === 'stake') {
    const r = buyAlpha(market.curve, pool, leg.amount, { minStake: 0n });
    return r.status === 'rejected' ? r.reason ?? 'rejected' : r.alphaOut;
  }
  const r = sellAlpha(market.curve, pool, leg.amount, { minStake: 0n, remaining: 0n });
  return r.status === 'rejected' ? r.reason ?? 'rejected' : r.taoOut;
}

function errorText(err: unknown): string {
  return (err as Error)?.message?.split('\n')[0] ?? String(err);
}

/** Relative error model vs chain; null where the chain gave nothing to compare with. */
export function relativeError(modelOut: bigint, chainOut: bigint): number | null {
  if (chainOut === 0n) return modelOut === 0n ? 0 : null;
  return Number(modelOut - chainOut) / Number(chainOut);
}

/**
 * Checks every leg of a tick's fills. Never throws: a quote the chain cannot give (no runtime
 * API, a failed request) is recorded as unavailable with the reason.
 */
export async function checkQuotes(quoter: ChainQuoter, blockHash: string, data: Dataset, index: number, model: ModelConfig, fills: readonly Fill[]): Promise<QuoteCheckJson[]> {
  const out: QuoteCheckJson[] = [];
  for (const leg of quoteLegs(fills)) {
    const modelOut = modelOutput(data, index, model, leg);
    let chain: ChainQuote | undefined;
    let unavailable: string | undefined;
    try {
      chain = leg.side === 'stake' ? await quoter.quoteStake(leg.netuid, leg.amount, blockHash) : await quoter.quoteUnstake(leg.netuid, leg.amount, blockHash);
      if (!chain) unavailable = 'the runtime has no SwapRuntimeApi quote';
    } catch (err) {
      unavailable = `chain quote failed: ${errorText(err)}`;
    }
    const chainOut = chain ? (leg.side === 'stake' ? chain.alphaAmount : chain.taoAmount) : undefined;
    const modelRao = typeof modelOut === 'bigint' ? modelOut : undefined;
    const check: QuoteCheckJson = {
      fill: leg.fill, leg: leg.leg, netuid: leg.netuid, side: leg.side, amount_rao: leg.amount.toString(),
      model_out_rao: modelRao?.toString() ?? null,
      chain_out_rao: chainOut?.toString() ?? null,
      diff_rao: modelRao !== undefined && chainOut !== undefined ? (modelRao - chainOut).toString() : null,
      rel_error: modelRao !== undefined && chainOut !== undefined ? relativeError(modelRao, chainOut) : null,
    };
    if (unavailable) check.unavailable = unavailable;
    else if (modelRao === undefined) check.unavailable = `our model refused the swap: ${modelOut as string}`;
    else if (check.rel_error === null) check.unavailable = 'the chain refused the swap (zero output)';
    out.push(check);
  }
  return out;
}

export interface QuoteStats {
  /** Legs with both quotes. */
  compared: number;
  unavailable: number;
  meanAbsRelError: number | null;
  maxAbsRelError: number | null;
  /** Largest absolute difference, rao. */
  maxAbsDiffRao: bigint;
  /** The leg with the largest relative error. */
  worst: { block: number; netuid: number; side: string; amountRao: string; relError: number } | undefined;
}

export function quoteStats(ticks: readonly { block: number; quotes: readonly QuoteCheckJson[] }[]): QuoteStats {
  let compared = 0;
  let unavailable = 0;
  let sum = 0;
  let max: number | null = null;
  let maxDiff = 0n;
  let worst: QuoteStats['worst'];
  for (const t of ticks) {
    for (const q of t.quotes) {
      if (q.rel_error === null || q.unavailable !== undefined) {
        unavailable++;
        continue;
      }
      compared++;
      const a = Math.abs(q.rel_error);
      sum += a;
      if (max === null || a > max) {
        max = a;
        worst = { block: t.block, netuid: q.netuid, side: q.side, amountRao: q.amount_rao, relError: q.rel_error };
      }
      const d = BigInt(q.diff_rao!);
      const ad = d < 0n ? -d : d;
      if (ad > maxDiff) maxDiff = ad;
    }
  }
  return { compared, unavailable, meanAbsRelError: compared ? sum / compared : null, maxAbsRelError: max, maxAbsDiffRao: maxDiff, worst };
}
