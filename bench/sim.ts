/**
 * Market simulator figures:
 *  - the target: one year of the 128-subnet `mixed` market with hourly output
 *    (step 300), written to a file exactly as `dtao synth --out` does — under 60 s;
 *  - the same year without output (the simulation alone);
 *  - the per-block API (`stepBlock`, what the devnet calls): blocks per second at 128 subnets;
 *  - batched runs against stepping over the same simulated day.
 * BENCH_SIM_DAYS shortens the year for a quick look.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSnapshotsFile } from '../src/data/writer.ts';
import { generateMarket } from '../src/sim/generate.ts';
import { createMarketSim } from '../src/sim/market.ts';
import { loadScenario } from '../src/sim/scenario.ts';

const DAYS = Number(process.env.BENCH_SIM_DAYS ?? 365);
const scenario = loadScenario('mixed');
const dir = mkdtempSync(join(tmpdir(), 'dtao-bench-sim-'));

function seconds(t0: number): number {
  return (performance.now() - t0) / 1000;
}

try {
  // 1. The year, to a file (generation, formatting, atomic write).
  const file = join(dir, 'year.jsonl');
  let t0 = performance.now();
  const run = generateMarket({ scenario, seed: 1, days: DAYS, step: 300 });
  writeSnapshotsFile(file, run.snapshots, { source: 'bench' });
  const total = seconds(t0);
  const mb = statSync(file).size / 1e6;
  rmSync(file);
  console.log(`mixed, 128 subnets, ${DAYS} days, hourly, to a file: ${total.toFixed(1)} s (target < 60 s) — ${run.count} snapshots, ${mb.toFixed(0)} MB, ${run.engine.events.length} registrations/dissolutions`);

  // 2. The same simulation without output.
  t0 = performance.now();
  const bare = generateMarket({ scenario, seed: 1, days: DAYS, step: 7200 });
  for (const s of bare.snapshots) void s;
  const sim = seconds(t0);
  const blocks = DAYS * 7200;
  console.log(`  of which simulation alone: ${sim.toFixed(1)} s (${((blocks * 128) / sim / 1e6).toFixed(1)} M subnet-blocks/s); output ${Math.max(0, total - sim).toFixed(1)} s`);

  // 3. The per-block API at 128 subnets.
  const stepped = createMarketSim({ scenario: 'mixed', seed: 2 });
  const STEPS = 3600;
  t0 = performance.now();
  for (let i = 0; i < STEPS; i++) stepped.stepBlock();
  const perBlock = seconds(t0);
  console.log(`per-block API (stepBlock), 128 subnets: ${(STEPS / perBlock).toFixed(0)} blocks/s (${((perBlock / STEPS) * 1000).toFixed(2)} ms per block; a chain block is 12 s)`);

  // 4. Batched against stepping, one day.
  const batched = createMarketSim({ scenario: 'mixed', seed: 2 });
  t0 = performance.now();
  batched.advanceTo(batched.block + 7200);
  const day = seconds(t0);
  const stepDay = (perBlock / STEPS) * 7200;
  console.log(`one day, 128 subnets: batched ${(day * 1000).toFixed(0)} ms vs stepping ~${(stepDay * 1000).toFixed(0)} ms (${(stepDay / day).toFixed(0)}x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
