/**
 * The simulated market's state: one record per subnet (pool, alpha outside the pool broken
 * down by who holds it, EMA price, the last block's emissions) and a ledger of every amount
 * that entered or left, kept so that conservation can be checked exactly.
 */

/** Flow parameters of one subnet, drawn from its group's ranges. */
export interface ResolvedFlows {
  drift: number;
  volatility: number;
  momentum: number;
  momentumDays: number;
  jumpRate: number;
  jumpSize: number;
}

export interface ResolvedPhase {
  /** The phase takes effect after this block. */
  atBlock: number;
  flows: Partial<ResolvedFlows>;
  emissionEnabled?: boolean;
  minerBurn?: number;
}

/** How one subnet's participants behave, fixed when the subnet is created. */
export interface SubnetPlan {
  group: string;
  flows: ResolvedFlows;
  phases: ResolvedPhase[];
  /** Fraction of each miner payout that miners sell (the rest they keep staked). */
  minerSell: number;
  minerSellHalflifeBlocks: number;
}

/**
 * Who holds a subnet's alpha outside the pool (SubnetAlphaOut). The fields always add up to
 * `alphaOut`; the conservation tests check it.
 */
export interface AlphaHoldings {
  /** Bought by chain buys (SubnetProtocolAlpha): nobody receives it. */
  protocol: bigint;
  /** Owner cut received at epochs; auto-locked, never sold here. */
  owner: bigint;
  /** Miner incentive waiting to be sold. */
  miner: bigint;
  /** Alpha stakers: validators and their nominators, and everyone who bought. */
  staker: bigint;
  /** Miner incentive burned (MinerBurned): burning leaves SubnetAlphaOut unchanged. */
  burned: bigint;
  /** Root dividends credited at epochs and not yet claimed. */
  rootClaimable: bigint;
  /** Bought through the engine's stake/unstake by accounts outside the simulation (devnet users). */
  external: bigint;
  pendingOwner: bigint;
  pendingServer: bigint;
  pendingValidator: bigint;
  pendingRoot: bigint;
}

export function emptyHoldings(): AlphaHoldings {
  return {
    protocol: 0n, owner: 0n, miner: 0n, staker: 0n, burned: 0n, rootClaimable: 0n, external: 0n,
    pendingOwner: 0n, pendingServer: 0n, pendingValidator: 0n, pendingRoot: 0n,
  };
}

export function sumHoldings(h: AlphaHoldings): bigint {
  return h.protocol + h.owner + h.miner + h.staker + h.burned + h.rootClaimable + h.external
    + h.pendingOwner + h.pendingServer + h.pendingValidator + h.pendingRoot;
}

/** Per-block emissions of the last block (what the chain stores for display). */
export interface LastEmission {
  taoIn: bigint;
  alphaIn: bigint;
  alphaOut: bigint;
  excessTao: bigint;
}

export interface SubnetSim {
  netuid: number;
  /** Registration serial: unique over the run, also when a netuid is reused. Seeds its draws. */
  serial: number;
  name: string;
  plan: SubnetPlan;
  /** Flow parameters now in force (the plan's, updated by phases). */
  flows: ResolvedFlows;
  nextPhase: number;
  registeredAt: number;
  /** Block set by start_call; before it the subnet gets no emission and cannot be traded. */
  firstEmissionBlock: number;
  feeRate: number;
  tempo: number;
  emissionEnabled: boolean;
  minerBurned: number;
  taoIn: bigint;
  alphaIn: bigint;
  alphaOut: bigint;
  holdings: AlphaHoldings;
  /**
   * Staker alpha that the simulated traders never sell: the long-term part of the stake a
   * subnet already had when the run started (validators' own stake, locked and idle stake).
   * Without it a long outflow empties the stakers' holdings and leaves alpha outside the pool
   * at a sliver of the pool's alpha, which mainnet never shows (Aug 2026: at least 0.44 of the
   * pool alpha, as root_prop implies it, on every subnet). 0 for subnets registered in the run.
   */
  stakerFloor: bigint;
  /** SubnetMovingPrice, TAO per alpha. */
  movingPrice: number;
  /** Traders' reference price for trend following (an EMA of spot over momentumDays). */
  traderRef: number;
  last: LastEmission;
  /** Cached alpha issuance at which this subnet's alpha emission next halves. */
  alphaHalvingAt: bigint;
}

/** Cumulative amounts since the start of the run (rao / alpha-rao). */
export interface Ledger {
  /** TAO emitted to subnets (sum of T_i over blocks). */
  taoEmitted: bigint;
  /** ... of which injected into pools as liquidity (tao_in). */
  taoInjected: bigint;
  /** ... of which spent on chain buys (excess TAO). */
  taoChainBuys: bigint;
  alphaChainBought: bigint;
  /** Alpha minted into pools by injection (alpha_in). */
  alphaInjected: bigint;
  /** Alpha minted to participants (alpha_out emission, before recycling). */
  alphaOutMinted: bigint;
  /** Root share recycled because the root sell flag was off. */
  alphaRecycled: bigint;
  /** Gross TAO others paid to stake (fee included). */
  stakeTaoGross: bigint;
  /** Swap fees in TAO on those buys, paid to block authors. */
  stakeFeeTao: bigint;
  /** TAO paid out to sellers of alpha. */
  unstakeTaoOut: bigint;
  /** TAO paid to block authors for the fee alpha of sells. */
  authorTaoFromSells: bigint;
  /** TAO from fee-free root-dividend claim sales, moved into root stake. */
  rootClaimTao: bigint;
  /** TAO others added to (negative: removed from) root stake directly. */
  rootDriftTao: bigint;
  /** TAO put into new pools at registration (the lock). */
  registrationTao: bigint;
  /** Alpha a new pool starts with. */
  registrationAlpha: bigint;
  /** TAO paid out of dissolved pools to holders of alpha. */
  prunePayoutTao: bigint;
  /** Alpha destroyed with dissolved subnets (pool and outside). */
  pruneAlphaDestroyed: bigint;
  /** Number of subnets registered / dissolved during the run. */
  registrations: number;
  prunes: number;
}

export function emptyLedger(): Ledger {
  return {
    taoEmitted: 0n, taoInjected: 0n, taoChainBuys: 0n, alphaChainBought: 0n, alphaInjected: 0n,
    alphaOutMinted: 0n, alphaRecycled: 0n, stakeTaoGross: 0n, stakeFeeTao: 0n, unstakeTaoOut: 0n,
    authorTaoFromSells: 0n, rootClaimTao: 0n, rootDriftTao: 0n, registrationTao: 0n, registrationAlpha: 0n, prunePayoutTao: 0n,
    pruneAlphaDestroyed: 0n, registrations: 0, prunes: 0,
  };
}

/** Chain-wide state. */
export interface MarketState {
  block: number;
  totalIssuance: bigint;
  /** SubnetTAO[0], rao. */
  rootStake: bigint;
  taoWeight: number;
  /** Emission gate bar θ (spec 440), recomputed every 360 blocks; 0 = no gate. */
  gateBar: number;
  /** Subnets by netuid order. */
  subnets: SubnetSim[];
  nextSerial: number;
  /** Cached issuance at which TAO block emission next halves. */
  taoHalvingAt: bigint;
  ledger: Ledger;
}
