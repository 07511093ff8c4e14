/**
 * The coinbase of one subnet (mechanics §2.5–2.6): TAO injection capped by root_prop, the
 * fee-free chain buy of the excess TAO, and the alpha emission to participants, split owner /
 * miners / validators / root into the pending maps that the epoch drains.
 *
 * `runCoinbase(s, terms, k)` applies k blocks whose per-block terms are computed once, from the
 * state at the start (k = 1 is exactly one chain block). Per-block amounts are integers, so k
 * blocks add exactly k times each amount. The k chain buys run as one fee-free buy of k times
 * the excess: on a constant-product pool consecutive fee-free buys compose (buying d1 then d2
 * leaves the same reserves as buying d1 + d2, up to one rao of flooring per buy). Within the
 * k blocks the chain buys raise the price and the issuance grows, which moves the injection
 * cap a little from block to block; the terms are therefore taken at the run's midpoint state
 * (predicted from the start), which cancels the first-order drift. The engine keeps runs
 * short (one flow interval at most) and the tests bound the gap to one-by-one stepping.
 */
import { blockEmissionFor, rootProportion, splitAlphaEmission } from '../core/emission.ts';
import { constantProduct } from '../core/pool/index.ts';
import { buyAlpha, type BuyResult } from '../core/stake.ts';
import { nextHalvingIssuance } from './halving.ts';
import type { SwapObserver } from './swap-log.ts';
import type { Ledger, SubnetSim } from './state.ts';

export interface CoinbaseTerms {
  /** T_i: TAO this subnet receives per block, rao. */
  tao: bigint;
  /** SubnetTAO[0] and TaoWeight, for root_proportion = w·R / (w·R + alpha issuance). */
  rootStake: bigint;
  taoWeight: number;
  /** Whether root dividends accrue (sum of EMA prices above 1); else the root share is recycled. */
  rootSellFlag: boolean;
}

export interface InjectionTerms {
  alphaIn: bigint;
  taoIn: bigint;
  excess: bigint;
}

/**
 * alpha_in = min(T / p, root_prop * a); if capped, tao_in = alpha_in * p; excess = T - tao_in.
 * p is the pool price y / x, used as the exact ratio (floors at the end).
 */
export function injectionTerms(taoIn: bigint, alphaIn: bigint, tao: bigint, rootProp: number, alphaEmission: bigint): InjectionTerms {
  if (tao <= 0n || taoIn <= 0n || alphaIn <= 0n) return { alphaIn: 0n, taoIn: 0n, excess: tao > 0n ? tao : 0n };
  const cap = BigInt(Math.floor(rootProp * Number(alphaEmission)));
  const wanted = (tao * alphaIn) / taoIn;
  if (wanted > cap) {
    const taoCapped = (cap * taoIn) / alphaIn;
    return { alphaIn: cap, taoIn: taoCapped, excess: tao - taoCapped };
  }
  return { alphaIn: wanted, taoIn: tao, excess: 0n };
}

