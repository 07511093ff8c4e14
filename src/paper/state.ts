/**
 * The paper account's state file (`dtao-paper/1`): who it is (identity), how it runs (settings),
 * the two runs stepped on every tick (the strategy and the 100%-root benchmark: portfolio,
 * our price-impact flows, the strategy's memory) and the history of ticks with their fills,
 * marks and model-vs-chain quote checks.
 *
 * Money is exact decimal text (as in Portfolio.toJSON and report.json); marks for charts are
 * doubles, as in a backtest's series. Nothing in it depends on the wall clock, so the same
 * ticks give the same bytes.
 */
import { z } from 'zod';
import type { PortfolioJson } from '../core/portfolio.ts';
import type { FillJson } from '../engine/fill.ts';

export const PAPER_FORMAT = 'dtao-paper/1';

/** Names of the two runs kept in a state file. */
export const STRATEGY_RUN = 'strategy';
export const ROOT_RUN = 'root_100';
export type RunKey = typeof STRATEGY_RUN | typeof ROOT_RUN;

/** What a state file belongs to: a tick applied under another identity would mix two accounts. */
export interface PaperIdentity {
  strategy: string;
  /** SHA-256 of the strategy file's bytes. */
  strategy_sha256: string;
  params: Record<string, number | boolean | string>;
  /** The market model, as report.json writes it. */
  model: Record<string, unknown>;
  /** Starting capital, TAO. */
  capital: string;
  /** Genesis hash of the chain the ticks were read from. */
  genesis_hash: string;
}

/** How the loop was last started; may change between sessions. */
export interface PaperSettings {
  strategy_ref: string;
  endpoint: string;
  schedule: string | null;
  record: string | null;
}

/** Everything a run needs to take its next step. */
export interface RunStateJson {
  portfolio: PortfolioJson;
  /** Our cumulative net flows into each pool (persistent price impact), signed rao. */
  flows: Record<string, { tao: string; alpha: string }>;
  /** The strategy's own memory (JSON values). */
  strategy_state: Record<string, unknown>;
  /** Things the user should know about the run (the engine's notes), latest first-seen order. */
  notes: string[];
}

/** One run's result at one tick. */
export interface RunMarkJson {
  fills: FillJson[];
  /** Marks after the tick's trades, TAO (doubles, as in a backtest's series). */
  equity_spot: number;
  equity_liquidation: number;
  root_value: number;
  /** TAO value at spot of each held subnet's alpha. */
  alpha_value: Record<string, number>;
  /** Cumulative yield received so far, TAO. */
  yield_root: number;
  yield_alpha: number;
  /** Exact values at this tick, TAO. */
  value_spot: string;
  value_liquidation: string;
}

/** One pool-model check: the same swap quoted by our model and by the chain. */
export interface QuoteCheckJson {
  /** Index of the fill in the tick's strategy fills. */
  fill: number;
  /** Which part of the fill: a stake, an unstake, or the sell / buy leg of a move. */
  leg: 'stake' | 'unstake' | 'move_sell' | 'move_buy';
  netuid: number;
  side: 'stake' | 'unstake';
  /** Input, rao (TAO for a stake, alpha for an unstake). */
  amount_rao: string;
  /** Output by our pool model on the snapshot's reserves; null if the model refused the swap. */
  model_out_rao: string | null;
  /** Output by the chain's SwapRuntimeApi at the snapshot's block; null if unavailable. */
  chain_out_rao: string | null;
  /** model - chain, rao (positive: our model promises more than the chain gives). */
  diff_rao: string | null;
  /** diff / chain output; null where it cannot be formed. */
  rel_error: number | null;
  /** Why there is no comparison. */
  unavailable?: string;
}

export interface TickJson {
  /** 0, 1, 2, ...: also the engine's step index and the history line. */
  seq: number;
  block: number;
  hash: string;
  time: string;
  spec_version: number;
  marks: Record<RunKey, RunMarkJson>;
  quotes: QuoteCheckJson[];
}

export interface PaperStateJson {
  format: typeof PAPER_FORMAT;
  identity: PaperIdentity;
  settings: PaperSettings;
  runs: Record<RunKey, RunStateJson>;
  ticks: TickJson[];
}

