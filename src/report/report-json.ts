/**
 * report.json: everything a run produced that a person or a program needs to judge it, in a
 * stable, deterministic form (no wall-clock time; same inputs give the same bytes).
 */
import type { Dataset } from '../data/dataset.ts';
import type { RunResult } from '../backtest/run.ts';
import { formatAmount } from '../core/units.ts';
import type { ModelConfig } from '../engine/model.ts';
import { summarize, type RunMetrics } from './summary.ts';
import { dataBlock, type DataBlock } from './data-block.ts';

export const REPORT_FORMAT = 'dtao-report/1';

export interface Report {
  format: string;
  data: DataBlock;
  config: {
    capital: string;
    model: Record<string, unknown>;
  };
  /** Estimates that stood in for fields the data lacks. */
  assumptions: string[];
  /** Data warnings (unknown keys, odd prices). */
  warnings: string[];
  runs: RunMetrics[];
}

export function modelToJson(m: ModelConfig): Record<string, unknown> {
  return {
    curve: m.curve,
    impact: m.impact,
    min_stake: formatAmount(m.minStake),
    tx_fee: formatAmount(m.txFee),
    validator_take: m.take,
    root_claim: m.rootClaim,
    claim_every_blocks: m.claimEveryBlocks,
    default_fee_rate: m.defaultFeeRate,
    assumed_root_stake: formatAmount(m.assumptions.rootStake),
    assumed_root_prop: m.assumptions.rootProp,
    assumed_tao_weight: m.assumptions.taoWeight,
    assumed_tempo: m.assumptions.tempo,
  };
}

export interface ReportInput {
  data: Dataset;
  sha256: string;
  from: number;
  to: number;
  capital: bigint;
  model: ModelConfig;
  results: RunResult[];
  assumptions: string[];
}

export function buildReport(o: ReportInput): Report {
  return {
    format: REPORT_FORMAT,
    data: dataBlock(o.data, o.sha256, o.from, o.to),
    config: { capital: formatAmount(o.capital), model: modelToJson(o.model) },
    assumptions: o.assumptions,
    warnings: o.data.meta.warnings,
    runs: o.results.map(summarize),
  };
}
