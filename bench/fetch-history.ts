/**
 * fetch-history figures, on a devnet driven by the market simulator (scenario "mixed", 128
 * subnets, the mainnet size), everything on 127.0.0.1 in this one process:
 *  - snapshots per second at concurrency 1, 4 and 8, with the node answering at once and with
 *    every answer held back 50 ms (a distant archive node), and requests per snapshot;
 *  - bytes per line written;
 *  - mapping times to blocks: timestamp reads per time on the devnet, and on a synthetic
 *    5-million-block timeline with missed slots and halts (no network: the search alone).
 * BENCH_BLOCKS (default 48) sets how many blocks each fetch reads.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectChain } from '../src/chain/client.ts';
import { startDevnet } from '../src/devnet/server.ts';
import { bracketTime } from '../src/history/block-dates.ts';
import { fetchHistory } from '../src/history/fetch-history.ts';
import { resolveRange } from '../src/history/fetch-range.ts';
import { createMarketSim } from '../src/sim/market.ts';

const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 48);
const SUBNETS = 128;
const dir = mkdtempSync(join(tmpdir(), 'dtao-bench-fetch-'));

const sim = createMarketSim({ scenario: 'mixed', seed: 1, subnets: SUBNETS });
const dev = await startDevnet({ source: sim, blockTimeMs: 0, stateWindow: 4096 });
dev.produceBlocks(BLOCKS + 10);
const first = dev.bestNumber - BLOCKS - 5;
const client = await connectChain({ endpoint: dev.url });
// warm the runtime metadata cache, so every run below starts alike
await client.readSnapshot(first);

console.log(`fetch of ${BLOCKS} blocks (every 1), ${SUBNETS} subnets:`);
for (const latencyMs of [0, 50]) {
  const remove = latencyMs ? dev.injectFault({ delayMs: latencyMs }) : () => {};
  for (const concurrency of [1, 4, 8]) {
    const out = join(dir, `c${concurrency}-l${latencyMs}.jsonl`);
    const before = dev.requestCounts();
    const t0 = performance.now();
    const s = await fetchHistory({ source: client, out, from: { block: first }, to: { block: first + BLOCKS - 1 }, every: 1, concurrency });
    const ms = performance.now() - t0;
    const after = dev.requestCounts();
    const requests = Object.keys(after).reduce((n, k) => n + (after[k]! - (before[k] ?? 0)), 0);
    const bytes = readFileSync(out).length;
    console.log(
      `  ${latencyMs ? `+${latencyMs} ms per answer` : 'answers at once  '}, concurrency ${concurrency}: ` +
        `${(s.written / (ms / 1000)).toFixed(1)} snapshots/s (${(ms / s.written).toFixed(1)} ms each), ` +
        `${(requests / s.written).toFixed(1)} requests per snapshot (head and dates included), ${(bytes / s.written / 1024).toFixed(1)} KiB per line`,
    );
  }
  remove();
}

// Per method, for one snapshot read
{
  const before = dev.requestCounts();
  await client.readSnapshot(first + 1);
  const after = dev.requestCounts();
  const per = Object.keys(after).filter((k) => after[k] !== before[k]).map((k) => `${k} ${after[k]! - (before[k] ?? 0)}`);
  console.log(`one snapshot read: ${per.join(', ')}`);
}

// Times to blocks on the devnet (12 s blocks): reads for a --from and a --to
{
  const t = Date.parse(sim.snapshot().time);
  const r = await resolveRange(client, { atOrAfterMs: t - Math.floor(BLOCKS / 2) * 12_000 + 5_000, text: 'a' }, { beforeMs: t - 2 * 12_000 + 1, text: 'b' }, (e) => e as Error);
  console.log(`dates to blocks on the devnet: ${r.timeReads} timestamp reads for --from, --to and the head`);
}

await client.disconnect();
await dev.close();
rmSync(dir, { recursive: true, force: true });

// The search alone on a long synthetic chain: 12 s slots, about 1 in 50 missed (a 24 s gap),
// a 2-hour halt every million blocks; deterministic (a fixed linear congruential sequence).
{
  const N = 5_000_000;
  const times = new Float64Array(N + 1);
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  times[1] = Date.UTC(2023, 2, 20);
  for (let n = 2; n <= N; n++) times[n] = times[n - 1]! + (next() < 0.02 ? 24_000 : 12_000) + (n % 1_000_000 === 0 ? 7_200_000 : 0);
  const head = { number: N, timeMs: times[N]! };
  const reads: number[] = [];
  const t0 = performance.now();
  const TARGETS = 2000;
  for (let i = 0; i < TARGETS; i++) {
    const target = times[1]! + next() * (times[N]! - times[1]!);
    const b = await bracketTime(async (n) => times[n]!, target, head);
    reads.push(b.reads);
  }
  const ms = performance.now() - t0;
  reads.sort((a, b) => a - b);
  const mean = reads.reduce((a, b) => a + b, 0) / reads.length;
  console.log(
    `dates to blocks on a ${N.toLocaleString('en')}-block synthetic chain: ${mean.toFixed(2)} reads per time on average, ` +
      `median ${reads[reads.length >> 1]}, max ${reads.at(-1)} (plain bisection: ${Math.ceil(Math.log2(N))}); ${((ms * 1000) / TARGETS).toFixed(0)} us of search per time`,
  );
}
