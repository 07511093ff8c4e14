/**
 * The batch generator: a market from a scenario, advanced in batched runs (engine.advanceTo)
 * and sampled every `step` blocks, as a stream of snapshots for the dtao-snapshots/1 writer.
 */
import { UserError } from '../core/errors.ts';
import { BLOCKS_PER_DAY, type Snapshot } from '../core/snapshot.ts';
import { MarketEngine, type EngineOptions } from './engine.ts';

export interface GenerateOptions extends EngineOptions {
  days: number;
  /** Blocks between samples. */
  step: number;
  /** Called after each sample with the number of blocks done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface Generation {
  engine: MarketEngine;
  /** Number of snapshots the stream will yield (the start state included). */
  count: number;
  snapshots: Iterable<Snapshot>;
}

export function generateMarket(opts: GenerateOptions): Generation {
  if (!(opts.days > 0) || !Number.isFinite(opts.days)) throw new UserError(`days must be a positive number, got ${opts.days}`);
  if (!Number.isSafeInteger(opts.step) || opts.step < 1) throw new UserError(`step must be a whole number of blocks >= 1, got ${opts.step}`);
  const engine = new MarketEngine(opts);
  const total = Math.round(opts.days * BLOCKS_PER_DAY);
  if (total < opts.step) throw new UserError(`--days ${opts.days} is shorter than one step of ${opts.step} blocks; give more days or a smaller --step`);
  const samples = Math.floor(total / opts.step);
  const start = engine.startBlock;
  function* stream(): Generator<Snapshot> {
    yield engine.snapshot();
    for (let k = 1; k <= samples; k++) {
      engine.advanceTo(start + k * opts.step);
      yield engine.snapshot();
      opts.onProgress?.(k * opts.step, samples * opts.step);
    }
  }
  return { engine, count: samples + 1, snapshots: stream() };
}
