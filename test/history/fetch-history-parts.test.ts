/**
 * The parts of fetch-history that need no chain: mapping a time to a block over hand-made
 * timelines (checked against a plain scan of every block), the sampling grid, and the ordered
 * pool (results in order whatever order the reads finish in, bounded concurrency and look-ahead,
 * a failure or an abort leaving a prefix).
 */
import { describe, expect, it } from 'vitest';
import { bracketTime } from '../../src/history/block-dates.ts';
import { gridCount, nextOnGrid } from '../../src/history/fetch-range.ts';
import { runOrdered } from '../../src/history/ordered-pool.ts';

const T0 = Date.UTC(2026, 0, 1);

/** A chain whose block n has time times[n] (index 0 unused: the genesis block has no time). */
function chainOf(times: number[]) {
  const reads: number[] = [];
  const timeOf = async (n: number) => {
    if (!(n >= 1 && n < times.length)) throw new Error(`block ${n} does not exist`);
    reads.push(n);
    return times[n]!;
  };
  const head = { number: times.length - 1, timeMs: times[times.length - 1]! };
  return { timeOf, reads, head };
}

/** The answer by brute force: the last block whose time is before the target (0 if none). */
function scanBefore(times: number[], target: number): number {
  let before = 0;
  for (let n = 1; n < times.length; n++) if (times[n]! < target) before = n;
  return before;
}

function regular(blocks: number): number[] {
  const t = [0];
  for (let n = 1; n <= blocks; n++) t.push(T0 + (n - 1) * 12_000);
  return t;
}

/** 12 s blocks with a missed slot every 7th block, a 3-hour halt after block 4000 and 6 s blocks for a while. */
function irregular(blocks: number): number[] {
  const t = [0, T0];
  for (let n = 2; n <= blocks; n++) {
    let gap = n % 7 === 0 ? 24_000 : 12_000;
    if (n === 4001) gap = 3 * 3_600_000;
    if (n > 6000 && n < 6500) gap = 6_000;
    t.push(t[n - 1]! + gap);
  }
  return t;
}

describe('mapping a time to a block', () => {
  it('on a chain of exact 12 s blocks, lands in one or two reads', async () => {
    const times = regular(10_000);
    for (const [target, before] of [
      [T0 + 5_000 * 12_000, 5_000], // exactly block 5001's time: 5000 is the last before it
      [T0 + 5_000 * 12_000 + 1, 5_001],
      [T0 + 5_000 * 12_000 - 1, 5_000],
      [T0 + 9_998 * 12_000 + 5_000, 9_999],
    ] as const) {
      const c = chainOf(times);
      const b = await bracketTime(c.timeOf, target, c.head);
      expect(b.before).toBe(before);
      expect(b.after).toEqual({ number: before + 1, timeMs: times[before + 1] });
      expect(b.reads).toBeLessThanOrEqual(2);
    }
  });

  it('agrees with a scan of every block on an irregular chain, in few reads near the answer', async () => {
    const times = irregular(8_000);
    const targets = [T0 - 1, T0, T0 + 1, times[7]! - 1, times[7]!, times[4000]! + 60_000, times[4001]!, times[6200]! + 3_000, times[7999]!, times[8000]!];
    for (let k = 0; k < 40; k++) targets.push(T0 + Math.floor(((times[8000]! - T0) * k) / 40) + 777);
    for (const target of targets) {
      const c = chainOf(times);
      const b = await bracketTime(c.timeOf, target, c.head);
      const want = scanBefore(times, target);
      expect(b.before, `target ${target}`).toBe(want);
      expect(b.after?.number, `target ${target}`).toBe(want + 1);
      // log2(8000) ~ 13: aimed reads plus a bisection never need more than 8 + 13
      expect(b.reads).toBeLessThanOrEqual(21);
    }
    // On the regular stretch, far from the halt, the aim is close: a handful of reads, all near the answer
    const c = chainOf(times);
    const target = times[2500]! + 5_000;
    const b = await bracketTime(c.timeOf, target, { number: 3000, timeMs: times[3000]! });
    expect(b.before).toBe(2500);
    expect(b.reads).toBeLessThanOrEqual(5);
    expect(Math.min(...c.reads)).toBeGreaterThan(2400);
  });

  it('says so when the time is after the head or before the first block', async () => {
    const times = regular(100);
    const after = chainOf(times);
    expect(await bracketTime(after.timeOf, times[100]! + 1, after.head)).toEqual({ before: 100, after: undefined, reads: 0 });
    const early = chainOf(times);
    const b = await bracketTime(early.timeOf, T0 - 86_400_000, early.head);
    expect(b.before).toBe(0);
    expect(b.after).toEqual({ number: 1, timeMs: T0 });
    expect(early.reads.every((n) => n >= 1)).toBe(true); // never asks for block 0
  });
});

