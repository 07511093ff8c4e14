/** Helpers for the simulator tests: small scenario files written to a temp directory. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarketEngine } from '../../src/sim/engine.ts';
import { parseScenario, type Scenario } from '../../src/sim/scenario.ts';

const dir = mkdtempSync(join(tmpdir(), 'dtao-sim-test-'));
let n = 0;

/** Writes a scenario object as a JSON file and returns its path. */
export function scenarioFile(obj: unknown, name = `scenario-${++n}`): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(obj, null, 2));
  return path;
}

export function scenarioOf(obj: unknown, name = 'test'): Scenario {
  return parseScenario(JSON.stringify(obj, null, 2), `${name}.json`);
}

/** A small market: one group of established subnets with trades, mainnet-like chain settings. */
export function smallMarket(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    description: 'test market',
    subnets: 6,
    flow_interval_blocks: 60,
    chain: { total_issuance: '10600000', root_stake: '4500000', root_claim_swap: 0.5, emission_gate: { quantile: 0.75, exponent: 3 } },
    groups: [
      {
        name: 'est', pool_tao: [2000, 40000], price: [0.004, 0.04], age_days: [100, 500], miner_burn: [0, 0.5],
        flows: { drift: [-0.003, 0.003], volatility: [0.01, 0.04], momentum: 0.01, jump_rate: 0.5, jump_size: 0.05 },
      },
    ],
    ...extra,
  };
}

export function engineFor(obj: unknown, seed = 1, opts: { subnets?: number } = {}): MarketEngine {
  return new MarketEngine({ scenario: scenarioOf(obj), seed, ...opts });
}

export const TAO = 1_000_000_000n;

/**
 * Alpha a subnet with TAO emission has issued after `blocks` blocks, stepping the chain's rule
 * one block at a time (mechanics §2.5, §2.7): one alpha to participants plus the injection cap
 * root_prop · 1, root_prop = c / (c + issuance) with c = tao_weight · root stake (alpha units).
 * Below the alpha halving (10.5M) only.
 */
export function issuedStepping(blocks: number, c: number, start = 0): number {
  let issuance = start;
  for (let b = 0; b < blocks; b++) issuance += 1 + c / (c + issuance);
  return issuance;
}
