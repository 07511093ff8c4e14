/** Window formation over irregular snapshot times, and the small parsers the research commands share. */
import { describe, expect, it } from 'vitest';
import { formWindows, windowEnd, checkTolerance } from '../../src/research/windows.ts';
import { parseDuration, parseDurationList, DAY_MS, HOUR_MS } from '../../src/research/duration.ts';
import { quantileSorted, median } from '../../src/research/quantile.ts';
import { parseSubnetList } from '../../src/research/subnet-list.ts';
import { UserError } from '../../src/core/errors.ts';

const H = HOUR_MS;

describe('windows', () => {
  // Hourly, then a gap of a day, then hourly again: the shape of the real file in small.
  const t = [0, 1, 2, 26, 27, 28.05].map((h) => h * H);

  it('ends each window at the snapshot nearest start + horizon, within the tolerance', () => {
    const ws = formWindows(t, 0, t.length - 1, { horizonMs: H, tolerance: 0.1 });
    // 2h -> 3h has no snapshot within 6 minutes of 3h; 27h -> 28.05h is 3 minutes late: kept.
    expect(ws).toEqual([{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 3, end: 4 }, { start: 4, end: 5 }]);
  });

  it('refuses a window whose end falls in a gap', () => {
    // 2% of a day is 28.8 minutes. A day after hours 0 and 1 lands in the gap: the nearest
    // snapshot (hour 26) is 2 h and 1 h off. Hour 2 -> hour 26 is exactly a day.
    const day = formWindows(t, 0, t.length - 1, { horizonMs: DAY_MS, tolerance: 0.02 });
    expect(day).toEqual([{ start: 2, end: 3 }]);
  });

  it('prefers the earlier snapshot when two are equally near', () => {
    const even = [0, 0.9 * H, 1.1 * H];
    expect(windowEnd(even, 0, 2, { horizonMs: H, tolerance: 0.2 })).toBe(1);
  });

  it('spaces starts at least `stepMs` apart when asked', () => {
    const hourly = Array.from({ length: 10 }, (_, k) => k * H);
    const ws = formWindows(hourly, 0, 9, { horizonMs: H, tolerance: 0, stepMs: 3 * H });
    expect(ws.map((w) => w.start)).toEqual([0, 3, 6]);
  });

  it('keeps inside the range it is given', () => {
    const hourly = Array.from({ length: 10 }, (_, k) => k * H);
    const ws = formWindows(hourly, 2, 5, { horizonMs: 2 * H, tolerance: 0 });
    expect(ws).toEqual([{ start: 2, end: 4 }, { start: 3, end: 5 }]);
  });

  it('checks the tolerance', () => {
    expect(() => checkTolerance('--tolerance', '1')).toThrow(UserError);
    expect(() => checkTolerance('--tolerance', '-0.1')).toThrow(/from 0 to below 1/);
    expect(() => checkTolerance('--tolerance', 'wide')).toThrow('--tolerance wide: expected a fraction from 0 to below 1 (e.g. 0.1, or 10%)');
    expect(checkTolerance('--tolerance', '0.25')).toBe(0.25);
    expect(checkTolerance('--tolerance', '15%')).toBe(0.15);
  });
});

describe('durations', () => {
  it('reads hours, days and weeks', () => {
    expect(parseDuration('--x', '12h')).toBe(12 * H);
    expect(parseDuration('--x', '7d')).toBe(7 * DAY_MS);
    expect(parseDuration('--x', '2w')).toBe(14 * DAY_MS);
    expect(parseDuration('--x', '1.5d')).toBe(36 * H);
    expect(parseDurationList('--horizon', '7d, 30d,7d')).toEqual([{ label: '7d', ms: 7 * DAY_MS }, { label: '30d', ms: 30 * DAY_MS }]);
  });

  it('says what a duration looks like when it is wrong', () => {
    expect(() => parseDuration('--horizon', '7x')).toThrow(/--horizon "7x": expected a duration such as 12h, 7d or 2w/);
    expect(() => parseDuration('--horizon', '0d')).toThrow(/more than 0/);
    expect(() => parseDurationList('--horizon', ',')).toThrow(/at least one duration/);
  });
});

describe('quantiles', () => {
  it('interpolates between closest ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // Sorted 10, 20, 30, 40: p25 at rank 0.75 -> 10 + 0.75 * 10.
    expect(quantileSorted([10, 20, 30, 40], 0.25)).toBe(17.5);
    expect(quantileSorted([10, 20, 30, 40], 0.75)).toBe(32.5);
    expect(quantileSorted([5], 0.9)).toBe(5);
    expect(Number.isNaN(quantileSorted([], 0.5))).toBe(true);
  });
});

describe('subnet lists', () => {
  it('reads netuids and ranges', () => {
    expect(parseSubnetList('--subnets', '3, 1,10-12,11')).toEqual([1, 3, 10, 11, 12]);
  });

  it('rejects what is not a netuid', () => {
    expect(() => parseSubnetList('--subnets', 'a')).toThrow(/"a" is not a netuid or a range/);
    expect(() => parseSubnetList('--subnets', '5-2')).toThrow(/runs backwards/);
    expect(() => parseSubnetList('--subnets', '0')).toThrow(/root, netuid 0/);
  });
});
