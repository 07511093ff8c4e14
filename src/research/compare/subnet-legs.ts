/**
 * The unit of work of a compare that can run on a worker thread: every alpha leg of one subnet
 * (one engine run per window start, valued at each window end), with the headline yield the
 * model advertised at each start.
 */
import type { Dataset } from '../../data/dataset.ts';
import type { ModelConfig } from '../../engine/model.ts';
import { runLeg, type LegOutcome } from './legs.ts';
import { headlineYields } from './outlook.ts';

export interface SubnetTask {
  netuid: number;
  /** Window starts (dataset indices) with the ends to value at, ascending. */
  starts: { start: number; ends: number[] }[];
}

export interface SubnetLegs {
  netuid: number;
  legs: { start: number; headlineApr: number; outcomes: LegOutcome[] }[];
}

export function runSubnetLegs(data: Dataset, model: ModelConfig, amount: bigint, task: SubnetTask): SubnetLegs {
  const legs = task.starts.map(({ start, ends }) => ({
    start,
    headlineApr: headlineYields(data, model, start).alphaApr(task.netuid),
    outcomes: runLeg(data, model, task.netuid, amount, start, ends),
  }));
  return { netuid: task.netuid, legs };
}
