/**
 * Chain side figures, on a devnet driven by the market simulator (scenario "mixed", 128
 * subnets, the mainnet size), everything on 127.0.0.1 in this one process:
 *  - building the devnet runtime (types + SCALE metadata V16);
 *  - block production: simulator step + devnet block (header, packed state), blocks/s;
 *  - memory of the state window (packed state a block; heap too with --expose-gc);
 *  - the adapter: connect, one whole snapshot read (all subnets at one hash), a chain quote;
 *  - `dtao record`'s append (one line + fsync).
 * Latencies are over BENCH_READS repetitions (default 40): mean, p50, p95.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectChain } from '../src/chain/client.ts';
import { SnapshotFile } from '../src/chain/snapshot-file.ts';
import { CURRENT_RUNTIME, DevnetRuntime } from '../src/devnet/runtime/runtime.ts';
import { packSnapshot } from '../src/devnet/packed-snapshot.ts';
import { startDevnet } from '../src/devnet/server.ts';
import { createMarketSim } from '../src/sim/market.ts';

const READS = Number(process.env.BENCH_READS ?? 40);
const SUBNETS = 128;

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `mean ${mean.toFixed(1)} ms, p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms (n=${s.length})`;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

const [, buildMs] = await timed(() => new DevnetRuntime(CURRENT_RUNTIME));
console.log(`devnet runtime build (types + metadata V16): ${buildMs.toFixed(1)} ms`);

const sim = createMarketSim({ scenario: 'mixed', seed: 1, subnets: SUBNETS });
const STEPS = 300;
const [, simMs] = await timed(() => {
  for (let i = 0; i < STEPS; i++) sim.stepBlock();
});
console.log(`simulator alone: ${(STEPS / (simMs / 1000)).toFixed(0)} blocks/s (${(simMs / STEPS).toFixed(2)} ms a block, ${SUBNETS} subnets)`);

const dev = await startDevnet({ source: sim, blockTimeMs: 0, stateWindow: 4096 });
const [, prodMs] = await timed(() => dev.produceBlocks(STEPS));
console.log(`simulator + devnet block: ${(STEPS / (prodMs / 1000)).toFixed(0)} blocks/s (${(prodMs / STEPS).toFixed(2)} ms a block)`);

// What one block of the window holds: the packed typed arrays (names are shared strings).
const packed = packSnapshot(sim.snapshot());
const packedBytes = [packed.netuids, packed.amounts, packed.amountPresent, packed.floats, packed.small, packed.enabled]
  .reduce((n, a) => n + a.byteLength, 0) + 8 * packed.names.length;
console.log(`state window: ${(packedBytes / 1024).toFixed(1)} KiB of packed state a block (${SUBNETS} subnets; 4096 blocks ~${((packedBytes * 4096) / 2 ** 20).toFixed(0)} MiB)`);
if (global.gc) {
  global.gc();
  const held = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers; // typed arrays live outside the heap
  const before = held();
  const MORE = 1000;
  dev.produceBlocks(MORE);
  global.gc();
  console.log(`  measured with --expose-gc: ~${((held() - before) / MORE / 1024).toFixed(1)} KiB a block including the header and indexes`);
}

const [client, connectMs] = await timed(() => connectChain({ endpoint: dev.url }));
console.log(`adapter connect (ApiPromise init + metadata): ${connectMs.toFixed(0)} ms`);
const [, coldMs] = await timed(() => client.readSnapshot());
console.log(`first snapshot read: ${coldMs.toFixed(1)} ms`);

const reads: number[] = [];
const before = dev.requestCounts();
for (let i = 0; i < READS; i++) {
  dev.produceBlocks(1);
  const [r, ms] = await timed(() => client.readSnapshot());
  if (r.snapshot.subnets.length === 0) throw new Error('empty snapshot');
  reads.push(ms);
}
const after = dev.requestCounts();
const perRead = Object.entries(after)
  .map(([m, n]) => [m, (n - (before[m] ?? 0)) / READS] as const)
  .filter(([, n]) => n > 0)
  .map(([m, n]) => `${m} ${n}`)
  .join(', ');
console.log(`snapshot read of ${SUBNETS} subnets at a new head: ${stats(reads)}`);
console.log(`  requests per read: ${perRead}`);

const quotes: number[] = [];
for (let i = 0; i < READS; i++) {
  const [, ms] = await timed(() => client.quoteStake(1 + (i % 8), 10_000_000_000n));
  quotes.push(ms);
}
console.log(`chain stake quote (sim_swap_tao_for_alpha): ${stats(quotes)}`);
await client.disconnect();

const dir = mkdtempSync(join(tmpdir(), 'dtao-bench-chain-'));
const file = SnapshotFile.open(join(dir, 'rec.jsonl'), {});
const snap = sim.snapshot();
const appends: number[] = [];
for (let i = 0; i < READS; i++) {
  const [, ms] = await timed(() => file.append({ ...snap, block: snap.block + 1 + i }));
  appends.push(ms);
}
file.close();
rmSync(dir, { recursive: true, force: true });
console.log(`record append (one ${SUBNETS}-subnet line + fsync): ${stats(appends)}`);
await dev.close();
