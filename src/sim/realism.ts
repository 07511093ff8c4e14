/**
 * Statistics that matter to a staking strategy, computed the same way for a real snapshot
 * series and a simulated one, and the bands (derived from the real values) that the simulated
 * market must stay within. Used by the realism test and for the comparison in
 * docs/simulator.md. Pure functions over numbers: these are observations, not money.
 */
import type { Snapshot } from '../core/snapshot.ts';

export interface ObservedSubnet {
  netuid: number;
  name: string;
  /** Pool reserves in whole TAO / alpha. */
  taoIn: number;
  alphaIn: number;
  rootProp: number;
  /** TAO per block spent on the chain buy. */
  excessTao: number;
  /** Alpha emitted to participants per block (1 on mainnet before a subnet's alpha halving). */
  alphaOutEmission: number;
  emissionEnabled: boolean;
}

export interface Observation {
  timeMs: number;
  /** TAO per block (0.5 after the first halving). */
  blockEmission: number;
  subnets: ObservedSubnet[];
}

const num = (x: bigint | undefined) => (x === undefined ? 0 : Number(x) / 1e9);

/** A snapshot as numbers. Fields a source lacks take the mainnet values of mid-2026. */
export function observe(s: Snapshot): Observation {
  return {
    timeMs: Date.parse(s.time),
    blockEmission: s.blockEmission === undefined ? 0.5 : num(s.blockEmission),
    subnets: s.subnets.map((x) => ({
      netuid: x.netuid,
      name: x.name ?? '',
      taoIn: num(x.taoIn),
      alphaIn: num(x.alphaIn),
      rootProp: x.rootProp ?? 0,
      excessTao: num(x.excessTao),
      alphaOutEmission: x.alphaOutEmission === undefined ? 1 : num(x.alphaOutEmission),
      emissionEnabled: x.emissionEnabled ?? true,
    })),
  };
}

export function quantile(values: number[], q: number): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}

function topShare(values: number[], n: number): number {
  const s = values.filter((x) => x > 0).sort((a, b) => b - a);
  const total = s.reduce((a, b) => a + b, 0);
  return total > 0 ? s.slice(0, n).reduce((a, b) => a + b, 0) / total : 0;
}

function gini(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const total = s.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  let acc = 0;
  s.forEach((x, i) => (acc += (2 * (i + 1) - n - 1) * x));
  return acc / (n * total);
}

const poolPrice = (x: ObservedSubnet) => (x.alphaIn > 0 ? x.taoIn / x.alphaIn : NaN);

export interface RealismStats {
  subnets: number;
  /** Pool TAO across subnets at the last snapshot. */
  poolTaoTotal: number;
  poolTaoQ25: number;
  poolTaoMedian: number;
  poolTaoQ75: number;
  poolTaoQ90: number;
  poolTaoTop10Share: number;
  poolTaoGini: number;
  /** Per subnet: standard deviation of hourly log price changes; median and 90th percentile over subnets. */
  hourlyVolMedian: number;
  hourlyVolP90: number;
  /** Share of the block's TAO emission that goes to the 10 largest receivers (median over snapshots). */
  emissionTop10Share: number;
  /** Share of the block's TAO emission spent on chain buys (median over snapshots). */
  chainBuyShare: number;
  /** Fraction of subnets with emission enabled (last snapshot). */
  enabledFraction: number;
  /** Last price over the mean price of the window, per subnet: 10th, 50th, 90th percentile. */
  priceToMeanQ10: number;
  priceToMeanMedian: number;
  priceToMeanQ90: number;
  /**
   * Price at the end of the window over the price at its start, for the 10 subnets with the
   * most pool TAO at the end (among those that kept their name throughout): the median. The
   * largest subnets are where an emission-ranked strategy puts its money.
   */
  top10PriceChangeMedian: number;
  /** Alpha in the pool across subnets at the last snapshot (whole alpha). */
  alphaInQ25: number;
  alphaInMedian: number;
  alphaInQ75: number;
  alphaInQ90: number;
  /** root_prop across subnets at the last snapshot. */
  rootPropQ10: number;
  rootPropQ25: number;
  rootPropMedian: number;
  rootPropQ75: number;
  rootPropQ90: number;
  /**
   * Alpha outside the pool as root_prop implies it (`impliedAlphaOut`), across subnets at the
   * last snapshot: its median, and the median of its ratio to the pool's alpha.
   */
  impliedAlphaOutMedian: number;
  impliedOutToInMedian: number;
}

