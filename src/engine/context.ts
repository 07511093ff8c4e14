/**
 * Builds the read-only context a strategy sees at one step. Everything is computed from the
 * current snapshot and the ones before it: the history view is clamped to "now", holds the
 * dataset in a private field the strategy cannot reach, and every object handed out is
 * frozen. Subnet views and series are built lazily, so a strategy pays only for what it reads.
 */
import type { Dataset } from '../data/dataset.ts';
import type { Portfolio } from '../core/portfolio.ts';
import { buyAlpha, sellAlpha } from '../core/stake.ts';
import { alphaValueAtSpotF, alphaLiquidationValueF } from '../core/valuation.ts';
import { BLOCKS_PER_DAY } from '../core/snapshot.ts';
import { indicators } from '../strategy/indicators.ts';
import type {
  HistoryView, PortfolioView, Quote, QuoteView, SeriesField, SnapshotView, StrategyContext, SubnetView, YieldView,
} from '../strategy/types.ts';
import type { MarketView } from './market.ts';
import type { ModelConfig } from './model.ts';
import type { YieldTable } from './yield-table.ts';

const RAO = 1e9;

/** Emission shares of one snapshot: from recorded TAO emission where present, else the
 *  EMA-price share among emission-enabled subnets (the chain's rule, without miner burn). */
export function emissionShares(data: Dataset, i: number): Float64Array {
  const c = data.cols;
  const from = c.rowStart[i]!;
  const to = c.rowStart[i + 1]!;
  const out = new Float64Array(to - from);
  let recorded = true;
  for (let r = from; r < to; r++) if (c.taoInEmission[r]! < 0n) { recorded = false; break; }
  let sum = 0;
  for (let r = from; r < to; r++) {
    let v: number;
    if (recorded) v = Number(c.taoInEmission[r]!) + Math.max(0, Number(c.excessTao[r]!));
    else if (c.emissionEnabled[r] === 0) v = 0;
    else {
      const ema = Number.isNaN(c.movingPrice[r]!) ? c.price[r]! : c.movingPrice[r]!;
      v = ema > 1 ? 1 : ema;
    }
    out[r - from] = v;
    sum += v;
  }
  if (sum > 0) for (let k = 0; k < out.length; k++) out[k]! /= sum;
  return out;
}

class Snap implements SnapshotView {
  #m: MarketView;
  #model: ModelConfig;
  #subnets: SubnetView[] | undefined;
  #byNetuid: Map<number, SubnetView> | undefined;
  readonly block: number;
  readonly timeMs: number;

  constructor(m: MarketView, model: ModelConfig) {
    this.#m = m;
    this.#model = model;
    this.block = m.block;
    this.timeMs = m.timeMs;
  }

  get subnets(): readonly SubnetView[] {
    if (!this.#subnets) {
      const m = this.#m;
      const c = m.data.cols;
      const i = m.index;
      const shares = emissionShares(m.data, i);
      const from = c.rowStart[i]!;
      const list: SubnetView[] = [];
      for (let r = from; r < c.rowStart[i + 1]!; r++) {
        const netuid = c.netuid[r]!;
        m.reservesF(netuid, r);
        const taoIn = m.fy;
        const alphaIn = m.fx;
        const w = Number.isNaN(c.quoteWeight[r]!) ? 0.5 : c.quoteWeight[r]!;
        list.push(Object.freeze({
          netuid,
          name: c.nameId[r]! >= 0 ? m.data.meta.names[c.nameId[r]!] : undefined,
          taoIn,
          alphaIn,
          price: m.hasFlow(netuid) || !c.priceGiven[r] ? alphaValueAtSpotF(taoIn, alphaIn, 1, w) : c.price[r]!,
          movingPrice: Number.isNaN(c.movingPrice[r]!) ? undefined : c.movingPrice[r]!,
          rootProp: Number.isNaN(c.rootProp[r]!) ? undefined : c.rootProp[r]!,
          emissionEnabled: c.emissionEnabled[r]! < 0 ? undefined : c.emissionEnabled[r] === 1,
          emissionShare: shares[r - from]!,
          feeRate: c.feeRate[r]! >= 0 ? c.feeRate[r]! : this.#model.defaultFeeRate,
          tempo: c.tempo[r]! >= 0 ? c.tempo[r]! : this.#model.assumptions.tempo,
        }));
      }
      this.#subnets = Object.freeze(list) as SubnetView[];
    }
    return this.#subnets;
  }

