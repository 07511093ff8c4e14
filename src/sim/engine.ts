/**
 * The market engine: the state of all subnets and the loop that advances it under the chain's
 * rules (mechanics §2.1 order within a block: coinbase, epochs, EMA update; then the block's
 * extrinsics, here other people's trades, registrations and scheduled changes).
 *
 * `stepBlock()` advances exactly one block, recomputing everything per block. `advanceTo(b)`
 * walks in runs of blocks between "boundaries" (flow ticks, gate refreshes, registrations,
 * phase changes, start_calls, halvings, epochs, the target): inside a run nothing but the
 * deterministic coinbase and EMA happens, so the run's emission shares, root_prop and
 * per-block injection are computed once, at the run's midpoint state (see coinbase.ts and
 * moving-price.ts). Trades happen at the same blocks with the same draws either way, so the
 * two walks stay within a small, tested tolerance of each other (docs/simulator.md).
 */
import { UserError } from '../core/errors.ts';
import { blockEmissionFor, nextEpochBlock, rootProportion } from '../core/emission.ts';
import { constantProduct } from '../core/pool/index.ts';
import { buyAlpha, sellAlpha, type BuyResult, type SellResult, type SwapOptions, type SellOptions } from '../core/stake.ts';
import { BLOCK_SECONDS, BLOCKS_PER_DAY, type Snapshot, type SubnetState } from '../core/snapshot.ts';
import { groupCounts, initialSubnet, registeredSubnet, shuffledNetuids } from './build.ts';
import { runCoinbase } from './coinbase.ts';
import { runEpoch } from './epoch.ts';
import { runFlowTick } from './flows.ts';
import { nextHalvingIssuance } from './halving.ts';
import { advanceMovingPrice, projectMovingPrice } from './moving-price.ts';
import type { GroupSpec, Scenario } from './scenario.ts';
import { burnScaledShares, emissionFractions, gateBar, rootSellFlag, taoPerSubnet, type ShareInput } from './shares.ts';
import { emptyLedger, type AlphaHoldings, type MarketState, type SubnetSim } from './state.ts';
import type { SwapObserver } from './swap-log.ts';

/** The gate bar is recomputed when block % 360 == 0 (reported spec-440 rule). */
const GATE_PERIOD = 360;

export interface EngineOptions {
  scenario: Scenario;
  seed: number;
  subnets?: number;
  startBlock?: number;
  startTime?: string;
}

export interface LifecycleEvent {
  block: number;
  kind: 'register' | 'prune';
  netuid: number;
  name: string;
  /** For a prune: the pool TAO paid out to holders. */
  payoutTao?: bigint;
  /**
   * For a prune: who got it, pro rata to the alpha each holder had outside the pool (floors;
   * the rounding remainder goes with the protocol's share).
   */
  payoutByHolder?: Record<keyof AlphaHoldings, bigint>;
}

export const DEFAULT_START_BLOCK = 1_000_000;
export const DEFAULT_START_TIME = '2026-01-01T00:00:00Z';

function parseStartTime(text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new UserError(`start time ${JSON.stringify(text)} is not an ISO UTC time; write it like 2026-01-01T00:00:00Z`);
  return ms;
}

