/** A backtest over the real mainnet file in ../shared/data, with assertions that could fail. */
import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REAL_DATA_FILE, hasRealData, announceSkip } from '../helpers/shared.ts';
import { loadDataset } from '../../src/data/load.ts';
import { runBacktestJob, type BacktestOutcome } from '../../src/backtest/job.ts';
import { DEFAULT_MODEL } from '../../src/engine/model.ts';
import { loadStrategy, resolveParams } from '../../src/strategy/loader.ts';
import { parseAmount } from '../../src/core/units.ts';
import type { Strategy } from '../../src/strategy/types.ts';

if (!hasRealData) announceSkip('backtest over real mainnet data', REAL_DATA_FILE);

describe.skipIf(!hasRealData)('backtest over real mainnet data', () => {
  let outcome: BacktestOutcome;
  let run: () => BacktestOutcome;
  beforeAll(async () => {
    process.env.DTAO_CACHE_DIR = mkdtempSync(join(tmpdir(), 'dtao-real-'));
    const { dataset, contentHash } = loadDataset(REAL_DATA_FILE);
    const strategies: { strategy: Strategy; params: Readonly<Record<string, unknown>> }[] = [];
    for (const name of ['top-emission', 'yield-rotation']) {
      const s = (await loadStrategy(name)).strategy;
      strategies.push({ strategy: s, params: resolveParams(s, {}) });
    }
    run = () => runBacktestJob({ data: dataset, sha256: contentHash, strategies, model: DEFAULT_MODEL, capital: 1000_000_000_000n, from: 0, to: dataset.snapshotCount - 1 });
    outcome = run();
  });

  const byName = (n: string) => outcome.results.find((r) => r.spec.name === n)!;

  it('100% root never loses TAO: its root stake never falls and it ends above the capital', () => {
    // (Its spot mark may dip: root dividends not yet claimed are alpha, valued at spot.)
    const r = byName('root-100');
    const s = r.series.rootValue;
    expect(s[0]).toBe(1000);
    for (let k = 1; k < s.length; k++) expect(s[k]!).toBeGreaterThanOrEqual(s[k - 1]!);
    expect(r.finalLiquidation).toBeGreaterThan(r.initial);
    expect(r.portfolio.totals.yieldRoot).toBeGreaterThan(0n);
  });

  it('holding TAO stays exactly at the capital', () => {
    const r = byName('hold-tao');
    expect(r.finalSpot).toBe(1000_000_000_000n);
    expect(r.fills).toEqual([]);
  });

  it('fills on the real reserves match the constant-product formula with the fee', () => {
    // Read the first snapshot straight from the file, independently of the reader.
    const first = JSON.parse(readFileSync(REAL_DATA_FILE, 'utf8').split('\n')[1]!) as { subnets: { netuid: number; tao_in: string; alpha_in: string }[] };
    const fills = byName('equal-weight-alpha').fills.filter((f) => f.step === 0 && f.type === 'stake');
    expect(fills.length).toBe(first.subnets.length);
    for (const f of fills) {
      const s = first.subnets.find((x) => x.netuid === f.netuid)!;
      const y = parseAmount(s.tao_in);
      const x = parseAmount(s.alpha_in);
      const fee = (f.input * 33n) / 65535n;
      const net = f.input - fee;
      expect(f.fee).toBe(fee);
      expect(f.output).toBe((x * net) / (y + net));
    }
  });

  it('liquidation value never exceeds the spot value for a run holding alpha', () => {
    const r = byName('equal-weight-alpha');
    for (let k = 0; k < r.series.equitySpot.length; k++) expect(r.series.equityLiquidation[k]!).toBeLessThanOrEqual(r.series.equitySpot[k]! + 1e-9);
    expect(r.finalLiquidation).toBeLessThan(r.finalSpot);
  });

  it('says which yield inputs were missing from the file and what was assumed', () => {
    const a = outcome.report.assumptions.join('\n');
    expect(a).toMatch(/root_stake missing/);
    expect(a).toMatch(/alpha_out missing: estimated from root_prop/);
  });

  it('is deterministic: the same inputs give the same report bytes, whether benchmarks come from the cache or not', () => {
    // The first run computed the benchmarks and cached them; this one reads them back.
    const cachedRuns = readdirSync(join(process.env.DTAO_CACHE_DIR!, 'runs'));
    expect(cachedRuns.length).toBe(3);
    expect(JSON.stringify(run().report)).toBe(JSON.stringify(outcome.report));
  });

  it('strategies trade and report every required field', () => {
    for (const m of outcome.report.runs) {
      for (const k of ['name', 'initial_value', 'final_value_spot', 'final_value_liquidation', 'total_return', 'annualized_return', 'max_drawdown', 'sharpe', 'fees_paid', 'slippage_paid', 'yield_root', 'yield_alpha']) {
        expect(m, `${m.name}.${k}`).toHaveProperty(k);
      }
    }
    expect(byName('top-emission').fills.some((f) => f.type === 'stake' && f.status === 'filled')).toBe(true);
  });
});
