/**
 * Scenario files: the parameters of a simulated market, in JSON under config/scenarios/
 * (users can write their own and pass a path). This module reads and validates one; a bad
 * file is a UserError naming file:line: field and what to write instead.
 *
 * A "range" is either a number or a [low, high] pair; each subnet draws its own value from the
 * pair (log-uniform for scales such as pool size and price, uniform otherwise).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserError } from '../core/errors.ts';
import { AmountFormatError, parseAmount } from '../core/units.ts';
import { formatJsonPath, jsonValueLines, lineOf, syntaxErrorLine } from './json-lines-of.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCENARIO_DIR = join(REPO_ROOT, 'config', 'scenarios');

export type Range = number | readonly [number, number];

const rangeOf = (item: z.ZodNumber) =>
  z.union([item, z.tuple([item, item])], { error: 'expected a number or a [low, high] pair of numbers' });

const amount = z.union([z.string(), z.number()], { error: 'expected an amount in TAO, e.g. "4500000" or 4500000' });

const FlowsFile = z.strictObject({
  drift: rangeOf(z.number()).optional(),
  volatility: rangeOf(z.number().min(0)).optional(),
  momentum: rangeOf(z.number().min(0)).optional(),
  momentum_days: z.number().positive().optional(),
  jump_rate: rangeOf(z.number().min(0)).optional(),
  jump_size: rangeOf(z.number().min(0)).optional(),
});

const PhaseFile = z.strictObject({
  after_days: z.number().min(0),
  flows: FlowsFile.optional(),
  emission_enabled: z.boolean().optional(),
  miner_burn: rangeOf(z.number().min(0).max(1)).optional(),
});

const shareError = 'expected a share of the issued alpha above 0 and below 1, e.g. [0.3, 0.6]';

const GroupFile = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'use lower-case letters, digits and dashes' }),
  label: z.string().min(1).optional(),
  count: z.number().int().min(0).optional(),
  weight: z.number().min(0).optional(),
  pool_tao: rangeOf(z.number().positive()),
  price: rangeOf(z.number().positive()).optional(),
  pool_alpha_share: rangeOf(z.number().gt(0, { error: shareError }).lt(1, { error: shareError })).optional(),
  ema_ratio: rangeOf(z.number().min(0)).optional(),
  age_days: rangeOf(z.number().min(0)).optional(),
  emission_enabled: z.union([z.boolean(), z.number().min(0).max(1)], { error: 'expected true, false or a probability in [0, 1]' }).optional(),
  miner_burn: rangeOf(z.number().min(0).max(1)).optional(),
  fee_rate: z.number().int().min(0).max(10_000).optional(),
  tempo: z.number().int().min(1).max(50_400).optional(),
  holders: z.strictObject({ staker: z.number().min(0), owner: z.number().min(0), miner: z.number().min(0) }).optional(),
  miner_sell: z.number().min(0).max(1).optional(),
  miner_sell_halflife_days: z.number().positive().optional(),
  flows: FlowsFile.optional(),
  phases: z.array(PhaseFile).optional(),
});

const ScenarioFile = z.strictObject({
  description: z.string().min(1),
  subnets: z.number().int().min(1).max(1024),
  days: z.number().positive().optional(),
  step: z.number().int().positive().optional(),
  flow_interval_blocks: z.number().int().min(1).max(7200).optional(),
  chain: z
    .strictObject({
      total_issuance: amount.optional(),
      root_stake: amount.optional(),
      tao_weight: z.number().min(0).max(1).optional(),
      subnet_limit: z.union([z.number().int().min(1), z.literal('initial')], { error: 'expected a whole number or "initial"' }).optional(),
      moving_alpha: z.number().min(0).max(1).optional(),
      ema_halving_blocks: z.number().int().min(0).optional(),
      immunity_days: z.number().min(0).optional(),
      emission_gate: z.union([z.null(), z.strictObject({ quantile: z.number().gt(0).max(1), exponent: z.number().positive() })]).optional(),
      root_claim_days: z.number().positive().optional(),
      root_claim_swap: z.number().min(0).max(1).optional(),
      root_drift: z.number().optional(),
    })
    .optional(),
  groups: z.array(GroupFile).min(1),
  registrations: z
    .strictObject({
      group: z.string(),
      at_days: z.array(z.number().min(0)).optional(),
      every_days: z.number().positive().optional(),
      first_day: z.number().min(0).optional(),
      emission_enabled: z.boolean().optional(),
      start_call_delay_days: z.number().min(0).optional(),
    })
    .optional(),
});

type FlowsFileT = z.infer<typeof FlowsFile>;

export interface FlowsSpec {
  /** Net inflow per day, as a fraction of the pool's TAO (negative: net exits). */
  drift: Range;
  /** Standard deviation of the flow per square-root day, as a fraction of the pool's TAO. */
  volatility: Range;
  /** Largest extra flow per day from trend chasing (price far above / below the traders' reference). */
  momentum: Range;
  /** Averaging time of the traders' reference price, days. */
  momentumDays: number;
  /** Expected number of large one-off trades per day. */
  jumpRate: Range;
  /** Standard deviation of one such trade, as a fraction of the pool's TAO. */
  jumpSize: Range;
}