/**
 * The root stake and TAO weight under which alpha outside the pool is inferred from root_prop:
 * what mainnet root_prop values of July–August 2026 imply (4.1–4.9M TAO over the month) and
 * the TAO weight set at the dTAO launch.
 */
export const IMPLIED_ROOT_STAKE_TAO = 4_500_000;
export const IMPLIED_TAO_WEIGHT = 0.18;

/**
 * Alpha outside the pool implied by root_prop: the chain computes
 * root_prop = w·R / (w·R + alpha issuance), so issuance = w·R·(1 − root_prop) / root_prop, and
 * alpha_out = issuance − alpha_in. The real file has no alpha_out; the same inference is made
 * on the simulated side so that both are measured alike.
 */
export function impliedAlphaOut(x: ObservedSubnet): number {
  if (!(x.rootProp > 0 && x.rootProp < 1)) return NaN;
  const issuance = (IMPLIED_TAO_WEIGHT * IMPLIED_ROOT_STAKE_TAO * (1 - x.rootProp)) / x.rootProp;
  return issuance - x.alphaIn;
}

/**
 * TAO emission per block of a subnet, as the chain's injection rule implies it from what a
 * snapshot shows: a subnet with a chain buy is capped, so T = excess + root_prop·a·p exactly;
 * a subnet without one received at most root_prop·a·p, counted as 0 here (the largest
 * receivers are all capped on mainnet and in the simulator).
 */
export function impliedTaoEmission(x: ObservedSubnet): number {
  if (!x.emissionEnabled || x.excessTao <= 0) return 0;
  return x.excessTao + x.rootProp * x.alphaOutEmission * poolPrice(x);
}

/** Hourly returns: consecutive snapshots 0.6–1.5 h apart, same subnet name, scaled to one hour. */
function hourlyVols(series: Observation[]): number[] {
  const byNetuid = new Map<number, number[]>();
  for (let i = 1; i < series.length; i++) {
    const a = series[i - 1]!;
    const b = series[i]!;
    const hours = (b.timeMs - a.timeMs) / 3_600_000;
    if (hours < 0.6 || hours > 1.5) continue;
    const before = new Map(a.subnets.map((x) => [x.netuid, x]));
    for (const y of b.subnets) {
      const x = before.get(y.netuid);
      if (!x || x.name !== y.name) continue;
      const r = Math.log(poolPrice(y) / poolPrice(x)) / Math.sqrt(hours);
      if (!Number.isFinite(r)) continue;
      let list = byNetuid.get(y.netuid);
      if (!list) byNetuid.set(y.netuid, (list = []));
      list.push(r);
    }
  }
  const vols: number[] = [];
  for (const r of byNetuid.values()) {
    if (r.length < 24) continue;
    const m = r.reduce((a, b) => a + b, 0) / r.length;
    vols.push(Math.sqrt(r.reduce((a, b) => a + (b - m) ** 2, 0) / (r.length - 1)));
  }
  return vols;
}

/** Last price over the mean of the subnet's prices in the series (same name throughout). */
function priceToMean(series: Observation[]): number[] {
  const last = series[series.length - 1]!;
  const out: number[] = [];
  for (const y of last.subnets) {
    const prices: number[] = [];
    for (const o of series) {
      const x = o.subnets.find((s) => s.netuid === y.netuid);
      if (x && x.name === y.name) prices.push(poolPrice(x));
    }
    if (prices.length < series.length * 0.9) continue;
    out.push(poolPrice(y) / (prices.reduce((a, b) => a + b, 0) / prices.length));
  }
  return out;
}

/** Last price over first price of the `n` largest pools at the end (same name throughout). */
function largestPoolsPriceChange(series: Observation[], n: number): number[] {
  const first = series[0]!;
  const last = series[series.length - 1]!;
  const kept = last.subnets.filter((y) => {
    let seen = 0;
    for (const o of series) if (o.subnets.some((x) => x.netuid === y.netuid && x.name === y.name)) seen++;
    return seen >= series.length * 0.9 && first.subnets.some((x) => x.netuid === y.netuid && x.name === y.name);
  });
  return kept
    .sort((a, b) => b.taoIn - a.taoIn)
    .slice(0, n)
    .map((y) => poolPrice(y) / poolPrice(first.subnets.find((x) => x.netuid === y.netuid)!));
}

