/** Hand-built markets for the research tests: pools at chosen times, in memory or on disk. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetBuilder, type Dataset } from '../../src/data/dataset.ts';
import type { Snapshot, SubnetState } from '../../src/core/snapshot.ts';
import { writeSnapshotsFile } from '../../src/data/writer.ts';
import { DEFAULT_MODEL, type ModelConfig } from '../../src/engine/model.ts';

export const TAO = 1_000_000_000n;
export const HOUR = 3_600_000;
export const T0 = Date.UTC(2026, 0, 1);

/** A snapshot `hours` after T0, at 300 blocks an hour (12 s blocks). */
export function at(hours: number, subnets: SubnetState[], extra: Partial<Snapshot> = {}): Snapshot {
  return { block: 1_000_000 + Math.round(hours * 300), time: new Date(T0 + hours * HOUR).toISOString(), subnets, ...extra };
}

/** A constant-product pool with no yield (no alpha emission) unless `extra` says otherwise. */
export function pool(netuid: number, taoIn: bigint, alphaIn: bigint, extra: Partial<SubnetState> = {}): SubnetState {
  return { netuid, taoIn, alphaIn, alphaOut: 1000n * TAO, alphaOutEmission: 0n, rootProp: 0, feeRate: 0, tempo: 9, emissionEnabled: true, name: `subnet ${netuid}`, ...extra };
}

export function datasetOf(snapshots: Snapshot[], source = 'hand-built'): Dataset {
  const b = new DatasetBuilder(source, undefined);
  for (const s of snapshots) b.addSnapshot(s);
  return b.build();
}

/** The model with the chain's defaults but no validator take (hand computations stay short). */
export const NO_TAKE: ModelConfig = { ...DEFAULT_MODEL, take: 0 };

export interface TempData {
  dir: string;
  file: string;
  cleanup(): void;
}

/** Writes snapshots to a fresh temp directory as dtao-snapshots/1 JSON Lines. */
export function writeTempData(snapshots: Snapshot[], name = 'data.jsonl'): TempData {
  const dir = mkdtempSync(join(tmpdir(), 'dtao-research-'));
  const file = join(dir, name);
  writeSnapshotsFile(file, snapshots, { source: 'test' });
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Floor of a constant-product swap, x_out = x * dy / (y + dy), written out for the tests. */
export function cpOut(reserveOut: bigint, reserveIn: bigint, amountIn: bigint): bigint {
  return (reserveOut * amountIn) / (reserveIn + amountIn);
}

/**
 * A small moving market: `subnets` pools over `hours` hourly snapshots, TAO reserves swinging
 * on slow waves of different phase (so rankings change), alpha emission on, deterministic.
 */
export function wavyMarket(hours: number, subnets = 4): Snapshot[] {
  const out: Snapshot[] = [];
  for (let h = 0; h < hours; h++) {
    const pools: SubnetState[] = [];
    for (let k = 1; k <= subnets; k++) {
      const taoIn = BigInt(Math.round((2000 + 600 * Math.sin(h / (3 + k) + k)) * 1e3)) * 1_000_000n;
      pools.push(pool(k, taoIn, 1500n * TAO, { alphaOutEmission: 1_000_000_000n, alphaOut: 3000n * TAO, rootProp: 0.2, feeRate: 33 }));
    }
    out.push(at(h, pools));
  }
  return out;
}
