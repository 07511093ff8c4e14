/**
 * Per-subnet pool rows -> snapshots. Taostats answers per subnet, and rows of different
 * subnets need not share a block, so rows are grouped by period:
 *  - a row belongs to the UTC hour (by_hour) or UTC day (by_day) its timestamp falls in;
 *  - within a period, each subnet keeps its latest row (highest block);
 *  - the snapshot gets the highest block of the period's rows, and the timestamp of that row.
 * So no subnet in a snapshot is newer than the snapshot's block: a backtest that trades at
 * that block only sees values that existed by then. Root (netuid 0) has no pool and is left out.
 */
import type { Snapshot } from '../../core/snapshot.ts';
import { periodStart, type Frequency } from './periods.ts';
import type { PoolObservation } from './rows.ts';

export interface MergeResult {
  snapshots: Snapshot[];
  /** Rows replaced by a later row of the same subnet in the same period. */
  supersededRows: number;
  /** Netuid 0 rows left out. */
  rootRows: number;
  /** Periods whose block was not above the previous snapshot's (left out to keep blocks increasing). */
  outOfOrderPeriods: number;
}

/** `afterBlock`: the last block already written; snapshots must come after it. */
export function mergeIntoSnapshots(rows: PoolObservation[], f: Frequency, afterBlock = -1): MergeResult {
  const periods = new Map<number, Map<number, PoolObservation>>();
  let superseded = 0;
  let rootRows = 0;
  for (const o of rows) {
    if (o.netuid === 0) {
      rootRows++;
      continue;
    }
    const key = periodStart(o.timeMs, f);
    let bySubnet = periods.get(key);
    if (!bySubnet) periods.set(key, (bySubnet = new Map()));
    const had = bySubnet.get(o.netuid);
    if (had) {
      superseded++;
      if (o.block < had.block || (o.block === had.block && o.timeMs < had.timeMs)) continue;
    }
    bySubnet.set(o.netuid, o);
  }
  const snapshots: Snapshot[] = [];
  let prev = afterBlock;
  let outOfOrder = 0;
  for (const key of [...periods.keys()].sort((a, b) => a - b)) {
    const obs = [...periods.get(key)!.values()].sort((a, b) => a.netuid - b.netuid);
    let head = obs[0]!;
    for (const o of obs) if (o.block > head.block || (o.block === head.block && o.timeMs > head.timeMs)) head = o;
    if (head.block <= prev) {
      outOfOrder++;
      continue;
    }
    snapshots.push({ block: head.block, time: new Date(head.timeMs).toISOString(), subnets: obs.map((o) => o.subnet) });
    prev = head.block;
  }
  return { snapshots, supersededRows: superseded, rootRows, outOfOrderPeriods: outOfOrder };
}