/** Applies `blocks` blocks ending at block `endBlock`; `observe` sees the chain buys. */
export function runCoinbase(s: SubnetSim, terms: CoinbaseTerms, blocks: number, ledger: Ledger, endBlock = 0, observe?: SwapObserver): void {
  let left = blocks;
  while (left > 0) {
    const issuance = s.alphaIn + s.alphaOut;
    const a = blockEmissionFor(issuance);
    let rootProp = rootProportion(terms.rootStake, terms.taoWeight, issuance);
    let inj = injectionTerms(s.taoIn, s.alphaIn, terms.tao, rootProp, a);
    let split = splitAlphaEmission(a, rootProp, { rootSellFlag: terms.rootSellFlag });
    let minted = split.owner + split.server + split.validator + split.root;

    // Cut the run where the alpha emission halves: issuance grows by alpha_in + minted per block.
    let n = left;
    const growth = inj.alphaIn + minted;
    if (growth > 0n && s.alphaHalvingAt > issuance) {
      const toHalving = (s.alphaHalvingAt - issuance + growth - 1n) / growth;
      if (toHalving < BigInt(n)) n = Math.max(1, Number(toHalving));
    }
    const N = BigInt(n);

    if (n > 1) {
      // Block j of the run sees the state after j blocks; use the run's average state (to first
      // order, the state after (n - 1) / 2 blocks): predict the end, take the point in between.
      const end = predictEnd(s, inj, N);
      const half = N - 1n;
      const twoN = 2n * N;
      const taoMid = s.taoIn + ((end.taoIn - s.taoIn) * half) / twoN;
      const alphaMid = s.alphaIn + ((end.alphaIn - s.alphaIn) * half) / twoN;
      rootProp = rootProportion(terms.rootStake, terms.taoWeight, issuance + (growth * half) / 2n);
      inj = injectionTerms(taoMid, alphaMid, terms.tao, rootProp, a);
      split = splitAlphaEmission(a, rootProp, { rootSellFlag: terms.rootSellFlag });
      minted = split.owner + split.server + split.validator + split.root;
    }

    // Chain buy first (fee-free, no limit), then the liquidity injection (mechanics §1.5).
    const buyTao = inj.excess * N;
    let bought = 0n;
    const r = chainBuy(s.taoIn, s.alphaIn, buyTao);
    if (observe && r.result) observe({ kind: 'chain-buy', netuid: s.netuid, block: endBlock - left + n, buy: r.result });
    s.taoIn = r.taoIn;
    s.alphaIn = r.alphaIn;
    bought = r.bought;
    s.taoIn += inj.taoIn * N;
    s.alphaIn += inj.alphaIn * N;
    s.alphaOut += minted * N + bought;

    const h = s.holdings;
    h.protocol += bought;
    h.pendingOwner += split.owner * N;
    h.pendingServer += split.server * N;
    h.pendingValidator += split.validator * N;
    h.pendingRoot += split.root * N;

    ledger.taoEmitted += terms.tao * N;
    ledger.taoInjected += inj.taoIn * N;
    ledger.taoChainBuys += buyTao;
    ledger.alphaChainBought += bought;
    ledger.alphaInjected += inj.alphaIn * N;
    ledger.alphaOutMinted += a * N;
    ledger.alphaRecycled += (a - minted) * N;

    s.last = { taoIn: inj.taoIn, alphaIn: inj.alphaIn, alphaOut: a, excessTao: inj.excess };
    if (s.alphaIn + s.alphaOut >= s.alphaHalvingAt) s.alphaHalvingAt = nextHalvingIssuance(s.alphaIn + s.alphaOut);
    left -= n;
  }
}

/** Fee-free chain buy of `tao`; a buy too small for a single alpha-rao still leaves its TAO in the pool. */
function chainBuy(taoIn: bigint, alphaIn: bigint, tao: bigint): { taoIn: bigint; alphaIn: bigint; bought: bigint; result?: BuyResult } {
  if (tao <= 0n) return { taoIn, alphaIn, bought: 0n };
  const r = buyAlpha(constantProduct, { taoIn, alphaIn, feeRate: 0 }, tao, { dropFee: true });
  if (r.status === 'filled') return { taoIn: r.after.taoIn, alphaIn: r.after.alphaIn, bought: r.alphaOut, result: r };
  return { taoIn: taoIn + tao, alphaIn, bought: 0n };
}

/** Pool reserves after n blocks of the given per-block terms. */
function predictEnd(s: SubnetSim, inj: InjectionTerms, n: bigint): { taoIn: bigint; alphaIn: bigint } {
  const r = chainBuy(s.taoIn, s.alphaIn, inj.excess * n);
  return { taoIn: r.taoIn + inj.taoIn * n, alphaIn: r.alphaIn + inj.alphaIn * n };
}