  subnet(netuid: number): SubnetView | undefined {
    if (!this.#byNetuid) this.#byNetuid = new Map(this.subnets.map((s) => [s.netuid, s]));
    return this.#byNetuid.get(netuid);
  }
}

class History implements HistoryView {
  #data: Dataset;
  #now: number;
  readonly length: number;

  constructor(data: Dataset, now: number) {
    this.#data = data;
    this.#now = now;
    this.length = now + 1;
  }

  #range(lookback: number | undefined): [number, number] {
    const n = lookback === undefined ? this.length : Math.max(0, Math.min(Math.floor(lookback), this.length));
    return [this.#now - n + 1, this.#now];
  }

  blocks(lookback?: number): number[] {
    const [a, b] = this.#range(lookback);
    const out: number[] = [];
    for (let i = a; i <= b; i++) out.push(this.#data.cols.block[i]!);
    return out;
  }

  series(netuid: number, field: SeriesField, lookback?: number): number[] {
    const [a, b] = this.#range(lookback);
    const d = this.#data;
    const c = d.cols;
    const out: number[] = [];
    for (let i = a; i <= b; i++) {
      const r = d.rowOf(i, netuid);
      if (r < 0) {
        out.push(NaN);
        continue;
      }
      switch (field) {
        case 'price': out.push(c.price[r]!); break;
        case 'taoIn': out.push(c.taoInTao[r]!); break;
        case 'alphaIn': out.push(c.alphaInTao[r]!); break;
        case 'movingPrice': out.push(c.movingPrice[r]!); break;
        case 'rootProp': out.push(c.rootProp[r]!); break;
        case 'emissionShare': out.push(emissionShares(d, i)[r - c.rowStart[i]!]!); break;
        default: throw new RangeError(`unknown series field "${String(field)}" (price, taoIn, alphaIn, movingPrice, rootProp, emissionShare)`);
      }
    }
    return out;
  }
}

class PortfolioSnap implements PortfolioView {
  readonly free: number;
  readonly root: number;
  readonly held: readonly number[];
  readonly valueSpot: number;
  readonly valueLiquidation: number;
  #alpha: Map<number, number>;
  #value: Map<number, number>;

  constructor(p: Portfolio, m: MarketView, model: ModelConfig) {
    this.free = Number(p.free) / RAO;
    this.root = Number(p.root) / RAO;
    this.held = Object.freeze(p.heldNetuids());
    this.#alpha = new Map();
    this.#value = new Map();
    let spot = this.free + this.root;
    let liq = spot;
    const c = m.data.cols;
    for (const netuid of this.held) {
      const a = Number(p.alphaOf(netuid)) / RAO;
      this.#alpha.set(netuid, a);
      const r = m.row(netuid);
      if (r < 0) continue;
      m.reservesF(netuid, r);
      const y = m.fy;
      const x = m.fx;
      const w = Number.isNaN(c.quoteWeight[r]!) ? 0.5 : c.quoteWeight[r]!;
      const fee = c.feeRate[r]! >= 0 ? c.feeRate[r]! : model.defaultFeeRate;
      const v = alphaValueAtSpotF(y, x, a, w);
      this.#value.set(netuid, v);
      spot += v;
      liq += alphaLiquidationValueF(y, x, a, fee, w);
    }
    this.valueSpot = spot;
    this.valueLiquidation = liq;
  }

  alpha(netuid: number): number {
    return this.#alpha.get(netuid) ?? 0;
  }