export interface PhaseSpec {
  afterDays: number;
  flows: Partial<FlowsSpec>;
  emissionEnabled?: boolean;
  minerBurn?: Range;
}

export interface GroupSpec {
  name: string;
  label: string;
  count?: number;
  weight: number;
  poolTao: Range;
  /** TAO per alpha of the pool; required for subnets registered during the run. */
  price?: Range;
  /**
   * For subnets that exist at the start: the share of the alpha they have issued by their age
   * that sits in the pool (the price is then pool_tao / alpha_in). Takes precedence over price.
   */
  poolAlphaShare?: Range;
  emaRatio: Range;
  ageDays: Range;
  /** true / false, or the probability that a subnet of the group has emission enabled. */
  emissionEnabled: boolean | number;
  minerBurn: Range;
  feeRate: number;
  tempo: number;
  holders: { staker: number; owner: number; miner: number };
  minerSell: number;
  minerSellHalflifeDays: number;
  flows: FlowsSpec;
  phases: PhaseSpec[];
}

export interface ChainSpec {
  totalIssuance: bigint;
  rootStake: bigint;
  taoWeight: number;
  subnetLimit: number | 'initial';
  movingAlpha: number;
  emaHalvingBlocks: number;
  immunityDays: number;
  emissionGate: { quantile: number; exponent: number } | null;
  rootClaimDays: number;
  /** Share of claimed root dividends sold for root stake (RootClaimType Swap); the rest is kept as alpha. */
  rootClaimSwap: number;
  /** TAO per day others add to (or, negative, take from) root stake. */
  rootDrift: number;
}

export interface RegistrationSpec {
  group: string;
  atDays: number[];
  everyDays?: number;
  firstDay: number;
  emissionEnabled: boolean;
  startCallDelayDays: number;
}

export interface Scenario {
  /** Name (file name without .json). */
  name: string;
  /** Where it was read from. */
  file: string;
  description: string;
  subnets: number;
  days: number;
  step: number;
  flowIntervalBlocks: number;
  chain: ChainSpec;
  groups: GroupSpec[];
  registrations?: RegistrationSpec;
}

export const DEFAULT_FLOWS: FlowsSpec = {
  drift: 0,
  volatility: 0.02,
  momentum: 0,
  momentumDays: 3,
  jumpRate: 0,
  jumpSize: 0,
};

function flowsOf(f: FlowsFileT | undefined, base: FlowsSpec): FlowsSpec {
  return {
    drift: f?.drift ?? base.drift,
    volatility: f?.volatility ?? base.volatility,
    momentum: f?.momentum ?? base.momentum,
    momentumDays: f?.momentum_days ?? base.momentumDays,
    jumpRate: f?.jump_rate ?? base.jumpRate,
    jumpSize: f?.jump_size ?? base.jumpSize,
  };
}

function partialFlowsOf(f: FlowsFileT | undefined): Partial<FlowsSpec> {
  const out: Partial<FlowsSpec> = {};
  if (!f) return out;
  if (f.drift !== undefined) out.drift = f.drift;
  if (f.volatility !== undefined) out.volatility = f.volatility;
  if (f.momentum !== undefined) out.momentum = f.momentum;
  if (f.momentum_days !== undefined) out.momentumDays = f.momentum_days;
  if (f.jump_rate !== undefined) out.jumpRate = f.jump_rate;
  if (f.jump_size !== undefined) out.jumpSize = f.jump_size;
  return out;
}