/** A dissolved subnet's pool TAO, split pro rata over the alpha outside its pool. */
function payoutShares(s: SubnetSim): Record<keyof AlphaHoldings, bigint> {
  const out = {} as Record<keyof AlphaHoldings, bigint>;
  let paid = 0n;
  for (const key of Object.keys(s.holdings) as (keyof AlphaHoldings)[]) {
    out[key] = s.alphaOut > 0n ? (s.taoIn * s.holdings[key]) / s.alphaOut : 0n;
    paid += out[key];
  }
  out.protocol += s.taoIn - paid;
  return out;
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export class MarketEngine {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly startBlock: number;
  readonly startTimeMs: number;
  readonly state: MarketState;
  readonly subnetLimit: number;
  /**
   * The scenario's subnet count over the count asked for (1 by default). With --subnets N the
   * market is scaled, not cut: each subnet stands for `scale` of the scenario's, with pools and
   * prices `scale` times larger, so emission per pool TAO, the EMA-price sum and alpha amounts
   * stay as the scenario set them; registrations come as often per subnet.
   */
  readonly scale: number;
  /** Registrations and dissolutions so far, in order. */
  readonly events: LifecycleEvent[] = [];
  /** Sees every swap the simulation makes (chain buys, trades, claims), when set. */
  onSwap: SwapObserver | undefined = undefined;
  /** Totals at the start, for conservation checks. */
  readonly initial: { poolTao: bigint; rootStake: bigint; alphaIssuance: bigint };

  private readonly labelCounts = new Map<string, number>();
  private readonly flowInterval: number;
  private readonly emaParams: { movingAlpha: number; halvingBlocks: number };
  private readonly rootClaimBlocks: number;
  private readonly immunityBlocks: number;
  private readonly registrationBlocks: number[] = [];
  private registrationIndex = 0;
  private everyIndex = 0;

  constructor(opts: EngineOptions) {
    const scn = opts.scenario;
    if (!Number.isSafeInteger(opts.seed) || opts.seed < 0) throw new UserError(`seed must be a whole number >= 0, got ${opts.seed}`);
    const startBlock = opts.startBlock ?? DEFAULT_START_BLOCK;
    if (!Number.isSafeInteger(startBlock) || startBlock < 0) throw new UserError(`start block must be a whole number >= 0, got ${startBlock}`);
    const n = opts.subnets ?? scn.subnets;
    if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`number of subnets must be a whole number >= 1, got ${n}`);
    this.scenario = scn;
    this.seed = opts.seed;
    this.startBlock = startBlock;
    this.startTimeMs = parseStartTime(opts.startTime ?? DEFAULT_START_TIME);
    this.subnetLimit = scn.chain.subnetLimit === 'initial' ? n : scn.chain.subnetLimit;
    this.scale = scn.subnets / n;
    if (n > this.subnetLimit) {
      throw new UserError(`scenario "${scn.name}" allows at most ${this.subnetLimit} subnets (chain.subnet_limit); give --subnets ${this.subnetLimit} or fewer`);
    }
    this.flowInterval = scn.flowIntervalBlocks;
    this.emaParams = { movingAlpha: scn.chain.movingAlpha, halvingBlocks: scn.chain.emaHalvingBlocks };
    this.rootClaimBlocks = Math.max(1, Math.round(scn.chain.rootClaimDays * BLOCKS_PER_DAY));
    this.immunityBlocks = Math.round(scn.chain.immunityDays * BLOCKS_PER_DAY);

    const counts = groupCounts(scn, n);
    const netuids = shuffledNetuids(n, opts.seed);
    const subnets: SubnetSim[] = [];
    let serial = 0;
    const history = { rootStake: scn.chain.rootStake, taoWeight: scn.chain.taoWeight };
    scn.groups.forEach((g, gi) => {
      for (let c = 0; c < counts[gi]!; c++) {
        const netuid = netuids[serial]!;
        subnets.push(initialSubnet(g, { netuid, serial, name: this.nextName(g), seed: opts.seed, scale: this.scale }, startBlock, history));
        serial++;
      }
    });
    subnets.sort((a, b) => a.netuid - b.netuid);

    this.state = {
      block: startBlock,
      totalIssuance: scn.chain.totalIssuance,
      rootStake: scn.chain.rootStake,
      taoWeight: scn.chain.taoWeight,
      gateBar: 0,
      subnets,
      nextSerial: serial,
      taoHalvingAt: nextHalvingIssuance(scn.chain.totalIssuance),
      ledger: emptyLedger(),
    };
    this.initial = {
      poolTao: subnets.reduce((s, x) => s + x.taoIn, 0n),
      rootStake: scn.chain.rootStake,
      alphaIssuance: subnets.reduce((s, x) => s + x.alphaIn + x.alphaOut, 0n),
    };
    const reg = scn.registrations;
    if (reg) {
      for (const d of reg.atDays) this.registrationBlocks.push(startBlock + Math.round(d * BLOCKS_PER_DAY));
    }
    if (scn.chain.emissionGate) this.refreshGateBar();
  }

  get block(): number {
    return this.state.block;
  }

  get timeMs(): number {
    return this.startTimeMs + (this.state.block - this.startBlock) * BLOCK_SECONDS * 1000;
  }

  get totalIssuance(): bigint {
    return this.state.totalIssuance;
  }

  /** Exactly one block, everything recomputed. */
  stepBlock(): void {
    this.run(this.state.block + 1, 1);
  }

  /** Advances to `block` in runs between boundaries (no run longer than `maxRun` blocks). */
  advanceTo(block: number, maxRun = Number.POSITIVE_INFINITY): void {
    if (block < this.state.block) throw new RangeError(`cannot go back from block ${this.state.block} to ${block}`);
    this.run(block, maxRun);
  }

  snapshot(): Snapshot {
    const st = this.state;
    const subnets: SubnetState[] = st.subnets.map((s) => ({
      netuid: s.netuid,
      taoIn: s.taoIn,
      alphaIn: s.alphaIn,
      alphaOut: s.alphaOut,
      price: constantProduct.spotPrice(s),
      movingPrice: s.movingPrice,
      rootProp: rootProportion(st.rootStake, st.taoWeight, s.alphaIn + s.alphaOut),
      taoInEmission: s.last.taoIn,
      alphaInEmission: s.last.alphaIn,
      alphaOutEmission: s.last.alphaOut,
      excessTao: s.last.excessTao,
      feeRate: s.feeRate,
      tempo: s.tempo,
      emissionEnabled: s.emissionEnabled,
      name: s.name,
    }));
    return {
      block: st.block,
      time: isoTime(this.timeMs),
      subnets,
      rootStake: st.rootStake,
      taoWeight: st.taoWeight,
      blockEmission: blockEmissionFor(st.totalIssuance),
    };
  }

  subnet(netuid: number): SubnetSim | undefined {
    return this.state.subnets.find((s) => s.netuid === netuid);
  }

  /**
   * Stake from an account outside the simulation (a devnet user): add_stake through the pool
   * with fee and minimums. The alpha is held in the `external` holding.
   */
  stake(netuid: number, taoGross: bigint, opts: SwapOptions = {}): BuyResult {
    const s = this.requireTradable(netuid);
    const r = buyAlpha(constantProduct, { taoIn: s.taoIn, alphaIn: s.alphaIn, feeRate: s.feeRate }, taoGross, opts);
    if (r.status === 'rejected') return r;
    this.onSwap?.({ kind: 'external-stake', netuid, block: this.state.block, buy: r });
    s.taoIn = r.after.taoIn;
    s.alphaIn = r.after.alphaIn;
    s.alphaOut += r.alphaOut;
    s.holdings.external += r.alphaOut;
    this.state.ledger.stakeTaoGross += r.taoSpent;
    this.state.ledger.stakeFeeTao += r.fee;
    return r;
  }

  /** Unstake alpha that an outside account staked through `stake` (remove_stake). */
  unstake(netuid: number, alpha: bigint, opts: SellOptions = {}): SellResult {
    const s = this.requireTradable(netuid);
    if (alpha > s.holdings.external) throw new RangeError(`unstake of ${alpha} alpha-rao exceeds the ${s.holdings.external} held by outside accounts on subnet ${netuid}`);
    const r = sellAlpha(constantProduct, { taoIn: s.taoIn, alphaIn: s.alphaIn, feeRate: s.feeRate }, alpha, opts);
    if (r.status === 'rejected') return r;
    this.onSwap?.({ kind: 'external-unstake', netuid, block: this.state.block, sell: r });
    s.taoIn = r.after.taoIn;
    s.alphaIn = r.after.alphaIn;
    s.alphaOut -= r.alphaSpent;
    s.holdings.external -= r.alphaSpent;
    this.state.ledger.unstakeTaoOut += r.taoOut;
    this.state.ledger.authorTaoFromSells += r.authorTao;
    return r;
  }

  private requireTradable(netuid: number): SubnetSim {
    const s = this.subnet(netuid);
    if (!s) throw new RangeError(`no subnet ${netuid}`);
    if (s.firstEmissionBlock > this.state.block + 1) throw new RangeError(`subnet ${netuid} has not started (no start_call yet)`);
    return s;
  }

  private nextName(g: GroupSpec): string {
    const k = (this.labelCounts.get(g.label) ?? 0) + 1;
    this.labelCounts.set(g.label, k);
    return `${g.label} ${k}`;
  }

  /**
   * Inputs of the emission split for a run of `runLength` blocks from block nextBlock. For a
   * run longer than one block the EMA prices are taken at the run's midpoint (projected with
   * the spot held), so that the shares, which the chain recomputes every block, are right on
   * average over the run.
   */
  private shareInputs(nextBlock: number, runLength = 1): ShareInput[] {
    const mid = (runLength - 1) / 2;
    const params = this.emaParams;
    return this.state.subnets.map((s) => {
      const eligible = s.firstEmissionBlock <= nextBlock;
      const movingPrice = eligible && mid > 0 ? projectMovingPrice(s.movingPrice, constantProduct.spotPrice(s), s.firstEmissionBlock, nextBlock - 1, mid, params) : s.movingPrice;
      return { eligible, movingPrice, minerBurned: s.minerBurned, emissionEnabled: s.emissionEnabled };
    });
  }

  private refreshGateBar(): void {
    const gate = this.scenario.chain.emissionGate;
    if (!gate) return;
    this.state.gateBar = gateBar(burnScaledShares(this.shareInputs(this.state.block + 1)), gate.quantile);
  }

  private run(target: number, maxRun: number): void {
    const st = this.state;
    const gate = this.scenario.chain.emissionGate;
    const emaParams = this.emaParams;
    while (st.block < target) {
      const b0 = st.block;
      let b1 = Math.min(target, b0 + maxRun, this.nextBoundary(b0));
      if (gate && (b0 + 1) % GATE_PERIOD === 0) this.refreshGateBar();

      const emission = blockEmissionFor(st.totalIssuance);
      let inputs = this.shareInputs(b0 + 1, b1 - b0);
      let tao = taoPerSubnet(emission, emissionFractions(inputs, st.gateBar, gate?.exponent ?? 0));
      let perBlock = 0n;
      for (const t of tao) perBlock += t;
      if (perBlock > 0n && st.taoHalvingAt > st.totalIssuance) {
        // End the run at the block where the TAO emission halves.
        const toHalving = (st.taoHalvingAt - st.totalIssuance + perBlock - 1n) / perBlock;
        if (toHalving < BigInt(b1 - b0)) {
          b1 = b0 + Math.max(1, Number(toHalving));
          inputs = this.shareInputs(b0 + 1, b1 - b0);
          tao = taoPerSubnet(emission, emissionFractions(inputs, st.gateBar, gate?.exponent ?? 0));
          perBlock = 0n;
          for (const t of tao) perBlock += t;
        }
      }
      const k = b1 - b0;
      const flag = rootSellFlag(this.shareInputs(b0 + 1));

      for (let i = 0; i < st.subnets.length; i++) {
        if (!inputs[i]!.eligible) continue;
        const s = st.subnets[i]!;
        const terms = { tao: tao[i]!, rootStake: st.rootStake, taoWeight: st.taoWeight, rootSellFlag: flag };
        const spotBefore = constantProduct.spotPrice(s);
        let from = b0;
        for (;;) {
          const e = nextEpochBlock(from, s.netuid, s.tempo);
          if (e > b1) break;
          runCoinbase(s, terms, e - from, st.ledger, e, this.onSwap);
          runEpoch(s);
          from = e;
        }
        if (from < b1) runCoinbase(s, terms, b1 - from, st.ledger, b1, this.onSwap);
        s.movingPrice = advanceMovingPrice(s.movingPrice, spotBefore, constantProduct.spotPrice(s), s.firstEmissionBlock, b0, k, emaParams);
      }
      st.totalIssuance += perBlock * BigInt(k);
      if (st.totalIssuance >= st.taoHalvingAt) st.taoHalvingAt = nextHalvingIssuance(st.totalIssuance);
      st.block = b1;
      this.endOfBlock(b1);
    }
  }

  /** The next block after b0 at whose end something other than coinbase and EMA happens. */
  private nextBoundary(b0: number): number {
    let next = this.nextTickBlock(b0, this.flowInterval);
    if (this.scenario.chain.emissionGate) next = Math.min(next, this.nextTickBlock(b0, GATE_PERIOD));
    const reg = this.nextRegistrationBlock();
    if (reg > b0) next = Math.min(next, reg);
    for (const s of this.state.subnets) {
      const phase = s.plan.phases[s.nextPhase];
      if (phase && phase.atBlock > b0) next = Math.min(next, phase.atBlock);
      if (s.firstEmissionBlock - 1 > b0) next = Math.min(next, s.firstEmissionBlock - 1);
    }
    return next;
  }

  /** The first block b > b0 with (b + 1) % period == 0: the last block before a multiple of the period. */
  private nextTickBlock(b0: number, period: number): number {
    const r = (b0 + 1) % period;
    return b0 + (r === 0 ? period : period - r);
  }

  private nextRegistrationBlock(): number {
    const reg = this.scenario.registrations;
    if (!reg) return Number.POSITIVE_INFINITY;
    let next = this.registrationBlocks[this.registrationIndex] ?? Number.POSITIVE_INFINITY;
    if (reg.everyDays !== undefined) {
      // Registrations every `everyDays` in the scenario's market; as often per subnet in a smaller one.
      const every = reg.everyDays * this.scale;
      next = Math.min(next, this.startBlock + Math.round((reg.firstDay + this.everyIndex * every) * BLOCKS_PER_DAY));
    }
    return next;
  }

  private endOfBlock(b: number): void {
    const st = this.state;
    if ((b + 1) % this.flowInterval === 0) {
      const ctx = {
        seed: this.seed,
        tick: (b + 1) / this.flowInterval,
        intervalBlocks: this.flowInterval,
        rootClaimBlocks: this.rootClaimBlocks,
        rootClaimSwap: this.scenario.chain.rootClaimSwap,
        ledger: st.ledger,
        addRootStake: (tao: bigint) => {
          st.rootStake += tao;
        },
        block: b,
        observe: this.onSwap,
      };
      for (const s of st.subnets) if (s.firstEmissionBlock <= b) runFlowTick(s, ctx);
      const drift = this.scenario.chain.rootDrift;
      if (drift !== 0) {
        let delta = BigInt(Math.round((drift * 1e9 * this.flowInterval) / BLOCKS_PER_DAY));
        if (st.rootStake + delta < 0n) delta = -st.rootStake;
        st.rootStake += delta;
        st.ledger.rootDriftTao += delta;
      }
    }
    for (const s of st.subnets) {
      for (;;) {
        const phase = s.plan.phases[s.nextPhase];
        if (!phase || phase.atBlock > b) break;
        Object.assign(s.flows, phase.flows);
        if (phase.emissionEnabled !== undefined) s.emissionEnabled = phase.emissionEnabled;
        if (phase.minerBurn !== undefined) s.minerBurned = phase.minerBurn;
        s.nextPhase++;
      }
    }
    while (this.nextRegistrationBlock() <= b) {
      const reg = this.scenario.registrations!;
      const fromList = this.registrationBlocks[this.registrationIndex] ?? Number.POSITIVE_INFINITY;
      if (fromList <= b) this.registrationIndex++;
      else if (reg.everyDays !== undefined) this.everyIndex++;
      this.register(b);
    }
  }

  private register(b: number): void {
    const st = this.state;
    const reg = this.scenario.registrations!;
    const group = this.scenario.groups.find((g) => g.name === reg.group)!;
    let netuid: number;
    if (st.subnets.length < this.subnetLimit) {
      const used = new Set(st.subnets.map((s) => s.netuid));
      netuid = 1;
      while (used.has(netuid)) netuid++;
    } else {
      // Dissolve the prunable subnet with the lowest EMA price (mechanics §2.11).
      let victim: SubnetSim | undefined;
      for (const s of st.subnets) {
        if (s.registeredAt + this.immunityBlocks > b) continue;
        if (!victim || s.movingPrice < victim.movingPrice) victim = s;
      }
      if (!victim) return; // every subnet is still immune: the registration cannot happen
      st.ledger.prunePayoutTao += victim.taoIn;
      st.ledger.pruneAlphaDestroyed += victim.alphaIn + victim.alphaOut;
      st.ledger.prunes++;
      this.events.push({ block: b, kind: 'prune', netuid: victim.netuid, name: victim.name, payoutTao: victim.taoIn, payoutByHolder: payoutShares(victim) });
      st.subnets.splice(st.subnets.indexOf(victim), 1);
      netuid = victim.netuid;
    }
    const serial = st.nextSerial++;
    const s = registeredSubnet(group, reg, { netuid, serial, name: this.nextName(group), seed: this.seed, scale: this.scale }, b);
    st.ledger.registrationTao += s.taoIn;
    st.ledger.registrationAlpha += s.alphaIn;
    st.ledger.registrations++;
    this.events.push({ block: b, kind: 'register', netuid, name: s.name });
    let at = st.subnets.findIndex((x) => x.netuid > netuid);
    if (at < 0) at = st.subnets.length;
    st.subnets.splice(at, 0, s);
  }
}