  weight(netuid: number): number {
    if (!(this.valueSpot > 0)) return 0;
    if (netuid === 0) return this.root / this.valueSpot;
    return (this.#value.get(netuid) ?? 0) / this.valueSpot;
  }
}

function makeQuote(m: MarketView, model: ModelConfig): QuoteView {
  const toRao = (x: number) => BigInt(Math.floor(x * RAO));
  return Object.freeze({
    stake(netuid: number, tao: number): Quote {
      const pool = m.pool(netuid);
      if (!pool) return { output: 0, fee: 0, slippage: 0, rejected: `subnet ${netuid} is not in this snapshot` };
      const r = buyAlpha(m.curve, pool, toRao(tao), { minStake: model.minStake });
      if (r.status === 'rejected') return { output: 0, fee: 0, slippage: 0, rejected: r.reason };
      const spot = m.curve.spotPrice(pool);
      const value = (Number(r.alphaOut) / RAO) * spot;
      return { output: Number(r.alphaOut) / RAO, fee: Number(r.fee) / RAO, slippage: tao > 0 ? 1 - value / tao : 0 };
    },
    unstake(netuid: number, alpha: number): Quote {
      const pool = m.pool(netuid);
      if (!pool) return { output: 0, fee: 0, slippage: 0, rejected: `subnet ${netuid} is not in this snapshot` };
      const r = sellAlpha(m.curve, pool, toRao(alpha), { minStake: model.minStake });
      if (r.status === 'rejected') return { output: 0, fee: 0, slippage: 0, rejected: r.reason };
      const spotValue = alpha * m.curve.spotPrice(pool);
      return { output: Number(r.taoOut) / RAO, fee: Number(r.fee) / RAO, slippage: spotValue > 0 ? 1 - Number(r.taoOut) / RAO / spotValue : 0 };
    },
  });
}

function makeYields(m: MarketView, table: YieldTable, model: ModelConfig): YieldView {
  const i = m.index;
  table.ensure(i);
  const keep = 1 - model.take;
  const epochsPerYear = (tempo: number) => (365 * BLOCKS_PER_DAY) / (tempo + 1);
  return Object.freeze({
    alphaApr(netuid: number): number {
      const r = m.row(netuid);
      if (r < 0) return 0;
      const staked = table.staked[r]!;
      return staked > 0 ? ((table.valPerEpoch[r]! * keep) / staked) * epochsPerYear(table.tempo[r]!) : 0;
    },
    rootApr(): number {
      const c = m.data.cols;
      let taoPerEpochYear = 0;
      for (let r = c.rowStart[i]!; r < c.rowStart[i + 1]!; r++) {
        taoPerEpochYear += table.rootPerEpoch[r]! * keep * c.price[r]! * epochsPerYear(table.tempo[r]!);
      }
      const R = table.rootStake[i]!;
      return R > 0 ? taoPerEpochYear / R : 0;
    },
  });
}

export interface ContextParts {
  market: MarketView;
  portfolio: Portfolio;
  model: ModelConfig;
  table: YieldTable;
  params: Readonly<Record<string, unknown>>;
  state: Record<string, unknown>;
  step: number;
}

export function buildContext(parts: ContextParts): StrategyContext<Record<string, unknown>> {
  const { market: m, portfolio, model, table } = parts;
  let snapshot: SnapshotView | undefined;
  let history: HistoryView | undefined;
  let pview: PortfolioView | undefined;
  let quote: QuoteView | undefined;
  let yields: YieldView | undefined;
  return Object.freeze({
    get snapshot() { return (snapshot ??= new Snap(m, model)); },
    get history() { return (history ??= new History(m.data, m.index)); },
    get portfolio() { return (pview ??= new PortfolioSnap(portfolio, m, model)); },
    get quote() { return (quote ??= makeQuote(m, model)); },
    get yields() { return (yields ??= makeYields(m, table, model)); },
    params: parts.params,
    indicators,
    state: parts.state,
    step: parts.step,
  });
}