/** Resolves `name` (config/scenarios/<name>.json) or a path to a scenario file. */
export function scenarioPath(nameOrPath: string): string {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.json');
  if (looksLikePath) {
    const p = resolve(nameOrPath);
    if (!existsSync(p)) throw new UserError(`scenario file not found: ${nameOrPath} (give a path to a .json scenario, or a name from \`dtao synth --list\`)`);
    return p;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(nameOrPath)) {
    throw new UserError(`bad scenario name ${JSON.stringify(nameOrPath)} (use a name from \`dtao synth --list\` or a path to a .json file)`);
  }
  const p = join(SCENARIO_DIR, `${nameOrPath}.json`);
  if (!existsSync(p)) {
    throw new UserError(`unknown scenario "${nameOrPath}" (known: ${listScenarioNames().join(', ')}; or give a path to a .json file)`);
  }
  return p;
}

export function listScenarioNames(): string[] {
  if (!existsSync(SCENARIO_DIR)) return [];
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Reads and validates a scenario by name or path. */
export function loadScenario(nameOrPath: string): Scenario {
  const file = scenarioPath(nameOrPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read scenario file ${file}: ${(err as Error).message}`);
  }
  return parseScenario(text, file);
}

/** Validates scenario text; `file` names it in messages. */
export function parseScenario(text: string, file: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const line = syntaxErrorLine(text, err);
    throw new UserError(`${file}${line ? `:${line}` : ''}: not valid JSON (${(err as Error).message}); fix the syntax`);
  }
  const lines = jsonValueLines(text);
  const fail = (path: (string | number)[], message: string): never => {
    const field = formatJsonPath(path);
    throw new UserError(`${file}:${lineOf(lines, path)}: ${field || '(top level)'}: ${message}`);
  };
  const parsed = ScenarioFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      fail([...path, keys[0]!], `unknown field "${keys[0]}" (see docs/simulator.md for the fields a scenario may have)`);
    }
    fail(path, issue.message);
  }
  const f = parsed.data!;

  const amountField = (value: string | number | undefined, fallback: bigint, path: string[]): bigint => {
    if (value === undefined) return fallback;
    try {
      return parseAmount(value);
    } catch (err) {
      if (err instanceof AmountFormatError) return fail(path, `${err.message}; write a plain decimal TAO amount such as "4500000"`);
      throw err;
    }
  };

  const rangeOk = (r: Range | undefined, path: (string | number)[]) => {
    if (Array.isArray(r) && (r as number[])[0]! > (r as number[])[1]!) fail(path, `low ${r[0]} is above high ${r[1]}; write [low, high]`);
  };

  const groups: GroupSpec[] = f.groups.map((g, gi) => {
    for (const key of ['pool_tao', 'price', 'pool_alpha_share', 'ema_ratio', 'age_days', 'miner_burn'] as const) rangeOk(g[key], ['groups', gi, key]);
    if (g.price === undefined && g.pool_alpha_share === undefined) {
      fail(['groups', gi], 'give price (TAO per alpha) or pool_alpha_share (the share of the alpha issued by the subnet\'s age that sits in its pool)');
    }
    const lowAge = g.age_days === undefined ? 400 : typeof g.age_days === 'number' ? g.age_days : g.age_days[0];
    if (g.pool_alpha_share !== undefined && lowAge <= 0) {
      fail(['groups', gi, 'age_days'], 'a subnet of age 0 has issued no alpha for pool_alpha_share to take a share of; give an age above 0, or give price instead');
    }
    for (const key of ['drift', 'volatility', 'momentum', 'jump_rate', 'jump_size'] as const) rangeOk(g.flows?.[key], ['groups', gi, 'flows', key]);
    if (g.count !== undefined && g.weight !== undefined) fail(['groups', gi, 'count'], 'give either count or weight, not both');
    const holders = g.holders ?? { staker: 0.8, owner: 0.12, miner: 0.03 };
    if (holders.staker + holders.owner + holders.miner > 1 + 1e-12) fail(['groups', gi, 'holders'], 'staker + owner + miner must not exceed 1 (the rest is protocol-owned alpha)');
    const flows = flowsOf(g.flows, DEFAULT_FLOWS);
    const phases: PhaseSpec[] = (g.phases ?? []).map((p) => {
      const out: PhaseSpec = { afterDays: p.after_days, flows: partialFlowsOf(p.flows) };
      if (p.emission_enabled !== undefined) out.emissionEnabled = p.emission_enabled;
      if (p.miner_burn !== undefined) out.minerBurn = p.miner_burn;
      return out;
    });
    for (let k = 1; k < phases.length; k++) {
      if (phases[k]!.afterDays < phases[k - 1]!.afterDays) fail(['groups', gi, 'phases', k, 'after_days'], 'phases must be in time order');
    }
    const spec: GroupSpec = {
      name: g.name,
      label: g.label ?? g.name,
      weight: g.weight ?? (g.count === undefined ? 1 : 0),
      poolTao: g.pool_tao,
      emaRatio: g.ema_ratio ?? 1,
      ageDays: g.age_days ?? [400, 550],
      emissionEnabled: g.emission_enabled ?? true,
      minerBurn: g.miner_burn ?? 0,
      feeRate: g.fee_rate ?? 33,
      tempo: g.tempo ?? 360,
      holders,
      minerSell: g.miner_sell ?? 0.9,
      minerSellHalflifeDays: g.miner_sell_halflife_days ?? 1,
      flows,
      phases,
    };
    if (g.count !== undefined) spec.count = g.count;
    if (g.price !== undefined) spec.price = g.price;
    if (g.pool_alpha_share !== undefined) spec.poolAlphaShare = g.pool_alpha_share;
    return spec;
  });
  const names = new Set<string>();
  groups.forEach((g, gi) => {
    if (names.has(g.name)) fail(['groups', gi, 'name'], `group name "${g.name}" is used twice`);
    names.add(g.name);
  });

  const c = f.chain ?? {};
  const chain: ChainSpec = {
    totalIssuance: amountField(c.total_issuance, 10_600_000n * 1_000_000_000n, ['chain', 'total_issuance']),
    rootStake: amountField(c.root_stake, 4_500_000n * 1_000_000_000n, ['chain', 'root_stake']),
    taoWeight: c.tao_weight ?? 0.18,
    subnetLimit: c.subnet_limit ?? 128,
    movingAlpha: c.moving_alpha ?? 0.000003,
    emaHalvingBlocks: c.ema_halving_blocks ?? 201_600,
    immunityDays: c.immunity_days ?? 120,
    emissionGate: c.emission_gate ?? null,
    rootClaimDays: c.root_claim_days ?? 0.14,
    rootClaimSwap: c.root_claim_swap ?? 1,
    rootDrift: c.root_drift ?? 0,
  };

  let registrations: RegistrationSpec | undefined;
  if (f.registrations) {
    const r = f.registrations;
    if (!names.has(r.group)) fail(['registrations', 'group'], `no group named "${r.group}" (groups: ${[...names].join(', ')})`);
    if (groups.find((g) => g.name === r.group)!.price === undefined) {
      fail(['registrations', 'group'], `group "${r.group}" has no price; a newly registered subnet has no history to take a pool_alpha_share of, so give that group a price`);
    }
    if (!r.at_days?.length && r.every_days === undefined) fail(['registrations'], 'give at_days, every_days or both');
    registrations = {
      group: r.group,
      atDays: [...(r.at_days ?? [])].sort((a, b) => a - b),
      firstDay: r.first_day ?? r.every_days ?? 0,
      emissionEnabled: r.emission_enabled ?? false,
      startCallDelayDays: r.start_call_delay_days ?? 0,
    };
    if (r.every_days !== undefined) registrations.everyDays = r.every_days;
  }

  const scenario: Scenario = {
    name: basename(file).replace(/\.json$/, ''),
    file,
    description: f.description,
    subnets: f.subnets,
    days: f.days ?? 90,
    step: f.step ?? 300,
    flowIntervalBlocks: f.flow_interval_blocks ?? 60,
    chain,
    groups,
  };
  if (registrations) scenario.registrations = registrations;
  return scenario;
}
