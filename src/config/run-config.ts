/**
 * The run configuration file (JSON): capital, default strategies and their parameters, the
 * market model, and where data and outputs go. Validated with a strict schema so a typo is an
 * error naming the file and the key, not a setting silently ignored.
 */
import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../core/errors.ts';
import { AmountFormatError, parseAmount } from '../core/units.ts';
import { DEFAULT_MODEL, type ModelConfig } from '../engine/model.ts';

const amount = z.union([z.string(), z.number()]).refine((v) => {
  try {
    parseAmount(v);
    return true;
  } catch (e) {
    if (e instanceof AmountFormatError) return false;
    throw e;
  }
}, 'expected a non-negative decimal amount in TAO with at most 9 decimals, e.g. "1000" or "0.002"');

const assumptionsSchema = z.strictObject({
  root_stake: amount.optional(),
  root_prop: z.number().min(0).max(1).optional(),
  tao_weight: z.number().min(0).max(1).optional(),
  tempo: z.number().int().positive().optional(),
});

const modelSchema = z.strictObject({
  curve: z.enum(['constant_product', 'weighted']).optional(),
  impact: z.enum(['persistent', 'transient']).optional(),
  min_stake: amount.optional(),
  tx_fee: amount.optional(),
  validator_take: z.number().min(0).max(1).optional(),
  root_claim: z.enum(['swap', 'keep']).optional(),
  claim_every_blocks: z.number().int().positive().optional(),
  default_fee_rate: z.number().int().min(0).max(65535).optional(),
  assumptions: assumptionsSchema.optional(),
});

const paramValue = z.union([z.number(), z.boolean(), z.string()]);

export const runConfigSchema = z.strictObject({
  $comment: z.string().optional(),
  data: z.string().optional(),
  out: z.string().optional(),
  capital: amount.optional(),
  strategies: z.array(z.string()).min(1).optional(),
  params: z.record(z.string(), z.record(z.string(), paramValue)).optional(),
  model: modelSchema.optional(),
});

export type RunConfigFile = z.infer<typeof runConfigSchema>;

export interface RunConfig {
  data: string;
  out: string;
  capital: bigint;
  strategies: string[];
  params: Record<string, Record<string, number | boolean | string>>;
  model: ModelConfig;
}

/** The built-in defaults; config/default.json states exactly these (a test keeps them equal). */
export const DEFAULT_RUN_CONFIG: RunConfig = {
  data: 'data/default.jsonl',
  out: 'out',
  capital: 1_000_000_000_000n,
  strategies: ['top-emission', 'yield-rotation', 'ema-trend', 'liquidity-drain-exit'],
  params: {},
  model: DEFAULT_MODEL,
};

export function resolveRunConfig(file: RunConfigFile, base: RunConfig = DEFAULT_RUN_CONFIG): RunConfig {
  const m = file.model ?? {};
  const a = m.assumptions ?? {};
  const model: ModelConfig = {
    curve: m.curve ?? base.model.curve,
    impact: m.impact ?? base.model.impact,
    minStake: m.min_stake !== undefined ? parseAmount(m.min_stake) : base.model.minStake,
    txFee: m.tx_fee !== undefined ? parseAmount(m.tx_fee) : base.model.txFee,
    take: m.validator_take ?? base.model.take,
    rootClaim: m.root_claim ?? base.model.rootClaim,
    claimEveryBlocks: m.claim_every_blocks ?? base.model.claimEveryBlocks,
    defaultFeeRate: m.default_fee_rate ?? base.model.defaultFeeRate,
    assumptions: {
      rootStake: a.root_stake !== undefined ? parseAmount(a.root_stake) : base.model.assumptions.rootStake,
      rootProp: a.root_prop ?? base.model.assumptions.rootProp,
      taoWeight: a.tao_weight ?? base.model.assumptions.taoWeight,
      tempo: a.tempo ?? base.model.assumptions.tempo,
    },
  };
  return {
    data: file.data ?? base.data,
    out: file.out ?? base.out,
    capital: file.capital !== undefined ? parseAmount(file.capital) : base.capital,
    strategies: file.strategies ?? base.strategies,
    params: { ...base.params, ...(file.params ?? {}) },
    model,
  };
}

/** Reads and validates a config file; errors name the file and the key. */
export function loadRunConfig(path: string): RunConfig {
  if (!existsSync(path)) throw new UserError(`config file not found: ${path} (see config/default.json for the format)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = runConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const where = i.path.length ? i.path.join('.') : '(top level)';
      return `${where}: ${i.message}`;
    });
    throw new UserError(`${path}: invalid config: ${issues.join('; ')} (see config/default.json for the format)`);
  }
  return resolveRunConfig(parsed.data);
}
