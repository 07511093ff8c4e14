/** The pieces of the Taostats importer on their own: rate limiter, row mapping, merging, flags. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { VirtualClock } from '../../src/history/clock.ts';
import { RateLimiter } from '../../src/history/rate-limit.ts';
import { mapPoolRow, raoOf, timeOf, type PoolObservation } from '../../src/history/taostats/rows.ts';
import { mergeIntoSnapshots } from '../../src/history/taostats/merge.ts';
import { normalizeBaseUrl } from '../../src/history/taostats/client.ts';
import { dateFlag, netuidFlag } from '../../src/cli/commands/import.ts';

describe('RateLimiter', () => {
  it('lets 5 requests start in any minute: 5 at once, the next 5 a minute later', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(5, clock);
    const starts: number[] = [];
    for (let i = 0; i < 12; i++) {
      await limiter.take();
      starts.push(clock.now());
    }
    expect(starts).toEqual([0, 0, 0, 0, 0, 60_000, 60_000, 60_000, 60_000, 60_000, 120_000, 120_000]);
  });

  it('does not wait when requests are already spread out', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(2, clock);
    await limiter.take();
    await clock.sleep(30_000);
    await limiter.take();
    await clock.sleep(31_000);
    await limiter.take(); // the first one is 61 s old: a slot is free
    expect(clock.now()).toBe(61_000);
    await limiter.take(); // the second is 31 s old: wait 29 s
    expect(clock.now()).toBe(90_000);
  });

  it('below one a minute means one request every 60/rate seconds', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(0.5, clock);
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await limiter.take();
      starts.push(clock.now());
    }
    expect(starts).toEqual([0, 120_000, 240_000]);
  });
});

describe('Taostats row mapping', () => {
  const docsRow = {
    // The first row of the example in the Taostats API reference.
    netuid: 23, block_number: 5373802, timestamp: '2025-04-17T21:14:00.001Z', name: '𝜏', symbol: 'ψ',
    market_cap: '2886862908160.8847268668157859', liquidity: '2432464684449.9999988910914295', total_tao: '1216232342225',
    total_alpha: '734990070288887', alpha_in_pool: '309650552567823', alpha_staked: '425339517721064', price: '0.00392775770021791803',
  };

  it('maps the documented example: rao strings to exact rao, price in TAO, time to epoch ms', () => {
    const v = mapPoolRow(docsRow);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.obs).toEqual({
      netuid: 23, block: 5373802, timeMs: Date.UTC(2025, 3, 17, 21, 14, 0, 1),
      subnet: { netuid: 23, taoIn: 1216232342225n, alphaIn: 309650552567823n, alphaOut: 425339517721064n, price: 0.00392775770021791803, name: '𝜏' },
    });
    expect(v.priceDropped).toBe(false);
  });

  it('drops a price more than 1.5x from the reserves, a root_prop above 1, and rejects unusable rows', () => {
    const far = mapPoolRow({ ...docsRow, price: '0.0059', root_prop: '1.2' }); // 0.0059 / 0.0039278 = 1.502
    expect(far.ok && far.priceDropped && far.rootPropDropped && far.obs.subnet.price === undefined && far.obs.subnet.rootProp === undefined).toBe(true);
    const near = mapPoolRow({ ...docsRow, price: '0.0058', root_prop: '0.2104087259347016725' }); // 1.477x: kept
    expect(near.ok && !near.priceDropped && near.obs.subnet.price === 0.0058 && near.obs.subnet.rootProp === 0.2104087259347016725).toBe(true);
    expect(mapPoolRow({ ...docsRow, total_tao: null })).toEqual({ ok: false, reason: 'total_tao null is not a rao amount' });
    expect(mapPoolRow({ ...docsRow, alpha_in_pool: '12.5' })).toEqual({ ok: false, reason: 'alpha_in_pool "12.5" is not a rao amount' });
    expect(mapPoolRow({ ...docsRow, timestamp: 'yesterday' })).toEqual({ ok: false, reason: 'timestamp "yesterday" is not an ISO-8601 time' });
    expect(mapPoolRow({ ...docsRow, netuid: -1 }).ok).toBe(false);
  });

  it('reads rao and times strictly', () => {
    expect(raoOf('1000000000')).toBe(1_000_000_000n);
    expect(raoOf('1000000000.000')).toBe(1_000_000_000n);
    expect(raoOf('99999999999999999999999')).toBe(99999999999999999999999n);
    expect(raoOf(42)).toBe(42n);
    expect(raoOf('-5')).toBeUndefined();
    expect(raoOf('1e9')).toBeUndefined();
    expect(timeOf('2026-08-01T10:00:00')).toBe(Date.UTC(2026, 7, 1, 10)); // no zone: UTC
    expect(timeOf('2026-08-01T12:00:00+02:00')).toBe(Date.UTC(2026, 7, 1, 10));
    expect(timeOf(1785578400)).toBe(1785578400_000);
  });
});

describe('merging rows into snapshots', () => {
  const o = (netuid: number, block: number, iso: string, tao = 1n): PoolObservation => ({
    netuid, block, timeMs: Date.parse(iso), subnet: { netuid, taoIn: tao * 1_000_000_000n, alphaIn: 2_000_000_000n },
  });

  it('one snapshot per UTC hour at its newest block; each subnet its newest row; root left out', () => {
    const r = mergeIntoSnapshots([
      o(2, 105, '2026-08-01T10:20:00Z'),
      o(1, 100, '2026-08-01T10:00:00Z', 1n),
      o(1, 130, '2026-08-01T10:59:59Z', 3n), // replaces block 100 for netuid 1
      o(0, 131, '2026-08-01T10:30:00Z'),
      o(1, 400, '2026-08-01T11:00:00Z'),
    ], 'by_hour');
    expect(r.snapshots).toEqual([
      { block: 130, time: '2026-08-01T10:59:59.000Z', subnets: [o(1, 130, '2026-08-01T10:59:59Z', 3n).subnet, o(2, 105, '2026-08-01T10:20:00Z').subnet] },
      { block: 400, time: '2026-08-01T11:00:00.000Z', subnets: [o(1, 400, '2026-08-01T11:00:00Z').subnet] },
    ]);
    expect(r.supersededRows).toBe(1);
    expect(r.rootRows).toBe(1);
  });

  it('leaves out periods that would not raise the block, so blocks always increase', () => {
    const r = mergeIntoSnapshots([o(1, 500, '2026-08-01T10:00:00Z'), o(1, 450, '2026-08-01T11:00:00Z'), o(1, 600, '2026-08-01T12:00:00Z')], 'by_hour', 100);
    expect(r.snapshots.map((s) => s.block)).toEqual([500, 600]);
    expect(r.outOfOrderPeriods).toBe(1);
    expect(mergeIntoSnapshots([o(1, 90, '2026-08-01T10:00:00Z')], 'by_hour', 100).snapshots).toEqual([]);
  });

  it('by_day groups by UTC day', () => {
    const r = mergeIntoSnapshots([o(1, 1, '2026-08-01T00:00:00Z'), o(2, 2, '2026-08-01T23:59:59Z'), o(1, 3, '2026-08-02T00:00:00Z')], 'by_day');
    expect(r.snapshots.map((s) => [s.block, s.subnets.length])).toEqual([[2, 2], [3, 1]]);
  });
});

describe('import flags', () => {
  it('dates: a day as a start is its midnight, as an end the next midnight; an instant as an end is included', () => {
    expect(dateFlag('--from', '2026-08-01', 'start')).toBe(Date.UTC(2026, 7, 1));
    expect(dateFlag('--to', '2026-08-01', 'end')).toBe(Date.UTC(2026, 7, 2));
    expect(dateFlag('--to', '2026-08-01T06:30:00Z', 'end')).toBe(Date.UTC(2026, 7, 1, 6, 30) + 1);
    expect(dateFlag('--from', '2026-08-01T06:30', 'start')).toBe(Date.UTC(2026, 7, 1, 6, 30));
    expect(() => dateFlag('--from', '2026-02-30', 'start')).toThrow('--from 2026-02-30: not a calendar date');
    expect(() => dateFlag('--to', 'last week', 'end')).toThrow(UserError);
  });

  it('netuids: all, lists and ranges; root refused', () => {
    expect(netuidFlag('all')).toBe('all');
    expect(netuidFlag('64, 1,3-5,3')).toEqual([1, 3, 4, 5, 64]);
    expect(() => netuidFlag('0,1')).toThrow('--netuid 0 is root, which has no pool');
    expect(() => netuidFlag('5-3')).toThrow('runs backwards');
    expect(() => netuidFlag('one')).toThrow(UserError);
  });

  it('base URL: a path prefix is kept; credentials and queries are refused', () => {
    expect(normalizeBaseUrl('https://proxy.example/taostats/', '--base-url')).toBe('https://proxy.example/taostats');
    expect(() => normalizeBaseUrl('https://user:secret@api.taostats.io', '--base-url')).toThrow('must not hold credentials');
    expect(() => normalizeBaseUrl('https://api.taostats.io/?key=1', '--base-url')).toThrow('must not have a query');
    expect(() => normalizeBaseUrl('ftp://x', '--base-url')).toThrow('http:// or https://');
  });
});
