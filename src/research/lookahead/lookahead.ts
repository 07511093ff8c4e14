/**
 * `lookahead-check`: does a strategy decide anything it could not have known at the time?
 *
 * 1. Run it over the range and record every decision (what `decide` returned, step by step).
 * 2. For each cut point c, run it again on the data cut off after snapshot c (later snapshots
 *    physically absent) and compare its decisions, step by step, with the full run's. A decision
 *    that changes when only the future was removed used the future.
 * 3. Run the full range once more: a strategy that keeps state across runs (module-level
 *    variables) decides differently the second time.
 * 4. Throughout, watch for the strategy reading the data file or its cached copy itself, which
 *    no cut of the engine's data can reveal (see `file-watch.ts`).
 * All runs go through the backtest driver and engine, in this thread, in this order.
 * A detector, not a proof: a strategy can peek in ways none of these show.
 */
import type { Dataset } from '../../data/dataset.ts';
import { cachePathFor } from '../../data/cache.ts';
import type { ModelConfig } from '../../engine/model.ts';
import { StrategyError } from '../../engine/engine.ts';
import type { Decision, Strategy } from '../../strategy/types.ts';
import { loadStrategy, resolveParams } from '../../strategy/loader.ts';
import { runOne } from '../../backtest/run.ts';
import { UserError } from '../../core/errors.ts';
import { dataBlock, type DataBlock } from '../../report/data-block.ts';
import { truncatedView } from './truncate.ts';
import { watchFileReads, type FileWatch } from './file-watch.ts';

export const LOOKAHEAD_FORMAT = 'dtao-lookahead/1';

export interface LookaheadInput {
  data: Dataset;
  sha256: string;
  /** The data file on disk, watched for reads. */
  dataPath: string;
  /** Built-in name or path; loaded here, with the file watch already on. */
  strategyRef: string;
  params: Record<string, unknown>;
  /** Parameters from a run configuration, by strategy name; `params` override them. */
  configParams?: Record<string, Record<string, unknown>>;
  model: ModelConfig;
  capital: bigint;
  from: number;
  to: number;
  /** Number of cut points spread evenly over the range, or 'all' (every snapshot but the last). */
  cuts: number | 'all';
  onProgress?: (done: number, total: number) => void;
}

export type FindingKind = 'future-data' | 'state-across-runs' | 'reads-data-file' | 'fails-without-future';

export interface Finding {
  kind: FindingKind;
  message: string;
  /** The first step whose decision differed: its block and time. */
  block?: number;
  time?: string;
  /** The snapshot the data was cut after. */
  cut_block?: number;
  /** The decision of the full run, and the one that differed from it (cut run or second run), as JSON. */
  full_run?: string;
  other_run?: string;
}

export interface LookaheadReport {
  format: string;
  strategy: string;
  params: Record<string, unknown>;
  data: DataBlock;
  /** Blocks after which the data was cut. */
  cut_blocks: number[];
  /** Decisions compared against the full run. */
  decisions_compared: number;
  findings: Finding[];
  ok: boolean;
}

