/**
 * lookahead-check against strategies that cheat in known ways (fixtures/), and against honest
 * ones, which must pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runLookaheadCheck, cutPoints, decisionText, type LookaheadInput } from '../../src/research/lookahead/lookahead.ts';
import { truncatedView } from '../../src/research/lookahead/truncate.ts';
import { loadDataset } from '../../src/data/load.ts';
import { DEFAULT_MODEL } from '../../src/engine/model.ts';
import { datasetOf, TAO, wavyMarket, writeTempData, type TempData } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

describe('truncated data', () => {
  it('holds exactly the snapshots up to the cut', () => {
    const snaps = wavyMarket(10, 3);
    const full = datasetOf(snaps);
    const cut = truncatedView(full, 5);
    const ref = datasetOf(snaps.slice(0, 6));
    expect(cut.snapshotCount).toBe(6);
    expect(cut.rowCount).toBe(ref.rowCount);
    for (let i = 0; i < 6; i++) expect(cut.snapshot(i)).toEqual(ref.snapshot(i));
    expect(cut.meta.timeText).toEqual(ref.meta.timeText);
    expect(() => truncatedView(full, 10)).toThrow(RangeError);
  });

  it('spreads cut points over the range', () => {
    expect(cutPoints(0, 10, 3)).toEqual([2, 5, 7]);
    expect(cutPoints(5, 8, 'all')).toEqual([5, 6, 7]);
    expect(cutPoints(5, 8, 50)).toEqual([5, 6, 7]);
    expect(cutPoints(3, 3, 4)).toEqual([]);
  });

  it('writes decisions comparably, bigint amounts included', () => {
    expect(decisionText(undefined)).toBe('hold');
    expect(decisionText({ orders: [{ type: 'stake', netuid: 1, tao: 5n }] })).toBe('{"orders":[{"type":"stake","netuid":1,"tao":"5n"}]}');
  });
});

describe('lookahead-check', () => {
  let tmp: TempData;
  let base: Omit<LookaheadInput, 'strategyRef'>;
  const peekBefore = process.env.DTAO_PEEK_FILE;
  beforeAll(() => {
    tmp = writeTempData(wavyMarket(30));
    const { dataset, contentHash } = loadDataset(tmp.file, { cache: false });
    base = { data: dataset, sha256: contentHash, dataPath: tmp.file, params: {}, model: DEFAULT_MODEL, capital: 100n * TAO, from: 0, to: dataset.snapshotCount - 1, cuts: 'all' };
  });
  afterAll(() => {
    if (peekBefore === undefined) delete process.env.DTAO_PEEK_FILE;
    else process.env.DTAO_PEEK_FILE = peekBefore;
    tmp.cleanup();
  });

  it('passes honest strategies', async () => {
    for (const name of ['top-emission', 'ema-trend', 'yield-rotation', 'liquidity-drain-exit']) {
      const r = await runLookaheadCheck({ ...base, strategyRef: name, params: name === 'ema-trend' ? { fast: 3, slow: 8 } : { min_pool_tao: 0 } });
      expect(r.findings, name).toEqual([]);
      expect(r.ok).toBe(true);
      // Every cut run's decisions up to its cut, plus the repeat run's.
      expect(r.decisions_compared).toBe((29 * 30) / 2 + 30);
    }
  });

  it('catches a strategy that remembers prices from an earlier run', async () => {
    const r = await runLookaheadCheck({ ...base, strategyRef: join(FIXTURES, 'peek-memory.ts'), cuts: 4 });
    expect(r.ok).toBe(false);
    const kinds = r.findings.map((f) => f.kind);
    expect(kinds).toContain('future-data');
    expect(kinds).toContain('state-across-runs');
    const f = r.findings.find((x) => x.kind === 'future-data')!;
    expect(f.cut_block).toBe(r.cut_blocks[0]);
    // Its first run, knowing nothing yet, holds root at the first step; later runs already "know".
    expect(f.full_run).toBe('{"targets":{"root":1}}');
    expect(f.other_run).toMatch(/^\{"targets":\{"subnets":\{"\d+":1\}\}\}$/);
  });

  it('catches a strategy that reads the data file itself, which cutting the data cannot show', async () => {
    process.env.DTAO_PEEK_FILE = tmp.file;
    const r = await runLookaheadCheck({ ...base, strategyRef: join(FIXTURES, 'peek-file.ts') });
    expect(r.findings.map((f) => f.kind)).toEqual(['reads-data-file']);
    expect(r.findings[0]!.message).toContain(tmp.file);
    expect(r.findings[0]!.message).toContain('while loading the strategy');
  });
});
