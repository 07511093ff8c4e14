/** The `data` block every report and research output opens with: which file, which range. */
import { basename } from 'node:path';
import type { Dataset } from '../data/dataset.ts';

export interface DataBlock {
  file: string;
  sha256: string;
  snapshots: number;
  from_block: number;
  to_block: number;
  from_time: string;
  to_time: string;
  subnets: number;
}

export function dataBlock(data: Dataset, sha256: string, from: number, to: number): DataBlock {
  const c = data.cols;
  const seen = new Set<number>();
  for (let r = c.rowStart[from]!; r < c.rowStart[to + 1]!; r++) seen.add(c.netuid[r]!);
  return {
    file: basename(data.source), sha256, snapshots: to - from + 1, from_block: c.block[from]!, to_block: c.block[to]!,
    from_time: data.meta.timeText[from]!, to_time: data.meta.timeText[to]!, subnets: seen.size,
  };
}

/** A sub-range of the data as research outputs describe it. */
export interface RangeBlock {
  from_block: number;
  to_block: number;
  from_time: string;
  to_time: string;
  snapshots: number;
}

export function rangeBlock(data: Dataset, from: number, to: number): RangeBlock {
  return { from_block: data.cols.block[from]!, to_block: data.cols.block[to]!, from_time: data.meta.timeText[from]!, to_time: data.meta.timeText[to]!, snapshots: to - from + 1 };
}
