/**
 * What the devnet knows about one block: its place in the chain and the market state after it.
 * The storage layout and the runtime APIs read from this, never from the simulator directly.
 */
import type { Snapshot, SubnetState } from '../core/snapshot.ts';

/**
 * Where blocks come from: the market simulator's per-block API (src/sim/market.ts). Any
 * object of this shape drives the devnet, which makes it easy to feed it a fixed script.
 */
export interface BlockSource {
  /** Block number of the current state. */
  readonly block: number;
  /** Unix ms of the current block. */
  readonly timeMs: number;
  /** TAO total issuance, rao. */
  readonly totalIssuance: bigint;
  /** Advance exactly one block. */
  stepBlock(): void;
  /** Full state at the current block. */
  snapshot(): Snapshot;
}

export interface BlockState {
  number: number;
  hash: string;
  parentHash: string;
  timeMs: number;
  totalIssuance: bigint;
  snapshot: Snapshot;
  /** Subnets by netuid (root, netuid 0, is not among them: its stake is `snapshot.rootStake`). */
  subnets: ReadonlyMap<number, SubnetState>;
  /** Hash of an earlier block, where the devnet still knows it (System.BlockHash). */
  blockHash(number: number): string | undefined;
}

export const ROOT_NETUID = 0;
