/** A compare's per-subnet legs as a pool task (see `subnet-legs.ts`). */
import type { ModelConfig } from '../../engine/model.ts';
import type { LocalResources, TaskHandler } from '../pool/handlers.ts';
import { loadSetupData } from '../sweep/run-task.ts';
import { runSubnetLegs, type SubnetTask } from './subnet-legs.ts';

export interface CompareSetup {
  dataPath: string;
  cache: boolean;
  model: ModelConfig;
  /** TAO per leg, rao. */
  amount: bigint;
}

export async function makeCompareHandler(setup: CompareSetup, local: LocalResources): Promise<TaskHandler> {
  const data = loadSetupData(setup, local);
  return (t: unknown) => runSubnetLegs(data, setup.model, setup.amount, t as SubnetTask);
}
