/**
 * Data tools throughput, on a generated file shaped like the mainnet data (128 subnets with
 * price, root_prop, excess_tao, emission_enabled and name):
 *  - the floor: reading and JSON-parsing every line;
 *  - dtao convert JSONL -> CSV and CSV -> JSONL (validated, atomic), and that the round trip
 *    gives back the same bytes;
 *  - dtao inspect: loading the file (no cache) plus every check, and the checks alone;
 *  - dtao import taostats end to end against a local HTTP server (pages of 200, no rate
 *    limit): rows per second through HTTP, JSON, mapping, merging, validation and append.
 * The file is generated once (deterministically) and kept in the OS temp dir.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '../src/core/snapshot.ts';
import { reserveWalk } from './market.ts';
import { readLines } from '../src/data/lines.ts';
import { loadDataset } from '../src/data/load.ts';
import { writeSnapshotsFile } from '../src/data/writer.ts';
import { VirtualClock } from '../src/history/clock.ts';
import { convertSnapshotsFile } from '../src/history/convert.ts';
import { inspectDataset } from '../src/history/inspect.ts';
import { importTaostats } from '../src/history/taostats/import.ts';
import { startFakeTaostats, type FakeRow } from '../test/history/fake-taostats.ts';

const SUBNETS = 128;
const SNAPSHOTS = Number(process.env.BENCH_SNAPSHOTS ?? 4000); // 512,000 rows, ~100 MB
const IMPORT_HOURS = Number(process.env.BENCH_IMPORT_HOURS ?? 240);
const dir = join(tmpdir(), 'dtao-bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, `history-${SUBNETS}x${SNAPSHOTS}.jsonl`);
process.env.DTAO_CACHE_DIR = join(dir, 'cache-history');

function* market(): Generator<Snapshot> {
  for (const { i, reserves, rnd } of reserveWalk(7, SUBNETS, SNAPSHOTS)) {
    const subnets = reserves.map(([t, a], k) => ({
      netuid: k + 1, taoIn: t, alphaIn: a, price: Math.round((Number(t) / Number(a)) * 1e9) / 1e9, rootProp: 0.15,
      excessTao: BigInt(Math.round(rnd() * 1e7)), emissionEnabled: k % 5 !== 0, name: `subnet, "${k + 1}"`,
    }));
    yield { block: 8_000_000 + 300 * i, time: new Date(Date.UTC(2026, 0, 1) + 3_600_000 * i).toISOString(), subnets };
  }
}

if (!existsSync(file)) {
  const t = performance.now();
  writeSnapshotsFile(file, market(), { source: 'dtao-lab history benchmark' });
  console.log(`generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const bytes = statSync(file).size;
const rows = SUBNETS * SNAPSHOTS;
const mib = (b: number) => (b / 2 ** 20).toFixed(0);
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const line = (label: string, ms: number, extra = '') =>
  console.log(`${label.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${fmt((rows / ms) * 1000).padStart(11)} rows/s  ${(bytes / 2 ** 20 / (ms / 1000)).toFixed(0).padStart(4)} MiB/s${extra}`);
console.log(`file: ${mib(bytes)} MiB, ${fmt(SNAPSHOTS)} snapshots x ${SUBNETS} subnets = ${fmt(rows)} rows`);

let t0 = performance.now();
for (const l of readLines(file)) if (l.text) JSON.parse(l.text);
const floor = performance.now() - t0;
line('parse floor (read + JSON.parse)', floor);

const csv = join(dir, 'history-bench.csv');
const back = join(dir, 'history-bench.jsonl');
t0 = performance.now();
convertSnapshotsFile(file, csv, bytes);
const toCsv = performance.now() - t0;
line('convert JSONL -> CSV', toCsv, `  (${(toCsv / floor).toFixed(2)}x the floor; reads the input twice; CSV ${mib(statSync(csv).size)} MiB)`);
t0 = performance.now();
convertSnapshotsFile(csv, back, statSync(csv).size);
const toJsonl = performance.now() - t0;
line('convert CSV -> JSONL', toJsonl, `  (${(toJsonl / floor).toFixed(2)}x the floor)`);
const same = readFileSync(back).equals(readFileSync(file));
console.log(`round trip byte-identical: ${same ? 'yes' : 'NO'}`);
rmSync(csv, { force: true });
rmSync(back, { force: true });

t0 = performance.now();
const ds = loadDataset(file, { cache: false }).dataset;
const loadMs = performance.now() - t0;
const t1 = performance.now();
const report = inspectDataset(ds);
const checksMs = performance.now() - t1;
line('inspect (load without cache + checks)', loadMs + checksMs, `  (checks alone ${checksMs.toFixed(0)} ms = ${fmt((rows / checksMs) * 1000)} rows/s; ${report.checks.price.count} price findings)`);

// Import end to end.
const T0 = Date.UTC(2026, 0, 1);
const fake: FakeRow[] = [];
for (let h = 0; h < IMPORT_HOURS; h++) {
  for (let n = 1; n <= SUBNETS; n++) {
    const tao = 1000 + n + h;
    fake.push({
      netuid: n, block_number: 8_000_000 + 300 * h, timestamp: new Date(T0 + h * 3_600_000 + 12_000).toISOString(), name: `SN${n}`, symbol: 'α',
      market_cap: '1', liquidity: '1', total_tao: `${tao}000000000`, total_alpha: '1', alpha_in_pool: `${4 * tao}000000000`,
      alpha_staked: '5000000000', price: '0.25000000000000000000', root_prop: '0.1800000000',
    });
  }
}
const server = await startFakeTaostats({ apiKey: 'bench', rows: { by_hour: fake } });
const out = join(dir, 'history-import.jsonl');
rmSync(out, { force: true });
t0 = performance.now();
const r = await importTaostats({
  out, apiKey: 'bench', baseUrl: server.url, netuids: 'all', fromMs: T0, toMs: T0 + IMPORT_HOURS * 3_600_000, frequency: 'by_hour',
  rateLimit: 1e9, clock: new VirtualClock(T0 + 1e12),
});
const importMs = performance.now() - t0;
await server.close();
console.log(`import taostats (local HTTP, no limit)  ${(importMs / 1000).toFixed(2).padStart(6)} s  ${fmt((r.rowsRead / importMs) * 1000).padStart(11)} rows/s  (${r.written} snapshots, ${r.requests} requests, ${(importMs / r.requests).toFixed(1)} ms/request)`);
console.log(`at the free tier's 5 requests/minute the same import takes ${(r.requests / 5).toFixed(0)} min: the rate limit, not the code, sets the pace`);
rmSync(out, { force: true });
