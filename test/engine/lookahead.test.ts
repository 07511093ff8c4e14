/** The look-ahead guard: a strategy can see the present and the past, never the future. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { DEFAULT_MODEL } from '../../src/engine/model.ts';
import { Portfolio } from '../../src/core/portfolio.ts';
import { defineStrategy, type StrategyContext } from '../../src/strategy/types.ts';
import { datasetOf, snap, TAO } from '../helpers/build.ts';

// Prices rise 1% per snapshot: any peek at the future would show in the series.
const data = datasetOf(Array.from({ length: 20 }, (_, k) => snap(100 * k, [{ netuid: 3, taoIn: (1000n + 10n * BigInt(k)) * TAO, alphaIn: 100_000n * TAO }])));

function observe(fn: (ctx: StrategyContext<Record<string, unknown>>) => void) {
  const strategy = defineStrategy({ name: 'peek', description: '', params: {}, decide: (ctx) => { fn(ctx as never); } });
  const e = new Engine({ data, strategy, params: {}, model: DEFAULT_MODEL, portfolio: new Portfolio(10n * TAO) });
  for (let i = 0; i < data.snapshotCount; i++) e.step(i);
}

describe('look-ahead guard', () => {
  it('history ends at the current snapshot, whatever lookback is asked for', () => {
    observe((ctx) => {
      const all = ctx.history.series(3, 'taoIn', 10_000);
      expect(all.length).toBe(ctx.step + 1);
      expect(all[all.length - 1]).toBe(ctx.snapshot.subnets[0]!.taoIn);
      expect(ctx.history.blocks(10_000).at(-1)).toBe(ctx.snapshot.block);
      expect(ctx.history.length).toBe(ctx.step + 1);
    });
  });

  it('the dataset is not reachable from the context', () => {
    observe((ctx) => {
      const seen = new Set<unknown>();
      const walk = (o: unknown, depth: number) => {
        if (!o || typeof o !== 'object' || seen.has(o) || depth > 4) return;
        seen.add(o);
        for (const k of Reflect.ownKeys(o)) {
          const v = (o as Record<PropertyKey, unknown>)[k as string];
          expect(v && typeof v === 'object' && 'cols' in (v as object)).toBeFalsy();
          walk(v, depth + 1);
        }
      };
      walk(ctx, 0);
      walk(ctx.history, 0);
      walk(ctx.snapshot, 0);
    });
  });

  it('context objects are read-only', () => {
    observe((ctx) => {
      expect(Object.isFrozen(ctx)).toBe(true);
      expect(Object.isFrozen(ctx.snapshot.subnets)).toBe(true);
      expect(Object.isFrozen(ctx.snapshot.subnets[0])).toBe(true);
      expect(() => { (ctx.snapshot.subnets[0] as { price: number }).price = 99; }).toThrow();
    });
  });

  it('decisions depend only on the past: a truncated dataset gives the same decisions', () => {
    const decisions: number[] = [];
    const strategy = defineStrategy({
      name: 'trend', description: '', params: {},
      decide(ctx) {
        const s = ctx.history.series(3, 'price', 5);
        decisions.push(s.reduce((a, b) => a + b, 0));
      },
    });
    const runOn = (n: number) => {
      decisions.length = 0;
      const d = data.slice(0, n);
      const e = new Engine({ data: d, strategy, params: {}, model: DEFAULT_MODEL, portfolio: new Portfolio(TAO) });
      for (let i = 0; i < d.snapshotCount; i++) e.step(i);
      return [...decisions];
    };
    const full = runOn(20);
    const cut = runOn(12);
    expect(cut).toEqual(full.slice(0, 12));
  });
});
