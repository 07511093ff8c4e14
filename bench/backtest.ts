/**
 * Backtest throughput over a large file (hundreds of MB of JSON Lines), in subnet-snapshots
 * per second (one subnet in one snapshot = one unit):
 *  - the floor: reading and JSON-parsing every line, nothing else;
 *  - a first run: parse + validate + build the columnar dataset + write the cache, then the
 *    backtest (a simple strategy plus the three benchmarks);
 *  - a repeat run: dataset from the cache, then the same backtest.
 * Targets (issue 2): first run within 2x the parse floor's time; repeat run >= 2,000,000/s.
 * The file is generated once (deterministically) and kept in the OS temp dir.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines } from '../src/data/lines.ts';
import { writeSnapshotsFile } from '../src/data/writer.ts';
import { loadDataset } from '../src/data/load.ts';
import { cacheWritesSettled } from '../src/data/cache.ts';
import { runBacktestJob } from '../src/backtest/job.ts';
import { DEFAULT_MODEL } from '../src/engine/model.ts';
import { loadStrategy, resolveParams } from '../src/strategy/loader.ts';
import type { Snapshot } from '../src/core/snapshot.ts';
import { reserveWalk } from './market.ts';

const SUBNETS = 128;
const SNAPSHOTS = Number(process.env.BENCH_SNAPSHOTS ?? 12_000); // ~1.5M rows, ~300 MB
const dir = join(tmpdir(), 'dtao-bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, `market-v2-${SUBNETS}x${SNAPSHOTS}.jsonl`);
process.env.DTAO_CACHE_DIR = join(dir, 'cache');

/** A deterministic market with every field of the format. */
function* market(): Generator<Snapshot> {
  for (const { i, reserves } of reserveWalk(42, SUBNETS, SNAPSHOTS)) {
    const subnets = reserves.map(([t, a], k) => ({
      netuid: k + 1, taoIn: t, alphaIn: a, alphaOut: a * 2n, price: Number(t) / Number(a), movingPrice: (Number(t) / Number(a)) * 0.98,
      rootProp: 0.15, taoInEmission: 1_000_000n, alphaInEmission: 150_000_000n, alphaOutEmission: 1_000_000_000n, excessTao: 2_000_000n,
      feeRate: 33, tempo: 360, emissionEnabled: k % 3 !== 0, name: `subnet ${k + 1}`,
    }));
    yield {
      block: 5_000_000 + 300 * i, time: new Date(Date.UTC(2026, 0, 1) + 3_600_000 * i).toISOString(), subnets,
      rootStake: 4_500_000_000_000_000n, taoWeight: 0.18, blockEmission: 500_000_000n,
    };
  }
}

if (!existsSync(file)) {
  const t = performance.now();
  writeSnapshotsFile(file, market(), { source: 'dtao-lab benchmark' });
  console.log(`generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const bytes = statSync(file).size;
const rows = SUBNETS * SNAPSHOTS;
console.log(`file: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${SNAPSHOTS.toLocaleString('en-US')} snapshots x ${SUBNETS} subnets = ${rows.toLocaleString('en-US')} subnet-snapshots`);

const rate = (ms: number) => `${((rows / ms) * 1000).toLocaleString('en-US', { maximumFractionDigits: 0 })} subnet-snapshots/s`;

// 1. The floor: read + JSON.parse.
let t0 = performance.now();
let n = 0;
for (const line of readLines(file)) {
  if (line.text) {
    JSON.parse(line.text);
    n++;
  }
}
const parseMs = performance.now() - t0;
console.log(`parse floor (read + JSON.parse):  ${(parseMs / 1000).toFixed(2)} s  ${rate(parseMs)}`);

const strategy = (await loadStrategy('top-emission')).strategy;
const job = (d: ReturnType<typeof loadDataset>) => runBacktestJob({
  data: d.dataset, sha256: d.contentHash, strategies: [{ strategy, params: resolveParams(strategy, {}) }], model: DEFAULT_MODEL,
  capital: 1000_000_000_000n, from: 0, to: d.dataset.snapshotCount - 1,
});

// 2. First run: no cache.
rmSync(process.env.DTAO_CACHE_DIR!, { recursive: true, force: true });
t0 = performance.now();
const first = loadDataset(file);
const loadMs = performance.now() - t0;
job(first);
await cacheWritesSettled(); // a command waits for its cache file before it exits
const firstMs = performance.now() - t0;
console.log(`first run (parse, validate, cache, backtest): ${(firstMs / 1000).toFixed(2)} s  ${rate(firstMs)}  (load ${(loadMs / 1000).toFixed(2)} s; ${(firstMs / parseMs).toFixed(2)}x the parse floor; target <= 2x)`);

// 3. Repeat run: from the cache (a fresh dataset object, so no in-memory reuse).
t0 = performance.now();
const again = loadDataset(file);
const hitMs = performance.now() - t0;
if (!again.fromCache) throw new Error('expected a cache hit');
job(again);
const repeatMs = performance.now() - t0;
console.log(`repeat run (cache, backtest):     ${(repeatMs / 1000).toFixed(2)} s  ${rate(repeatMs)}  (cache read incl. hashing ${(hitMs / 1000).toFixed(2)} s; target >= 2,000,000/s)`);
console.log(`(runs per backtest: top-emission + hold-tao + root-100 + equal-weight-alpha; ${n.toLocaleString('en-US')} lines)`);
