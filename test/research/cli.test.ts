/**
 * The research commands as a user runs them (a child process each): the files they write are
 * byte-identical to the library's output with a different number of workers, exit codes say
 * whether lookahead was found, and a mistake is one plain line. Flag parsing itself is tested
 * in-process (windows, sweep, walk-forward tests); each process start costs seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dtao, hasStack } from '../helpers/cli.ts';
import { loadDataset } from '../../src/data/load.ts';
import { DEFAULT_MODEL } from '../../src/engine/model.ts';
import { runCompare } from '../../src/research/compare/compare.ts';
import { writeCompareOutputs } from '../../src/research/compare/compare-files.ts';
import { compareHtmlInput } from '../../src/research/compare/compare-html.ts';
import { writeHtmlReport } from '../../src/report/html/render.ts';
import { loadStrategy } from '../../src/strategy/loader.ts';
import { parseGrid } from '../../src/research/sweep/grid.ts';
import { runSweep } from '../../src/research/sweep/sweep.ts';
import { parseWalkForward } from '../../src/research/sweep/walk-forward.ts';
import { writeSweepOutputs } from '../../src/research/sweep/sweep-files.ts';
import { HOUR, TAO, wavyMarket, writeTempData, type TempData } from './helpers.ts';

let tmp: TempData;
let env: Record<string, string>;
const cacheBefore = process.env.DTAO_CACHE_DIR;
beforeAll(() => {
  tmp = writeTempData(wavyMarket(40, 5));
  env = { DTAO_CACHE_DIR: join(tmp.dir, 'cache') };
  process.env.DTAO_CACHE_DIR = env.DTAO_CACHE_DIR;
});
afterAll(() => {
  if (cacheBefore === undefined) delete process.env.DTAO_CACHE_DIR;
  else process.env.DTAO_CACHE_DIR = cacheBefore;
  tmp.cleanup();
});

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('dtao compare', () => {
  it('writes, on 2 worker threads, the bytes the library writes on the main thread', async () => {
    const cli = join(tmp.dir, 'cmp-cli');
    const r = dtao(['compare', '--data', tmp.file, '--horizon', '6h,12h', '--amount', '25', '--workers', '2', '--out', cli], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^6h windows: \d+ starts; root median return/m);
    expect(r.stdout).toMatch(/subnet\s+windows\s+median excess/);

    const { dataset, contentHash } = loadDataset(tmp.file);
    const outcome = await runCompare({
      data: dataset, sha256: contentHash, model: DEFAULT_MODEL, amount: 25n * TAO, horizons: [{ label: '6h', ms: 6 * HOUR }, { label: '12h', ms: 12 * HOUR }],
      tolerance: 0.1, stepMs: 0, from: 0, to: dataset.snapshotCount - 1,
    });
    const lib = join(tmp.dir, 'cmp-lib');
    mkdirSync(lib);
    writeCompareOutputs(lib, outcome);
    writeHtmlReport(join(lib, 'report.html'), compareHtmlInput(outcome));
    for (const f of ['compare.json', 'compare.csv', 'windows.csv', 'report.html']) expect(read(cli, f), f).toBe(read(lib, f));
  });
});

describe('dtao sweep', () => {
  it('writes, on 2 worker threads, the bytes the library writes on 1, walk-forward included', async () => {
    const cli = join(tmp.dir, 'sweep-cli');
    const r = dtao(['sweep', '--strategy', 'top-emission', '--data', tmp.file, '--grid', 'n=1:3:1', '--grid', 'rebalance_blocks=300,900',
      '--param', 'min_pool_tao=0', '--metric', 'total_return', '--walk-forward', 'train=12h,test=6h', '--workers', '2', '--out', cli], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6 combinations ranked by total_return/);
    expect(r.stdout).toMatch(/Out of sample \(winners of each training window, stitched\): return/);
    expect(r.stdout).toMatch(/runs in \d+s on 2 worker thread\(s\)/);

    const { dataset, contentHash } = loadDataset(tmp.file);
    const loaded = await loadStrategy('top-emission');
    const outcome = await runSweep({
      data: dataset, sha256: contentHash, dataPath: tmp.file, cache: true, strategy: loaded.strategy, strategyRef: loaded.file, fixedParams: { min_pool_tao: 0 },
      grid: parseGrid(['n=1:3:1', 'rebalance_blocks=300,900'], loaded.strategy), metric: 'total_return', capital: 1000n * TAO, model: DEFAULT_MODEL,
      from: 0, to: dataset.snapshotCount - 1, workers: 1, walkForward: parseWalkForward('train=12h,test=6h'),
    });
    const lib = join(tmp.dir, 'sweep-lib');
    writeSweepOutputs(lib, outcome);
    for (const f of ['sweep.json', 'sweep.csv', 'walk-forward.json', 'walk-forward.csv', 'walk-forward-equity.csv']) expect(read(cli, f), f).toBe(read(lib, f));
    expect(read(cli, 'sweep.csv').split('\n')[0]!.startsWith('rank,index,n,rebalance_blocks,total_return,')).toBe(true);
  });

  it('refuses a grid it cannot run in one plain line, writing nothing', () => {
    const r = dtao(['sweep', '--strategy', 'top-emission', '--data', tmp.file, '--grid', 'size=1,2', '--out', join(tmp.dir, 'bad')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('dtao: error: --grid size=1,2: strategy "top-emission" has no param "size" (its params: n, root_weight, min_pool_tao, rebalance_blocks, rebalance_band)\n');
    expect(hasStack(r.stderr)).toBe(false);
    expect(existsSync(join(tmp.dir, 'bad'))).toBe(false);
  });
});

describe('dtao lookahead-check', () => {
  it('exits 1 and lists what it found for a strategy that keeps state across runs', () => {
    const r = dtao(['lookahead-check', '--strategy', join(import.meta.dirname, 'fixtures', 'peek-memory.ts'), '--data', tmp.file, '--cuts', '5'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FOUND \d+ problem\(s\)/);
    expect(r.stdout).toMatch(/future-data: at block \d+ the decision changed when the data after block \d+ was removed/);
    expect(r.stdout).toMatch(/state-across-runs: a second run on the same data decided differently/);
    expect(r.stderr).toBe('');
  });
});
