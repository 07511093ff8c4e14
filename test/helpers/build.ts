/** Hand-built datasets for tests. */
import { DatasetBuilder, type Dataset } from '../../src/data/dataset.ts';
import type { Snapshot, SubnetState } from '../../src/core/snapshot.ts';

export const TAO = 1_000_000_000n;

export function snap(block: number, subnets: SubnetState[], extra: Partial<Snapshot> = {}): Snapshot {
  const t = new Date(Date.UTC(2026, 0, 1) + block * 12_000).toISOString();
  return { block, time: t, subnets, ...extra };
}

export function datasetOf(snapshots: Snapshot[]): Dataset {
  const b = new DatasetBuilder('test', undefined);
  for (const s of snapshots) b.addSnapshot(s);
  return b.build();
}
