/**
 * The per-block market simulator API: the contract the devnet drives (one block at a time) and
 * the batch generator builds on. `createMarketSim` loads the scenario (a name under
 * config/scenarios/ or a path) and returns a simulator positioned at the start block.
 */
import type { Snapshot } from '../core/snapshot.ts';
import { MarketEngine } from './engine.ts';
import { loadScenario } from './scenario.ts';

export interface MarketSim {
  /** Block number of the current state. */
  readonly block: number;
  /** Unix ms of the current block (12 s per block from the start time). */
  readonly timeMs: number;
  /** TAO total issuance, rao (drives halvings). */
  readonly totalIssuance: bigint;
  /** Advance exactly one block under the chain's rules. */
  stepBlock(): void;
  /** Full state at the current block: every field of dtao-snapshots/1 filled. */
  snapshot(): Snapshot;
}

export interface MarketSimOptions {
  /** A scenario name (file config/scenarios/<name>.json) or a path to a scenario file. */
  scenario: string;
  seed: number;
  /** Number of subnets (scenario default otherwise). */
  subnets?: number;
  /** Default 1_000_000. */
  startBlock?: number;
  /** ISO UTC, default "2026-01-01T00:00:00Z". */
  startTime?: string;
}

/**
 * The returned object is a MarketEngine: besides the MarketSim contract it offers
 * `advanceTo(block)` (batched), `stake` / `unstake` for outside accounts, `subnet(netuid)`,
 * `state` (with the conservation ledger) and `events` (registrations, dissolutions).
 */
export function createMarketSim(opts: MarketSimOptions): MarketSim & MarketEngine {
  const scenario = loadScenario(opts.scenario);
  const engineOpts: ConstructorParameters<typeof MarketEngine>[0] = { scenario, seed: opts.seed };
  if (opts.subnets !== undefined) engineOpts.subnets = opts.subnets;
  if (opts.startBlock !== undefined) engineOpts.startBlock = opts.startBlock;
  if (opts.startTime !== undefined) engineOpts.startTime = opts.startTime;
  return new MarketEngine(engineOpts);
}