/** A decision as comparable text: JSON with bigint amounts written as "<digits>n"; "hold" for none. */
export function decisionText(d: Decision | void): string {
  if (d === undefined || d === null) return 'hold';
  return JSON.stringify(d, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** The strategy with `decide` wrapped to report each decision; behaviour unchanged. */
export function recording(strategy: Strategy, onDecision: (step: number, block: number, text: string) => void, watch?: FileWatch): Strategy {
  return {
    ...strategy,
    decide(ctx) {
      if (watch) watch.phase = `deciding at block ${ctx.snapshot.block}`;
      const d = strategy.decide.call(strategy, ctx);
      onDecision(ctx.step, ctx.snapshot.block, decisionText(d));
      return d;
    },
  };
}

/** `n` cut indices spread evenly over [from, to - 1], ascending, without repeats. */
export function cutPoints(from: number, to: number, n: number | 'all'): number[] {
  const span = to - from;
  if (span < 1) return [];
  if (n === 'all' || n >= span) return Array.from({ length: span }, (_, k) => from + k);
  const out = new Set<number>();
  for (let k = 1; k <= n; k++) out.add(from + Math.floor((k * span) / (n + 1)));
  return [...out].sort((a, b) => a - b);
}

interface Trace {
  decisions: string[];
  blocks: number[];
  error?: string;
}

export async function runLookaheadCheck(input: LookaheadInput): Promise<LookaheadReport> {
  const { data, from, to } = input;
  const watch = watchFileReads([input.dataPath, cachePathFor(input.sha256)]);
  try {
    watch.phase = 'loading the strategy';
    const loaded = await loadStrategy(input.strategyRef);
    const params = resolveParams(loaded.strategy, { ...(input.configParams?.[loaded.strategy.name] ?? {}), ...input.params });
    const run = (d: Dataset, last: number): Trace => {
      const trace: Trace = { decisions: [], blocks: [] };
      const s = recording(loaded.strategy, (step, block, text) => {
        trace.decisions[step] = text;
        trace.blocks[step] = block;
      }, watch);
      try {
        runOne({ name: loaded.strategy.name, kind: 'strategy', strategy: s, params }, { data: d, model: input.model, capital: input.capital, from, to: last });
      } catch (e) {
        if (!(e instanceof StrategyError)) throw e;
        trace.error = e.message;
      } finally {
        watch.phase = 'between runs';
      }
      return trace;
    };

    const cuts = cutPoints(from, to, input.cuts);
    const total = cuts.length + 2;
    let done = 0;
    const tick = () => input.onProgress?.(++done, total);
    const full = run(data, to);
    tick();
    if (full.error) throw new UserError(full.error);
    const findings: Finding[] = [];
    let compared = 0;
    const timeOf = (block: number) => data.meta.timeText[data.indexAtOrBefore(block)]!;

    for (const c of cuts) {
      const cutBlock = data.cols.block[c]!;
      const part = run(truncatedView(data, c), c);
      tick();
      if (part.error) {
        findings.push({ kind: 'fails-without-future', cut_block: cutBlock, message: `with the data cut after block ${cutBlock} the strategy failed where the full run did not: ${part.error}` });
        continue;
      }
      for (let k = 0; k < part.decisions.length; k++) {
        compared++;
        if (part.decisions[k] === full.decisions[k]) continue;
        const block = part.blocks[k]!;
        findings.push({
          kind: 'future-data', cut_block: cutBlock, block, time: timeOf(block), full_run: full.decisions[k], other_run: part.decisions[k],
          message: `at block ${block} the decision changed when the data after block ${cutBlock} was removed: it used later snapshots`,
        });
        break;
      }
    }

    const again = run(data, to);
    tick();
    for (let k = 0; k < full.decisions.length; k++) {
      compared++;
      if (again.decisions[k] === full.decisions[k] && again.error === undefined) continue;
      const block = full.blocks[k]!;
      findings.push({
        kind: 'state-across-runs', block, time: timeOf(block), full_run: full.decisions[k], other_run: again.decisions[k] ?? again.error,
        message: `a second run on the same data decided differently at block ${block}: the strategy keeps state between runs (module-level variables), so a run depends on the runs before it`,
      });
      break;
    }

    if (findings.some((f) => f.kind === 'state-across-runs')) {
      // The cut runs came after the first full run, so kept state alone can explain their differences.
      for (const f of findings) if (f.kind === 'future-data') f.message += ', or it carried state over from an earlier run (see below)';
    }

    const seen = new Set<string>();
    for (const r of watch.reads) {
      const key = `${r.api}|${r.path}|${r.phase.startsWith('deciding') ? 'deciding' : r.phase}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({ kind: 'reads-data-file', message: `the strategy read ${r.path} itself (${r.api}, while ${r.phase}): it can see every snapshot, future ones included` });
    }

    return {
      format: LOOKAHEAD_FORMAT,
      strategy: loaded.strategy.name,
      params: { ...params },
      data: dataBlock(data, input.sha256, from, to),
      cut_blocks: cuts.map((c) => data.cols.block[c]!),
      decisions_compared: compared,
      findings,
      ok: findings.length === 0,
    };
  } finally {
    watch.stop();
  }
}