export function realismStats(series: Observation[]): RealismStats {
  if (series.length < 2) throw new RangeError('realism statistics need at least two snapshots');
  const last = series[series.length - 1]!;
  const pools = last.subnets.map((x) => x.taoIn);
  const vols = hourlyVols(series);
  const ratios = priceToMean(series);
  const top10: number[] = [];
  const chainBuy: number[] = [];
  for (const o of series) {
    const t = o.subnets.map(impliedTaoEmission);
    top10.push(t.sort((a, b) => b - a).slice(0, 10).reduce((a, b) => a + b, 0) / o.blockEmission);
    chainBuy.push(o.subnets.reduce((a, x) => a + x.excessTao, 0) / o.blockEmission);
  }
  const alphaIns = last.subnets.map((x) => x.alphaIn);
  const rootProps = last.subnets.map((x) => x.rootProp);
  const outs = last.subnets.map(impliedAlphaOut);
  const outToIn = last.subnets.map((x, i) => outs[i]! / x.alphaIn);
  return {
    subnets: last.subnets.length,
    poolTaoTotal: pools.reduce((a, b) => a + b, 0),
    poolTaoQ25: quantile(pools, 0.25),
    poolTaoMedian: median(pools),
    poolTaoQ75: quantile(pools, 0.75),
    poolTaoQ90: quantile(pools, 0.9),
    poolTaoTop10Share: topShare(pools, 10),
    poolTaoGini: gini(pools),
    hourlyVolMedian: median(vols),
    hourlyVolP90: quantile(vols, 0.9),
    emissionTop10Share: median(top10),
    chainBuyShare: median(chainBuy),
    enabledFraction: last.subnets.filter((x) => x.emissionEnabled).length / last.subnets.length,
    priceToMeanQ10: quantile(ratios, 0.1),
    priceToMeanMedian: median(ratios),
    priceToMeanQ90: quantile(ratios, 0.9),
    top10PriceChangeMedian: median(largestPoolsPriceChange(series, 10)),
    alphaInQ25: quantile(alphaIns, 0.25),
    alphaInMedian: median(alphaIns),
    alphaInQ75: quantile(alphaIns, 0.75),
    alphaInQ90: quantile(alphaIns, 0.9),
    rootPropQ10: quantile(rootProps, 0.1),
    rootPropQ25: quantile(rootProps, 0.25),
    rootPropMedian: median(rootProps),
    rootPropQ75: quantile(rootProps, 0.75),
    rootPropQ90: quantile(rootProps, 0.9),
    impliedAlphaOutMedian: median(outs),
    impliedOutToInMedian: median(outToIn),
  };
}

export interface BandRow {
  key: keyof RealismStats;
  label: string;
  real: number;
  sim: number;
  low: number;
  high: number;
  ok: boolean;
}

type BandRule = { key: keyof RealismStats; label: string } & ({ factor: number } | { plusMinus: number });

/**
 * The bands: scale quantities (TAO and alpha amounts, volatilities) within a factor of the real
 * value, shares and ratios within an absolute margin. Alpha amounts and root_prop follow from
 * the subnets' ages and the chain's emission rules rather than from market whims, so their
 * bands are tighter than those of pool TAO; root_prop shrinks with issuance, so a factor on it
 * is roughly the same factor on the alpha issued.
 */
