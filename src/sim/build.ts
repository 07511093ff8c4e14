/**
 * Creating subnets from a scenario's groups: which group each initial netuid belongs to, and
 * each subnet's own draws (pool size, price, age, flow parameters, phases) from the group's
 * ranges. Draws are keyed by the subnet's serial, so adding a subnet never changes another's.
 */
import { UserError } from '../core/errors.ts';
import { BLOCKS_PER_DAY } from '../core/snapshot.ts';
import { nextHalvingIssuance } from './halving.ts';
import { ageForIssuance, alphaIssuedByAge } from './issuance.ts';
import { Purpose, between, hash32, logBetween, uniform } from './rng.ts';
import type { FlowsSpec, GroupSpec, Range, RegistrationSpec, Scenario } from './scenario.ts';
import { emptyHoldings, type ResolvedFlows, type ResolvedPhase, type SubnetPlan, type SubnetSim } from './state.ts';

/**
 * The largest share of a subnet's issued alpha that a pool given by `price` may hold. Among
 * mainnet subnets older than a few months (Aug 2026) the pool held at most 0.69 of the alpha
 * their root_prop implies was issued, typically 0.3–0.6. A price so low that the pool would
 * hold more makes the subnet older than its drawn age instead (it has issued enough alpha).
 */
export const MAX_POOL_ALPHA_SHARE = 0.7;

/**
 * Share of the stakers' alpha at the start of the run that its holders keep throughout (see
 * SubnetSim.stakerFloor). With stakers holding 0.8 of alpha outside the pool and about as much
 * outside as in it, a subnet that loses every other staker ends near 0.4 alpha outside per
 * pool alpha, the lowest mainnet shows.
 */
export const LONG_TERM_STAKER_SHARE = 0.5;

/** Draw slots: each drawn quantity of a subnet has its own counter. */
const Slot = {
  poolTao: 1, price: 2, emaRatio: 3, ageDays: 4, emissionEnabled: 5, minerBurn: 6, poolAlphaShare: 7,
  drift: 10, volatility: 11, momentum: 12, jumpRate: 13, jumpSize: 14,
  phaseBase: 100,
} as const;

class Draws {
  constructor(private readonly seed: number, private readonly serial: number) {}
  u(slot: number): number {
    return uniform(this.seed, this.serial, Purpose.param, slot);
  }
  lin(r: Range, slot: number): number {
    return typeof r === 'number' ? r : between(this.u(slot), r[0], r[1]);
  }
  log(r: Range, slot: number): number {
    if (typeof r === 'number') return r;
    return r[0] > 0 ? logBetween(this.u(slot), r[0], r[1]) : between(this.u(slot), r[0], r[1]);
  }
}

function resolveFlows(f: FlowsSpec, d: Draws, base: number): ResolvedFlows {
  return {
    drift: d.lin(f.drift, base + Slot.drift),
    volatility: d.log(f.volatility, base + Slot.volatility),
    momentum: d.lin(f.momentum, base + Slot.momentum),
    momentumDays: f.momentumDays,
    jumpRate: d.lin(f.jumpRate, base + Slot.jumpRate),
    jumpSize: d.lin(f.jumpSize, base + Slot.jumpSize),
  };
}

function resolvePhases(g: GroupSpec, d: Draws, originBlock: number): ResolvedPhase[] {
  return g.phases.map((p, k) => {
    const base = Slot.phaseBase * (k + 1);
    const flows: Partial<ResolvedFlows> = {};
    const pf = p.flows;
    if (pf.drift !== undefined) flows.drift = d.lin(pf.drift, base + Slot.drift);
    if (pf.volatility !== undefined) flows.volatility = d.log(pf.volatility, base + Slot.volatility);
    if (pf.momentum !== undefined) flows.momentum = d.lin(pf.momentum, base + Slot.momentum);
    if (pf.momentumDays !== undefined) flows.momentumDays = pf.momentumDays;
    if (pf.jumpRate !== undefined) flows.jumpRate = d.lin(pf.jumpRate, base + Slot.jumpRate);
    if (pf.jumpSize !== undefined) flows.jumpSize = d.lin(pf.jumpSize, base + Slot.jumpSize);
    const out: ResolvedPhase = { atBlock: originBlock + Math.round(p.afterDays * BLOCKS_PER_DAY), flows };
    if (p.emissionEnabled !== undefined) out.emissionEnabled = p.emissionEnabled;
    if (p.minerBurn !== undefined) out.minerBurn = d.lin(p.minerBurn, base + Slot.minerBurn);
    return out;
  });
}

