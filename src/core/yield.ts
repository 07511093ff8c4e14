/**
 * The yield model: what an alpha position and a root position earn from a subnet's alpha
 * emission (mechanics §2.6–2.10, §4).
 *
 * Per block a subnet emits `a` alpha to participants: the owner takes 18%, the rest is split
 * half to miners and half to validators, and the validators' half is split again: a
 * `root_prop` share goes to root stakers, the rest to alpha stakers. Validators keep their
 * take (default 18%) and pass the rest to their nominators pro rata to stake. Pending
 * emission is paid once per epoch (every tempo+1 blocks on the fixed schedule).
 *
 *   alpha staker with A alpha: per epoch  V * (1 - take) * A / (S + A)
 *   root staker with r TAO:    per epoch  Vr * (1 - take) * r / (R + r)    in alpha of that subnet
 * with V, Vr the validator and root parts of one epoch's emission, S the alpha already staked
 * on the subnet (alpha_out) and R the TAO already staked on root. Our own stake is added to the
 * denominators because the historical data does not contain it.
 *
 * Where a snapshot lacks an input the model uses a documented estimate and says so once.
 */
import { DEFAULT_TAKE_U16 } from './emission.ts';
import { DEFAULT_TAO_WEIGHT, DEFAULT_TEMPO } from './snapshot.ts';

/** Root stake assumed when the data has no root_stake: what mainnet root_prop values of
 *  July–August 2026 imply (their drift over the month puts it at 4.1–4.9M TAO). */
export const ASSUMED_ROOT_STAKE = 4_500_000_000_000_000n;
/** Root proportion assumed when neither root_prop nor the inputs to compute it are present. */
export const ASSUMED_ROOT_PROP = 0.15;

export interface YieldAssumptions {
  rootStake: bigint;
  rootProp: number;
  taoWeight: number;
  tempo: number;
}

export const DEFAULT_ASSUMPTIONS: YieldAssumptions = {
  rootStake: ASSUMED_ROOT_STAKE,
  rootProp: ASSUMED_ROOT_PROP,
  taoWeight: DEFAULT_TAO_WEIGHT,
  tempo: DEFAULT_TEMPO,
};

/** The inputs of one subnet's yield at one snapshot; absent ones are undefined. */
export interface SubnetYieldData {
  netuid: number;
  alphaIn: bigint;
  alphaOut?: bigint;
  rootProp?: number;
  alphaOutEmission?: bigint;
  tempo?: number;
}

export interface GlobalYieldData {
  rootStake?: bigint;
  taoWeight?: number;
}

/** Which estimate stood in for a missing input (keys are stable, for "say so once"). */
export type Assumption =
  | 'root_stake' | 'tao_weight' | 'tempo' | 'root_prop' | 'alpha_out_from_root_prop' | 'alpha_out_as_alpha_in'
  | 'alpha_out_emission';

export interface ResolvedYield {
  /** Alpha emitted to participants per block, alpha-rao. */
  alphaPerBlock: number;
  rootProp: number;
  /** Alpha staked on the subnet by others (S), alpha-rao. */
  stakedAlpha: number;
  /** TAO staked on root by others (R), rao. */
  rootStake: number;
  tempo: number;
  /** Validator (alpha stakers') and root parts of one epoch's emission, alpha-rao, before take. */
  validatorPerEpoch: number;
  rootPerEpoch: number;
}

/**
 * Resolves one subnet's yield inputs, filling gaps in this order:
 * alpha_out: given; else alpha issuance from root_prop (issuance = w*R*(1-rp)/rp) minus
 * alpha_in; else alpha_in. Emission per block: given; else the halving rule on alpha issuance
 * (1 alpha/block below 10.5M). root_prop: given; else computed from R, w and issuance; else
 * assumed. `note` is called with the key of each assumption made.
 *
 * Rates are observations and come out as doubles in base units (rao / alpha-rao); only what
 * a position is credited is floored to an exact amount (`alphaEpochReward`, `rootEpochReward`).
 */