// ---- schema: a state file is read back only if it has this shape ----

const decimal = z.string().regex(/^-?\d+(\.\d{1,9})?$/, 'expected a decimal amount');
const raoText = z.string().regex(/^-?\d+$/, 'expected an integer number of rao');
const amounts = z.record(z.string().regex(/^\d+$/), decimal);

const portfolioSchema = z.object({
  free: decimal,
  root: decimal,
  alpha: amounts,
  claimable: amounts,
  alpha_earned: amounts,
  totals: z.record(z.string(), decimal),
  last_claim_block: z.number().int(),
});

const runStateSchema = z.object({
  portfolio: portfolioSchema,
  flows: z.record(z.string().regex(/^\d+$/), z.object({ tao: raoText, alpha: raoText })),
  strategy_state: z.record(z.string(), z.unknown()),
  notes: z.array(z.string()),
});

const fillSchema = z.object({
  step: z.number().int(),
  block: z.number().int(),
  time: z.string(),
  type: z.enum(['stake', 'unstake', 'move', 'claim', 'deregister']),
  netuid: z.number().int().optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  status: z.enum(['filled', 'partial', 'rejected']),
  reason: z.string().optional(),
  input: decimal,
  input_token: z.enum(['tao', 'alpha']),
  output: decimal,
  output_token: z.enum(['tao', 'alpha']),
  fee: decimal,
  fee_token: z.enum(['tao', 'alpha']),
  fee_tao: decimal,
  slippage_tao: decimal,
  tx_fee: decimal,
  spot_before: z.number().nullable(),
  spot_after: z.number().nullable(),
  via_tao: decimal.optional(),
});

const markSchema = z.object({
  fills: z.array(fillSchema),
  equity_spot: z.number(),
  equity_liquidation: z.number(),
  root_value: z.number(),
  alpha_value: z.record(z.string(), z.number()),
  yield_root: z.number(),
  yield_alpha: z.number(),
  value_spot: decimal,
  value_liquidation: decimal,
});

const quoteSchema = z.object({
  fill: z.number().int(),
  leg: z.enum(['stake', 'unstake', 'move_sell', 'move_buy']),
  netuid: z.number().int(),
  side: z.enum(['stake', 'unstake']),
  amount_rao: raoText,
  model_out_rao: raoText.nullable(),
  chain_out_rao: raoText.nullable(),
  diff_rao: raoText.nullable(),
  rel_error: z.number().nullable(),
  unavailable: z.string().optional(),
});

const tickSchema = z.object({
  seq: z.number().int().min(0),
  block: z.number().int().min(0),
  hash: z.string(),
  time: z.string(),
  spec_version: z.number().int(),
  marks: z.object({ [STRATEGY_RUN]: markSchema, [ROOT_RUN]: markSchema }),
  quotes: z.array(quoteSchema),
});

export const paperStateSchema = z.object({
  format: z.literal(PAPER_FORMAT),
  identity: z.object({
    strategy: z.string(),
    strategy_sha256: z.string(),
    params: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
    model: z.record(z.string(), z.unknown()),
    capital: decimal,
    genesis_hash: z.string(),
  }),
  settings: z.object({
    strategy_ref: z.string(),
    endpoint: z.string(),
    schedule: z.string().nullable(),
    record: z.string().nullable(),
  }),
  runs: z.object({ [STRATEGY_RUN]: runStateSchema, [ROOT_RUN]: runStateSchema }),
  ticks: z.array(tickSchema),
});

/** Checks the tick sequence: 0, 1, 2, ... at strictly increasing blocks. Returns a problem or undefined. */
export function tickSequenceProblem(ticks: readonly TickJson[]): string | undefined {
  for (let k = 0; k < ticks.length; k++) {
    const t = ticks[k]!;
    if (t.seq !== k) return `ticks[${k}].seq is ${t.seq}, expected ${k}`;
    if (k > 0 && t.block <= ticks[k - 1]!.block) return `ticks[${k}].block ${t.block} is not after the previous tick's block ${ticks[k - 1]!.block}`;
  }
  return undefined;
}
