/**
 * Research throughput on the real data file (../shared/data): sweeps of 100 parameter
 * combinations on 1 and on 2 worker threads (top-emission, n = 1..10 x 10 rebalance intervals:
 * light; yield-rotation, n = 1..10 x 10 horizons, deciding at every snapshot and quoting every
 * pool each time: heavy), and a compare (every subnet, 7d and 30d windows) on 1 and 2 workers.
 * Wall time includes starting the workers; each figure is the best of three runs, and the load average is printed beside them,
 * since other work on the machine takes cores from the workers. Target (issue 5): the
 * 100-combination sweep within a minute on a 2-core machine. Each pair of runs must give
 * identical results, which is checked too.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../src/data/load.ts';
import { DEFAULT_MODEL } from '../src/engine/model.ts';
import { loadStrategy } from '../src/strategy/loader.ts';
import { parseGrid } from '../src/research/sweep/grid.ts';
import { runSweep } from '../src/research/sweep/sweep.ts';
import { runCompare } from '../src/research/compare/compare.ts';
import { runTasks } from '../src/research/pool/worker-pool.ts';
import type { SubnetLegs, SubnetTask } from '../src/research/compare/subnet-legs.ts';
import { REAL_DATA_FILE } from '../test/helpers/shared.ts';

if (!existsSync(REAL_DATA_FILE)) {
  console.log(`skipped: the real data file is not there (${REAL_DATA_FILE})`);
  process.exit(0);
}
const cache = mkdtempSync(join(tmpdir(), 'dtao-bench-research-'));
process.env.DTAO_CACHE_DIR = cache;
const { dataset, contentHash } = loadDataset(REAL_DATA_FILE); // fills the cache the workers read
const from = 0;
const to = dataset.snapshotCount - 1;
console.log(`data: ${dataset.snapshotCount} snapshots x 128 subnets (${REAL_DATA_FILE})`);

const sweeps = [
  { strategy: await loadStrategy('top-emission'), grid: ['n=1:10:1', 'rebalance_blocks=600,1200,1800,3600,7200,10800,14400,21600,28800,36000'] },
  // Deciding at every snapshot, quoting every pool each time: heavy enough for the pool to matter.
  { strategy: await loadStrategy('yield-rotation'), grid: ['n=1:10:1', 'horizon_days=3:30:3'], fixed: { rebalance_blocks: 1 } },
];

function sweep(k: number): (workers: number) => Promise<{ ms: number; text: string }> {
  const { strategy: loaded, grid, fixed } = sweeps[k]!;
  return async (workers) => {
    const t = performance.now();
    const out = await runSweep({
      data: dataset, sha256: contentHash, dataPath: REAL_DATA_FILE, cache: true, strategy: loaded.strategy, strategyRef: loaded.file, fixedParams: fixed ?? {},
      grid: parseGrid(grid, loaded.strategy), metric: 'sharpe', capital: 1000_000_000_000n, model: DEFAULT_MODEL, from, to, workers,
    });
    return { ms: performance.now() - t, text: JSON.stringify(out.sweep) };
  };
}

async function compare(workers: number): Promise<{ ms: number; text: string }> {
  const amount = 100_000_000_000n;
  const t = performance.now();
  const out = await runCompare({
    data: dataset, sha256: contentHash, model: DEFAULT_MODEL, amount, horizons: [{ label: '7d', ms: 7 * 86_400_000 }, { label: '30d', ms: 30 * 86_400_000 }],
    tolerance: 0.1, stepMs: 0, from, to,
    runSubnets: (tasks) => runTasks<SubnetTask, SubnetLegs>('compare-subnet', { dataPath: REAL_DATA_FILE, cache: true, model: DEFAULT_MODEL, amount }, tasks, { workers }),
  });
  return { ms: performance.now() - t, text: JSON.stringify(out.report) };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
async function bestOf3(f: (workers: number) => Promise<{ ms: number; text: string }>, workers: number): Promise<{ ms: number; text: string }> {
  let best = await f(workers);
  for (let k = 0; k < 2; k++) {
    const r = await f(workers);
    if (r.text !== best.text) throw new Error('two runs with the same workers gave different results');
    if (r.ms < best.ms) best = r;
  }
  return best;
}
console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
try {
  for (let k = 0; k < sweeps.length; k++) {
    const one = await bestOf3(sweep(k), 1);
    const two = await bestOf3(sweep(k), 2);
    if (one.text !== two.text) throw new Error('the sweep gave different results on 1 and 2 workers');
    console.log(`sweep ${sweeps[k]!.strategy.strategy.name}, 100 combinations: 1 worker ${s(one.ms)} (${(one.ms / 100).toFixed(0)} ms per run), 2 workers ${s(two.ms)}; speed-up ${(one.ms / two.ms).toFixed(2)}x; target < 60 s`);
  }
  const c1 = await bestOf3(compare, 1);
  const c2 = await bestOf3(compare, 2);
  if (c1.text !== c2.text) throw new Error('compare gave different results on 1 and 2 workers');
  console.log(`compare, 128 subnets x 7d and 30d windows: 1 worker ${s(c1.ms)}, 2 workers ${s(c2.ms)}; speed-up ${(c1.ms / c2.ms).toFixed(2)}x`);
  console.log(`(results identical on 1 and 2 workers; load average after: ${loadavg().map((x) => x.toFixed(2)).join(', ')})`);
} finally {
  rmSync(cache, { recursive: true, force: true });
}