describe('the sampling grid', () => {
  it('counts from, from + every, ... <= to and finds the next block after the last one written', () => {
    expect(gridCount({ from: 100, every: 10, to: 100 })).toBe(1);
    expect(gridCount({ from: 100, every: 10, to: 129 })).toBe(3); // 100, 110, 120
    expect(gridCount({ from: 100, every: 10, to: 130 })).toBe(4); // to on the grid is included
    expect(gridCount({ from: 100, every: 10, to: 99 })).toBe(0);
    const g = { from: 100, every: 10, to: 200 };
    expect(nextOnGrid(g, undefined)).toBe(100);
    expect(nextOnGrid(g, 50)).toBe(100);
    expect(nextOnGrid(g, 100)).toBe(110);
    expect(nextOnGrid(g, 105)).toBe(110);
    expect(nextOnGrid(g, 119)).toBe(120);
    expect(nextOnGrid(g, 200)).toBe(210);
  });
});

/** A promise per task that the test settles by hand, in any order. */
function manualTasks(count: number) {
  const settle: Array<{ ok: (v: number) => void; no: (e: Error) => void }> = [];
  const started: number[] = [];
  let running = 0;
  let maxRunning = 0;
  const run = (i: number) => {
    started.push(i);
    running++;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<number>((ok, no) => {
      settle[i] = {
        ok: (v) => { running--; ok(v); },
        no: (e) => { running--; no(e); },
      };
    });
  };
  return { settle, started, run, count, get maxRunning() { return maxRunning; } };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the ordered pool', () => {
  it('hands results on in task order whatever order they finish in, never more than `concurrency` at once or `window` ahead', async () => {
    const t = manualTasks(10);
    const delivered: Array<[number, number]> = [];
    const done = runOrdered({ count: 10, concurrency: 3, window: 4, run: t.run, deliver: (i, v) => delivered.push([i, v]) });
    await tick();
    expect(t.started).toEqual([0, 1, 2]);
    t.settle[2]!.ok(20);
    t.settle[1]!.ok(10);
    await tick();
    expect(delivered).toEqual([]); // 0 still running: nothing may be written
    expect(t.started).toEqual([0, 1, 2, 3]); // window 4: tasks 0..3 only
    t.settle[3]!.ok(30);
    await tick();
    expect(t.started).toEqual([0, 1, 2, 3]);
    t.settle[0]!.ok(0);
    await tick();
    expect(delivered.map(([i]) => i)).toEqual([0, 1, 2, 3]);
    expect(t.started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const i of [6, 5, 4]) t.settle[i]!.ok(i * 10);
    await tick();
    expect(t.started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const i of [9, 8, 7]) t.settle[i]!.ok(i * 10);
    expect(await done).toEqual({ delivered: 10, aborted: false });
    expect(delivered).toEqual([...Array(10).keys()].map((i) => [i, i * 10]));
    expect(t.maxRunning).toBe(3);
  });

  it('after a failure starts nothing new, still hands on what came before it, and throws the earliest failure', async () => {
    const t = manualTasks(8);
    const delivered: number[] = [];
    const done = runOrdered({ count: 8, concurrency: 4, run: t.run, deliver: (i) => delivered.push(i) }).then(() => 'resolved', (e: Error) => e.message);
    await tick();
    expect(t.started).toEqual([0, 1, 2, 3]);
    t.settle[3]!.no(new Error('task 3 failed'));
    await tick();
    t.settle[2]!.no(new Error('task 2 failed'));
    t.settle[0]!.ok(0);
    await tick();
    expect(t.started).toEqual([0, 1, 2, 3]); // nothing new after the failure
    t.settle[1]!.ok(1);
    expect(await done).toBe('task 2 failed');
    expect(delivered).toEqual([0, 1]);
  });

  it('an error while handing on stops it too, and an abort stops it without an error', async () => {
    const delivered: number[] = [];
    const bad = runOrdered({
      count: 20, concurrency: 2, run: async (i) => i,
      deliver: (i) => {
        if (i === 5) throw new Error('disk full');
        delivered.push(i);
      },
    });
    await expect(bad).rejects.toThrow('disk full');
    expect(delivered).toEqual([0, 1, 2, 3, 4]);

    const stop = new AbortController();
    const got: number[] = [];
    const r = await runOrdered({
      count: 1000, concurrency: 3, signal: stop.signal, run: async (i) => i,
      deliver: (i) => {
        got.push(i);
        if (i === 10) stop.abort();
      },
    });
    expect(r.aborted).toBe(true);
    expect(r.delivered).toBe(got.length);
    expect(got).toEqual([...Array(got.length).keys()]); // a prefix
    expect(got.length).toBeLessThan(20);
    expect(await runOrdered({ count: 0, concurrency: 2, run: async () => 0, deliver: () => {} })).toEqual({ delivered: 0, aborted: false });
  });
});