function planOf(g: GroupSpec, d: Draws, originBlock: number): SubnetPlan {
  return {
    group: g.name,
    flows: resolveFlows(g.flows, d, 0),
    phases: resolvePhases(g, d, originBlock),
    minerSell: g.minerSell,
    minerSellHalflifeBlocks: Math.max(1, g.minerSellHalflifeDays * BLOCKS_PER_DAY),
  };
}

function toRao(units: number): bigint {
  return BigInt(Math.round(units * 1e9));
}

interface NewSubnet {
  netuid: number;
  serial: number;
  name: string;
  seed: number;
  /**
   * Market scale: the scenario's subnet count over the count asked for. Pool sizes and prices
   * are multiplied by it, so that a smaller market keeps the scenario's emission per pool TAO,
   * EMA-price sum (root dividends flow only above 1) and alpha amounts.
   */
  scale: number;
}

/** The chain's root stake and TAO weight, which set how fast a subnet's alpha issuance grew. */
export interface IssuanceHistory {
  rootStake: bigint;
  taoWeight: number;
}

/**
 * A subnet that already exists when the run starts, with a history of `age_days`: it has
 * issued the alpha the chain's emission gives a subnet of that age (src/sim/issuance.ts); a
 * `pool_alpha_share` of it sits in the pool (or `pool_tao / price`), the rest is outside
 * (alpha_out), so alpha_in, alpha_out and root_prop agree with each other and with the age.
 */
export function initialSubnet(g: GroupSpec, n: NewSubnet, startBlock: number, history: IssuanceHistory): SubnetSim {
  const d = new Draws(n.seed, n.serial);
  const poolTao = d.log(g.poolTao, Slot.poolTao) * n.scale;
  const rootStakeTao = Number(history.rootStake) / 1e9;
  let ageBlocks = Math.round(d.lin(g.ageDays, Slot.ageDays) * BLOCKS_PER_DAY);
  let issued = alphaIssuedByAge(ageBlocks, rootStakeTao, history.taoWeight);
  let poolAlpha: number;
  let price: number;
  if (g.poolAlphaShare !== undefined) {
    poolAlpha = d.lin(g.poolAlphaShare, Slot.poolAlphaShare) * issued;
    price = poolTao / poolAlpha;
  } else {
    price = d.log(g.price!, Slot.price) * n.scale;
    poolAlpha = poolTao / price;
    if (poolAlpha > MAX_POOL_ALPHA_SHARE * issued) {
      issued = poolAlpha / MAX_POOL_ALPHA_SHARE;
      ageBlocks = Math.ceil(ageForIssuance(issued, rootStakeTao, history.taoWeight));
    }
  }
  const taoIn = toRao(poolTao);
  const alphaIn = toRao(poolAlpha);
  // Alpha outside the pool: what the subnet's life has issued, less what sits in the pool.
  const alphaOut = toRao(issued) - alphaIn;
  const holdings = emptyHoldings();
  holdings.staker = BigInt(Math.floor(Number(alphaOut) * g.holders.staker));
  holdings.owner = BigInt(Math.floor(Number(alphaOut) * g.holders.owner));
  holdings.miner = BigInt(Math.floor(Number(alphaOut) * g.holders.miner));
  holdings.protocol = alphaOut - holdings.staker - holdings.owner - holdings.miner;
  const enabled = typeof g.emissionEnabled === 'boolean' ? g.emissionEnabled : d.u(Slot.emissionEnabled) < g.emissionEnabled;
  const registeredAt = startBlock - ageBlocks;
  const plan = planOf(g, d, startBlock);
  return {
    netuid: n.netuid,
    serial: n.serial,
    name: n.name,
    plan,
    flows: { ...plan.flows },
    nextPhase: 0,
    registeredAt,
    firstEmissionBlock: registeredAt + 1,
    feeRate: g.feeRate,
    tempo: g.tempo,
    emissionEnabled: enabled,
    minerBurned: d.lin(g.minerBurn, Slot.minerBurn),
    taoIn,
    alphaIn,
    alphaOut,
    holdings,
    stakerFloor: BigInt(Math.floor(Number(holdings.staker) * LONG_TERM_STAKER_SHARE)),
    movingPrice: Math.min(price, 1) * d.lin(g.emaRatio, Slot.emaRatio),
    traderRef: price,
    last: { taoIn: 0n, alphaIn: 0n, alphaOut: 0n, excessTao: 0n },
    alphaHalvingAt: nextHalvingIssuance(taoIn > 0n ? alphaIn + alphaOut : 0n),
  };
}

