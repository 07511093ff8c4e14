/**
 * A scripted block source for the devnet tests: a small market whose state at every block is a
 * plain formula of the block number, so a test can say what any block must contain without
 * running anything. Fields with a fixed-point encoding on chain are chosen exactly
 * representable (multiples of 2^-32), so they survive the round trip bit for bit.
 */
import type { BlockSource } from '../../src/devnet/block-state.ts';
import type { Snapshot, SubnetState } from '../../src/core/snapshot.ts';

export const START_BLOCK = 5_000;
export const START_MS = Date.UTC(2026, 0, 1); // 2026-01-01T00:00:00Z
export const TAO = 1_000_000_000n;

export interface ScriptOptions {
  subnets?: number;
  startBlock?: number;
  /** Serve quote weights (a weighted pool) for every subnet; default undefined (0.5). */
  quoteWeight?: number;
}

/** The state of subnet `netuid` after block `block`. */
export function subnetAt(netuid: number, block: number, start: number, quoteWeight?: number): SubnetState {
  const k = BigInt(block - start);
  const n = BigInt(netuid);
  const sn: SubnetState = {
    netuid,
    // 1000*n TAO against 4000 alpha, plus one TAO into the pool per block.
    taoIn: (1000n * n + k) * TAO,
    alphaIn: 4000n * TAO,
    alphaOut: (10_000n + k) * TAO,
    price: Number(1000n * n + k) / 4000,
    movingPrice: netuid / 8 + (block - start) / 1024, // multiples of 2^-10
    rootProp: 0.25 - netuid / 64,
    taoInEmission: 1000n * n,
    alphaInEmission: 2000n * n,
    alphaOutEmission: TAO,
    excessTao: 10n * k,
    feeRate: 33 + netuid,
    tempo: 360,
    emissionEnabled: netuid % 2 === 1,
    name: `subnet ${netuid} \u03b1`,
  };
  if (quoteWeight !== undefined) sn.quoteWeight = quoteWeight;
  return sn;
}

export function snapshotAt(block: number, opts: ScriptOptions = {}): Snapshot {
  const start = opts.startBlock ?? START_BLOCK;
  const count = opts.subnets ?? 3;
  const subnets: SubnetState[] = [];
  for (let n = 1; n <= count; n++) subnets.push(subnetAt(n, block, start, opts.quoteWeight));
  return {
    block,
    time: new Date(timeMsAt(block, start)).toISOString().replace('.000Z', 'Z'),
    subnets,
    rootStake: 4_500_000n * TAO + BigInt(block - start),
    taoWeight: 0.18,
    blockEmission: 500_000_000n,
  };
}

export function timeMsAt(block: number, start = START_BLOCK): number {
  return START_MS + (block - start) * 12_000;
}

/** 10.6M TAO: past the first halving (0.5 TAO per block). */
export const ISSUANCE = 10_600_000n * TAO;

export class ScriptSource implements BlockSource {
  block: number;
  steps = 0;

  constructor(private readonly opts: ScriptOptions = {}) {
    this.block = opts.startBlock ?? START_BLOCK;
  }

  get timeMs(): number {
    return timeMsAt(this.block, this.opts.startBlock ?? START_BLOCK);
  }

  get totalIssuance(): bigint {
    return ISSUANCE + BigInt(this.block - (this.opts.startBlock ?? START_BLOCK)) * 500_000_000n;
  }

  stepBlock(): void {
    this.block += 1;
    this.steps += 1;
  }

  snapshot(): Snapshot {
    return snapshotAt(this.block, this.opts);
  }
}
