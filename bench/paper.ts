/**
 * The local cost of one paper tick as the account ages (everything but the network): a
 * mainnet-sized market (128 subnets), histories of 100 to 8,760 ticks (a year of hourly
 * ticks). Per history length:
 *  - read, build: read and validate the history file, and build its dataset (at start);
 *  - add: add the tick's snapshot to the history's dataset (every tick);
 *  - engine: step the strategy (top-emission) and the 100%-root benchmark;
 *  - commit: write the whole state file atomically (fsync + rename), and its size.
 * A tick's total is dataset + engine + commit; the schedule's default is one tick an hour.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot, SubnetState } from '../src/core/snapshot.ts';
import { writeSnapshotsFile } from '../src/data/writer.ts';
import { DEFAULT_MODEL } from '../src/engine/model.ts';
import { allRoot } from '../src/backtest/benchmarks.ts';
import { loadStrategy, resolveParams } from '../src/strategy/loader.ts';
import { asWritten, datasetOf, scanHistory } from '../src/paper/history.ts';
import { HistoryDataset } from '../src/paper/history-data.ts';
import { initialRunState, stepRun } from '../src/paper/step.ts';
import { DurableStateFile } from '../src/paper/store.ts';
import { PAPER_FORMAT, type PaperStateJson, type TickJson } from '../src/paper/state.ts';
import { identityOf } from '../src/paper/identity.ts';

const SUBNETS = 128;
const LENGTHS = (process.env.BENCH_PAPER_TICKS ?? '100,1000,4000,8760').split(',').map(Number);
const TAO = 1_000_000_000n;

/** Hourly snapshots of a deterministic market (prices on a small random walk). */
function market(count: number): Snapshot[] {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const tao = Array.from({ length: SUBNETS }, (_, k) => 2000 + 200_000 / (k + 1));
  const alpha = tao.map((t, k) => t / (0.01 + 0.3 / (k + 1)));
  const out: Snapshot[] = [];
  for (let i = 0; i < count; i++) {
    const block = 6_000_000 + 300 * i;
    const subnets: SubnetState[] = [];
    for (let k = 0; k < SUBNETS; k++) {
      tao[k]! *= 1 + (rnd() - 0.5) * 0.01;
      const y = BigInt(Math.round(tao[k]! * 1e9));
      const x = BigInt(Math.round(alpha[k]! * 1e9));
      subnets.push({
        netuid: k + 1, taoIn: y, alphaIn: x, alphaOut: x * 2n, movingPrice: Number(y) / Number(x), rootProp: 0.2,
        taoInEmission: 1_000_000n, alphaInEmission: 2_000_000n, alphaOutEmission: TAO, excessTao: 0n, feeRate: 33, tempo: 360,
        emissionEnabled: true, name: `subnet ${k + 1}`, quoteWeight: 0.5,
      });
    }
    out.push(asWritten({ block, time: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z'), subnets, rootStake: 4_500_000n * TAO, taoWeight: 0.18, blockEmission: TAO / 2n }, 'bench'));
  }
  return out;
}

function ms(t0: number): number {
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), 'dtao-bench-paper-'));
try {
  const maxLen = Math.max(...LENGTHS);
  const t0 = performance.now();
  const snaps = market(maxLen);
  console.log(`market: ${SUBNETS} subnets x ${maxLen} hourly snapshots generated in ${(ms(t0) / 1000).toFixed(1)} s`);
  const loaded = await loadStrategy('top-emission');
  const strategy = { strategy: loaded.strategy, params: resolveParams(loaded.strategy, {}) };
  const root = { strategy: allRoot, params: {} };
  const capital = 1000n * TAO;
  const rows: string[][] = [];
  for (const n of LENGTHS) {
    const history = join(dir, `h${n}.jsonl`);
    writeSnapshotsFile(history, snaps.slice(0, n), { source: 'bench' });
    let t = performance.now();
    const scanned = scanHistory(history, snaps[n - 1]!.block);
    const read = ms(t);
    t = performance.now();
    const seen = new HistoryDataset(history, {}, scanned.snapshots.slice(0, n - 1));
    const build = ms(t);
    t = performance.now();
    const data = seen.preview(snaps[n - 1]!);
    const extend = ms(t);
    // A run that holds positions: step it on the previous snapshot first (not timed).
    const before = stepRun(datasetOf(scanned.snapshots.slice(0, n - 1), history, {})!, DEFAULT_MODEL, strategy, initialRunState(capital));
    t = performance.now();
    const a = stepRun(data, DEFAULT_MODEL, strategy, before.state);
    const b = stepRun(data, DEFAULT_MODEL, root, initialRunState(capital));
    const engine = ms(t);
    // A state with n ticks like this one.
    const tick: TickJson = { seq: 0, block: 0, hash: `0x${'ab'.repeat(32)}`, time: '', spec_version: 424, marks: { strategy: a.mark, root_100: b.mark }, quotes: [] };
    const state: PaperStateJson = {
      format: PAPER_FORMAT,
      identity: identityOf({ strategyName: 'top-emission', strategyFile: loaded.file, params: strategy.params as Record<string, number>, model: DEFAULT_MODEL, capital, genesisHash: '0x00' }),
      settings: { strategy_ref: 'top-emission', endpoint: 'ws://127.0.0.1:9944', schedule: '0 * * * *', record: null },
      runs: { strategy: a.state, root_100: b.state },
      ticks: snaps.slice(0, n).map((s, k) => ({ ...tick, seq: k, block: s.block, time: s.time })),
    };
    const file = new DurableStateFile(join(dir, `s${n}.json`));
    t = performance.now();
    file.write(state);
    const commit = ms(t);
    const size = statSync(file.path).size;
    rows.push([String(n), read.toFixed(0), build.toFixed(0), extend.toFixed(1), engine.toFixed(1), commit.toFixed(0), (extend + engine + commit).toFixed(0), (size / 2 ** 20).toFixed(1), (statSync(history).size / 2 ** 20).toFixed(0)]);
  }
  const head = ['ticks', 'read ms', 'build ms', 'add ms', 'engine ms', 'commit ms', 'tick ms', 'state MiB', 'history MiB'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(head.map((h, i) => h.padStart(w[i]!)).join('  '));
  for (const r of rows) console.log(r.map((c, i) => c.padStart(w[i]!)).join('  '));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