export function resolveYield(s: SubnetYieldData, g: GlobalYieldData, a: YieldAssumptions, rootSellFlag: boolean, note: (k: Assumption) => void): ResolvedYield {
  const out: ResolvedYield = { alphaPerBlock: 0, rootProp: 0, stakedAlpha: 0, rootStake: 0, tempo: 0, validatorPerEpoch: 0, rootPerEpoch: 0 };
  const flags = new Uint8Array(ASSUMPTION_KEYS.length);
  resolveYieldInto(
    out, Number(s.alphaIn), s.alphaOut === undefined ? NaN : Number(s.alphaOut), s.rootProp ?? NaN,
    s.alphaOutEmission === undefined ? NaN : Number(s.alphaOutEmission), s.tempo ?? -1,
    g.rootStake === undefined ? NaN : Number(g.rootStake), g.taoWeight ?? NaN, a, rootSellFlag, flags,
  );
  for (let k = 0; k < flags.length; k++) if (flags[k]) note(ASSUMPTION_KEYS[k]!);
  return out;
}

/** Every assumption key, in a fixed order (indices of the flags `resolveYieldInto` sets). */
export const ASSUMPTION_KEYS: readonly Assumption[] = [
  'root_stake', 'tao_weight', 'tempo', 'alpha_out_from_root_prop', 'alpha_out_as_alpha_in', 'alpha_out_emission', 'root_prop',
];

/**
 * The allocation-free core of `resolveYield`, for the per-row hot path: inputs as doubles in
 * base units (NaN, or -1 for tempo, where absent), results written into `out`, and each
 * assumption made flagged in `assumed` (indexed as ASSUMPTION_KEYS).
 */
export function resolveYieldInto(
  out: ResolvedYield, alphaIn: number, alphaOutGiven: number, rootPropGiven: number, alphaOutEmission: number, tempoGiven: number,
  rootStakeGiven: number, taoWeightGiven: number, a: YieldAssumptions, rootSellFlag: boolean, assumed: Uint8Array,
): void {
  let rootStake = rootStakeGiven;
  if (Number.isNaN(rootStake)) {
    assumed[0] = 1;
    rootStake = Number(a.rootStake);
  }
  let w = taoWeightGiven;
  if (Number.isNaN(w)) {
    assumed[1] = 1;
    w = a.taoWeight;
  }
  let tempo = tempoGiven;
  if (tempo < 0) {
    assumed[2] = 1;
    tempo = a.tempo;
  }
  let alphaOut = alphaOutGiven;
  let issuance = alphaIn + alphaOut;
  if (Number.isNaN(alphaOut) && rootPropGiven > 0 && rootPropGiven < 1) {
    const est = (w * rootStake * (1 - rootPropGiven)) / rootPropGiven;
    if (est > alphaIn) {
      assumed[3] = 1;
      issuance = est;
      alphaOut = est - alphaIn;
    }
  }
  if (Number.isNaN(alphaOut)) {
    assumed[4] = 1;
    alphaOut = alphaIn;
    issuance = 2 * alphaIn;
  }
  let alphaPerBlock = alphaOutEmission;
  if (Number.isNaN(alphaPerBlock)) {
    assumed[5] = 1;
    alphaPerBlock = emissionRateFor(issuance);
  }
  let rootProp = rootPropGiven;
  if (Number.isNaN(rootProp)) {
    if (!Number.isNaN(rootStakeGiven) && !Number.isNaN(alphaOutGiven)) {
      const wr = w * rootStakeGiven;
      rootProp = wr + alphaIn + alphaOutGiven > 0 ? wr / (wr + alphaIn + alphaOutGiven) : 0;
    } else {
      assumed[6] = 1;
      rootProp = a.rootProp;
    }
  }
  // Per block: owner 11796/65535, the rest half to miners and half to validators, of which
  // root_prop goes to root stakers (recycled while the root sell flag is off).
  const owner = (alphaPerBlock * 11_796) / 65_535;
  const half = (alphaPerBlock - owner) / 2;
  const rootPart = half * rootProp;
  const blocks = tempo + 1;
  out.alphaPerBlock = alphaPerBlock;
  out.rootProp = rootProp;
  out.stakedAlpha = alphaOut;
  out.rootStake = rootStake;
  out.tempo = tempo;
  out.validatorPerEpoch = (half - rootPart) * blocks;
  out.rootPerEpoch = rootSellFlag ? rootPart * blocks : 0;
}