/**
 * A subnet registered during the run: its pool starts from the lock (`pool_tao` at `price`),
 * nothing outside the pool, EMA price 0 (the chain's default), emission as the registration
 * section says (new registrations start disabled since spec 422), start_call after the delay.
 */
export function registeredSubnet(g: GroupSpec, reg: RegistrationSpec, n: NewSubnet, block: number): SubnetSim {
  const d = new Draws(n.seed, n.serial);
  const poolTao = d.log(g.poolTao, Slot.poolTao) * n.scale;
  const price = d.log(g.price!, Slot.price) * n.scale;
  const taoIn = toRao(poolTao);
  const alphaIn = toRao(poolTao / price);
  const plan = planOf(g, d, block);
  return {
    netuid: n.netuid,
    serial: n.serial,
    name: n.name,
    plan,
    flows: { ...plan.flows },
    nextPhase: 0,
    registeredAt: block,
    firstEmissionBlock: block + Math.round(reg.startCallDelayDays * BLOCKS_PER_DAY) + 1,
    feeRate: g.feeRate,
    tempo: g.tempo,
    emissionEnabled: reg.emissionEnabled,
    minerBurned: d.lin(g.minerBurn, Slot.minerBurn),
    taoIn,
    alphaIn,
    alphaOut: 0n,
    holdings: emptyHoldings(),
    stakerFloor: 0n,
    movingPrice: 0,
    traderRef: price,
    last: { taoIn: 0n, alphaIn: 0n, alphaOut: 0n, excessTao: 0n },
    alphaHalvingAt: nextHalvingIssuance(alphaIn),
  };
}

/**
 * How many initial subnets each group gets: fixed counts first, the rest split by weight
 * (largest remainder, ties to the earlier group).
 */
export function groupCounts(scenario: Scenario, total: number): number[] {
  const fixed = scenario.groups.reduce((s, g) => s + (g.count ?? 0), 0);
  if (fixed > total) {
    throw new UserError(`scenario "${scenario.name}" needs at least ${fixed} subnets (its groups' counts add up to ${fixed}); give --subnets ${fixed} or more`);
  }
  const counts = scenario.groups.map((g) => g.count ?? 0);
  const rest = total - fixed;
  const weights = scenario.groups.map((g) => (g.count === undefined ? g.weight : 0));
  const wsum = weights.reduce((a, b) => a + b, 0);
  if (rest > 0 && wsum <= 0) {
    throw new UserError(`scenario "${scenario.name}" has ${fixed} subnets by count and no group with a weight for the other ${rest}; give --subnets ${fixed}`);
  }
  if (rest > 0) {
    const exact = weights.map((w) => (rest * w) / wsum);
    const floors = exact.map(Math.floor);
    let left = rest - floors.reduce((a, b) => a + b, 0);
    const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
    for (const { i } of order) {
      if (left <= 0) break;
      floors[i]! += 1;
      left--;
    }
    floors.forEach((f, i) => (counts[i]! += f));
  }
  return counts;
}

/** A seeded permutation of 1..n: which netuid each initial subnet gets. */
export function shuffledNetuids(n: number, seed: number): number[] {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = n - 1; i > 0; i--) {
    const j = hash32(seed, 0, Purpose.shuffle, i) % (i + 1);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}