export const BAND_RULES: BandRule[] = [
  { key: 'poolTaoTotal', label: 'pool TAO, all subnets (TAO)', factor: 1.5 },
  { key: 'poolTaoQ25', label: 'pool TAO, 25th percentile (TAO)', factor: 2 },
  { key: 'poolTaoMedian', label: 'pool TAO, median (TAO)', factor: 2 },
  { key: 'poolTaoQ75', label: 'pool TAO, 75th percentile (TAO)', factor: 2 },
  { key: 'poolTaoQ90', label: 'pool TAO, 90th percentile (TAO)', factor: 2 },
  { key: 'poolTaoTop10Share', label: 'pool TAO held by the top 10 subnets', plusMinus: 0.1 },
  { key: 'poolTaoGini', label: 'Gini coefficient of pool TAO', plusMinus: 0.1 },
  { key: 'hourlyVolMedian', label: 'hourly price volatility, median subnet', factor: 2 },
  { key: 'hourlyVolP90', label: 'hourly price volatility, 90th percentile subnet', factor: 2 },
  { key: 'emissionTop10Share', label: 'TAO emission share of the top 10 subnets', plusMinus: 0.12 },
  { key: 'chainBuyShare', label: 'share of TAO emission spent on chain buys', plusMinus: 0.15 },
  { key: 'enabledFraction', label: 'subnets with emission enabled', plusMinus: 0.1 },
  { key: 'priceToMeanQ10', label: 'price / mean price of the window, 10th percentile', plusMinus: 0.1 },
  { key: 'priceToMeanMedian', label: 'price / mean price of the window, median', plusMinus: 0.1 },
  { key: 'priceToMeanQ90', label: 'price / mean price of the window, 90th percentile', plusMinus: 0.1 },
  { key: 'top10PriceChangeMedian', label: 'price change over the window, 10 largest pools, median', plusMinus: 0.1 },
  { key: 'alphaInQ25', label: 'alpha in the pool, 25th percentile (alpha)', factor: 1.5 },
  { key: 'alphaInMedian', label: 'alpha in the pool, median (alpha)', factor: 1.5 },
  { key: 'alphaInQ75', label: 'alpha in the pool, 75th percentile (alpha)', factor: 1.5 },
  { key: 'alphaInQ90', label: 'alpha in the pool, 90th percentile (alpha)', factor: 1.5 },
  { key: 'rootPropQ10', label: 'root_prop, 10th percentile', factor: 1.2 },
  { key: 'rootPropQ25', label: 'root_prop, 25th percentile', factor: 1.2 },
  { key: 'rootPropMedian', label: 'root_prop, median', factor: 1.2 },
  { key: 'rootPropQ75', label: 'root_prop, 75th percentile', factor: 1.2 },
  { key: 'rootPropQ90', label: 'root_prop, 90th percentile', factor: 1.2 },
  { key: 'impliedAlphaOutMedian', label: 'alpha outside the pool implied by root_prop, median (alpha)', factor: 1.5 },
  { key: 'impliedOutToInMedian', label: 'implied alpha outside / alpha in the pool, median', factor: 1.5 },
];

export function compareRealism(real: RealismStats, sim: RealismStats): BandRow[] {
  return BAND_RULES.map((rule) => {
    const r = real[rule.key];
    const s = sim[rule.key];
    const [low, high] = 'factor' in rule ? [r / rule.factor, r * rule.factor] : [r - rule.plusMinus, r + rule.plusMinus];
    return { key: rule.key, label: rule.label, real: r, sim: s, low, high, ok: s >= low && s <= high };
  });
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** Markdown table: statistic, real, simulated, band, within. */
export function formatComparison(rows: BandRow[]): string {
  const lines = ['| statistic | real (mainnet) | simulated (mixed) | band | within |', '| --- | ---: | ---: | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.label} | ${fmt(r.real)} | ${fmt(r.sim)} | ${fmt(r.low)} – ${fmt(r.high)} | ${r.ok ? 'yes' : 'NO'} |`);
  return lines.join('\n');
}

/**
 * The series sampled at the same offsets from its start as `reference` has from its own: so
 * that a simulated series sees the real file's uneven sampling (its gaps weigh on the window
 * means). Each offset takes the nearest sample; times are shifted onto the reference's clock.
 */
export function alignToTimes(series: Observation[], reference: Observation[]): Observation[] {
  const r0 = reference[0]!.timeMs;
  const s0 = series[0]!.timeMs;
  let j = 0;
  return reference.map((o) => {
    const want = s0 + (o.timeMs - r0);
    while (j + 1 < series.length && Math.abs(series[j + 1]!.timeMs - want) <= Math.abs(series[j]!.timeMs - want)) j++;
    const pick = series[j]!;
    return { ...pick, timeMs: r0 + (pick.timeMs - s0) };
  });
}