/** Alpha (or TAO) emitted per block at a given issuance, base units, as a double (halving rule). */
export function emissionRateFor(issuance: number): number {
  // Same thresholds as blockEmissionFor (10.5M, 15.75M, ...), in doubles: this runs per row.
  const supply = 21e15;
  if (issuance >= supply) return 0;
  let k = 0;
  let remaining = supply / 2;
  while (issuance >= supply - remaining && k < 64) {
    k++;
    remaining /= 2;
  }
  return 1e9 / 2 ** k;
}

const TAKE_DEN = 65_535;

/** Validator take as u16 over 65535 from a fraction (0.18 -> 11796). */
export function takeToU16(take: number): number {
  if (!(take >= 0 && take <= 1)) throw new RangeError(`validator take must be between 0 and 1, got ${take}`);
  return Math.abs(take - 0.18) < 1e-9 ? DEFAULT_TAKE_U16 : Math.round(take * 65535);
}

/** One epoch's dividend to an alpha position of `alpha` alpha-rao, floored to the alpha-rao:
 *  V * (1 - take) * A / (S + A). */
export function alphaEpochReward(validatorPerEpoch: number, stakedAlpha: number, alpha: bigint, takeU16: number): bigint {
  if (alpha <= 0n || !(validatorPerEpoch > 0)) return 0n;
  const A = Number(alpha);
  return BigInt(Math.floor((validatorPerEpoch * (TAKE_DEN - takeU16) * A) / (TAKE_DEN * (stakedAlpha + A))));
}

/** `epochs` epochs of root dividends (alpha of that subnet) to `rootTao` rao on root:
 *  epochs * Vr * (1 - take) * r / (R + r), floored. */
export function rootEpochReward(rootPerEpoch: number, rootStake: number, rootTao: bigint, takeU16: number, epochs: number): bigint {
  if (rootTao <= 0n || !(rootPerEpoch > 0) || epochs <= 0) return 0n;
  const r = Number(rootTao);
  return BigInt(Math.floor((epochs * rootPerEpoch * (TAKE_DEN - takeU16) * r) / (TAKE_DEN * (rootStake + r))));
}
/** Human text for each assumption key, for the run's notes. */
export function describeAssumption(k: Assumption, a: YieldAssumptions): string {
  switch (k) {
    case 'root_stake': return `root_stake missing: assumed ${Number(a.rootStake / 1_000_000_000n).toLocaleString('en-US')} TAO on root (what mainnet root_prop values of Jul–Aug 2026 imply)`;
    case 'tao_weight': return `tao_weight missing: assumed ${a.taoWeight}`;
    case 'tempo': return `tempo missing: assumed ${a.tempo} blocks`;
    case 'root_prop': return `root_prop missing: assumed ${a.rootProp}`;
    case 'alpha_out_from_root_prop': return 'alpha_out missing: estimated from root_prop and root stake (alpha issuance = w*R*(1-root_prop)/root_prop)';
    case 'alpha_out_as_alpha_in': return 'alpha_out missing and not estimable: assumed equal to alpha_in';
    case 'alpha_out_emission': return 'alpha_out_emission missing: 1 alpha per block (halving rule on alpha issuance)';
  }
}
