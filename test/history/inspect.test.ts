/**
 * dtao inspect on a hand-made file whose every finding is known in advance, and on the real
 * mainnet file, whose findings are documented in shared/data/README.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/load.ts';
import { inspectDataset } from '../../src/history/inspect.ts';
import { renderInspectText } from '../../src/history/inspect-text.ts';
import { REAL_DATA_FILE, announceSkip, hasRealData } from '../helpers/shared.ts';

/*
 * Six snapshots, 300 blocks an hour apart, except:
 *  - 03:00 -> 15:00 is a 12 h gap (3,600 blocks, still 12 s a block);
 *  - 15:00 -> 15:10 covers 300 blocks in 600 s: 2 s a block, which the clock check flags.
 * Intervals 3600, 3600, 3600, 43200, 600 s: median 3600 s, so gaps are > 10,800 s: one.
 * Subnet 1: tao_in 100 -> 160 at block 1900 (+60%, same snapshot it is renamed "A" -> "B").
 * Subnet 2: price 0.5 = 10/20 except 0.515 at block 1300 (1.03x); gone from block 5500.
 * Subnet 3: appears at block 1600, price 0.5005 = 1.001x of 50/100; doubles across the gap
 *           (not a jump: large moves across a gap are expected).
 */
const lines = [
  '{"format":"dtao-snapshots/1"}',
  snap(1000, '00:00:00', [s1(100, 'A'), s2('0.5')]),
  snap(1300, '01:00:00', [s1(100, 'A'), s2('0.515')]),
  snap(1600, '02:00:00', [s1(100, 'A'), s2('0.5'), s3(50, 100)]),
  snap(1900, '03:00:00', [s1(160, 'B'), s2('0.5'), s3(50, 100)]),
  snap(5500, '15:00:00', [s1(160, 'B'), s3(100, 200)]),
  snap(5800, '15:10:00', [s1(160, 'B'), s3(100, 200)]),
];
function snap(block: number, hms: string, subnets: string[]): string {
  return `{"block":${block},"time":"2026-08-01T${hms}Z","subnets":[${subnets.join(',')}]}`;
}
function s1(tao: number, name: string): string {
  return `{"netuid":1,"tao_in":"${tao}","alpha_in":"1000","name":"${name}"}`;
}
function s2(price: string): string {
  return `{"netuid":2,"tao_in":"10","alpha_in":"20","price":"${price}"}`;
}
function s3(tao: number, alpha: number): string {
  return `{"netuid":3,"tao_in":"${tao}","alpha_in":"${alpha}","price":"0.5005"}`;
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-inspect-'));
  file = join(dir, 'hand.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dtao inspect, hand-made file', () => {
  it('reports coverage, cadence, churn, names and field coverage', () => {
    const r = inspectDataset(loadDataset(file, { cache: false }).dataset);
    expect(r.snapshots).toBe(6);
    expect(r.rows).toBe(14);
    expect(r.blocks).toEqual({ first: 1000, last: 5800, span: 4800 });
    expect(r.time).toEqual({ first: '2026-08-01T00:00:00Z', last: '2026-08-01T15:10:00Z', spanSeconds: 54_600 });
    expect(r.cadence).toEqual({ intervals: 5, medianSeconds: 3600, medianBlocks: 300, minSeconds: 600, maxSeconds: 43_200, secondsPerBlock: 54_600 / 4800 });
    expect(r.subnets).toEqual({
      perSnapshotMin: 2, perSnapshotMax: 3, distinct: 3, inEverySnapshot: 1,
      appearedCount: 1, appeared: [{ netuid: 3, block: 1600, time: '2026-08-01T02:00:00Z' }],
      disappearedCount: 1, disappeared: [{ netuid: 2, block: 5500, time: '2026-08-01T15:00:00Z', lastSeenBlock: 1900 }],
    });
    expect(r.renames).toEqual({ netuidCount: 1, changeCount: 1, netuids: [{ netuid: 1, changes: [{ block: 1900, from: 'A', to: 'B' }] }] });
    const cov = Object.fromEntries(r.fields.optional.map((f) => [f.field, f.count]));
    expect(cov).toMatchObject({ price: 8, name: 6, alpha_out: 0, root_stake: 0 });
    expect(r.fields.optional.find((f) => f.field === 'price')!.coverage).toBeCloseTo(8 / 14, 12);
  });

  it('fails exactly the checks the file was built to fail, with the findings', () => {
    const r = inspectDataset(loadDataset(file, { cache: false }).dataset);
    expect(r.checks.gaps).toMatchObject({ ok: false, count: 1, thresholdSeconds: 10_800, auto: true });
    expect(r.checks.gaps.findings).toEqual([{ fromBlock: 1900, toBlock: 5500, fromTime: '2026-08-01T03:00:00Z', toTime: '2026-08-01T15:00:00Z', seconds: 43_200, blocks: 3600 }]);
    expect(r.checks.price).toMatchObject({ ok: false, count: 1, rowsWithPrice: 8, tolerance: 0.01 });
    expect(r.checks.price.findings).toHaveLength(1);
    expect(r.checks.price.findings[0]).toMatchObject({ netuid: 2, block: 1300, price: 0.515, reservesPrice: 0.5 });
    expect(r.checks.price.findings[0]!.ratio).toBeCloseTo(1.03, 12);
    expect(r.checks.price.minRatio).toBe(1);
    expect(r.checks.price.maxRatio).toBeCloseTo(1.03, 12);
    expect(r.checks.jumps.count).toBe(1);
    expect(r.checks.jumps.findings[0]).toMatchObject({ netuid: 1, block: 1900, previousBlock: 1600, seconds: 3600, alphaInChange: 0, renamed: { from: 'A', to: 'B' } });
    expect(r.checks.jumps.findings[0]!.taoInChange).toBeCloseTo(0.6, 12);
    expect(r.checks.clock).toMatchObject({ ok: false, count: 1, findings: [{ fromBlock: 5500, toBlock: 5800, seconds: 600, blocks: 300, secondsPerBlock: 2 }] });
    expect(r.ok).toBe(false);
  });

  it('thresholds move the verdicts: a 13 h gap limit, 5% price tolerance, 150% jumps, 1..24 s blocks pass everything', () => {
    const r = inspectDataset(loadDataset(file, { cache: false }).dataset, { maxGapSeconds: 13 * 3600, priceTolerance: 0.05, maxJump: 1.5, secondsPerBlockRange: [1, 24] });
    expect([r.checks.gaps.ok, r.checks.price.ok, r.checks.jumps.ok, r.checks.clock.ok, r.ok]).toEqual([true, true, true, true, true]);
    // With the gap limit above 12 h, the 15:00 snapshot is no longer across a gap: subnet 3's
    // doubling (+100%) now counts as a jump at the 50% default.
    const j = inspectDataset(loadDataset(file, { cache: false }).dataset, { maxGapSeconds: 13 * 3600 });
    expect(j.checks.jumps.findings.map((f) => [f.netuid, f.block])).toEqual([[3, 5500], [1, 1900]]);
  });

  it('the text report names each finding and the verdict', () => {
    const r = inspectDataset(loadDataset(file, { cache: false }).dataset);
    const text = renderInspectText(r, { path: file, bytes: 1234, form: 'JSON Lines' });
    expect(text).toContain('Blocks      1,000 .. 5,800 (4,800 blocks)');
    expect(text).toContain('  FAIL  gaps    1 gap(s) longer than 3.0 h (3 x the median interval) [--max-gap]');
    expect(text).toContain('12.0 h  blocks 1,900 -> 5,500 (3,600 blocks)  2026-08-01T03:00:00Z -> 2026-08-01T15:00:00Z');
    expect(text).toContain('netuid 2 at block 1,300: price 0.515, reserves 0.500000 (1.030000x)');
    expect(text).toContain('netuid 1 at block 1,900 (60.0 min after 1,600): tao_in +60.0%, alpha_in 0.0%; renamed "A" -> "B" (re-registration?)');
    expect(text).toContain('+ netuid 3 appears at block 1,600');
    expect(text).toContain('- netuid 2 gone at block 5,500');
    expect(text).toContain('optional present: price 57.1%, name 42.9%');
    expect(text.endsWith('Result: 4 of 4 checks fail')).toBe(true);
  });
});

describe.skipIf(!hasRealData)('dtao inspect, the real mainnet file (findings from shared/data/README.md)', () => {
  const report = () => inspectDataset(loadDataset(REAL_DATA_FILE, { cache: false }).dataset);

  it('coverage: 164 snapshots of 128 subnets, blocks 8,658,706 .. 8,890,161, median 305 blocks, 12.003 s a block', () => {
    const r = report();
    expect(r.snapshots).toBe(164);
    expect(r.rows).toBe(20_992);
    expect(r.blocks).toMatchObject({ first: 8_658_706, last: 8_890_161 });
    expect(r.time).toMatchObject({ first: '2026-07-19T22:35:03.072956Z', last: '2026-08-21T02:18:36.766333Z' });
    expect(r.cadence.medianBlocks).toBe(305);
    expect(r.cadence.secondsPerBlock!).toBeCloseTo(12.003, 3);
    expect(r.subnets).toMatchObject({ perSnapshotMin: 128, perSnapshotMax: 128, distinct: 128, inEverySnapshot: 128, appearedCount: 0, disappearedCount: 0 });
    expect(r.fields.optional.filter((f) => f.count > 0).map((f) => [f.field, f.coverage])).toEqual([
      ['price', 1], ['root_prop', 1], ['excess_tao', 1], ['emission_enabled', 1], ['name', 1],
    ]);
  });

  it('gaps: the 376.5 h gap 2026-07-20T04:10Z -> 08-04T20:40Z (112,902 blocks) is the largest; 109.6, 49.5 and 43.1 h follow', () => {
    const g = report().checks.gaps;
    expect(g.ok).toBe(false);
    expect(g.findings[0]).toMatchObject({ fromBlock: 8_660_383, toBlock: 8_773_285, blocks: 112_902 });
    expect(g.findings[0]!.fromTime.startsWith('2026-07-20T04:10')).toBe(true);
    expect(g.findings[0]!.toTime.startsWith('2026-08-04T20:40')).toBe(true);
    expect(g.findings.slice(0, 4).map((f) => +(f.seconds / 3600).toFixed(1))).toEqual([376.5, 109.6, 49.5, 43.1]);
    // The nightly 2.4-2.8 h gaps of the near-hourly stretch stay under 3 x the 61-minute median.
    expect(g.count).toBe(5);
  });

  it('names: 22 netuids change name, among them 16 (Fast Thinker -> TC -> unknown -> trav) and 103 (Djinn -> SN103 -> Capcomp)', () => {
    const r = inspectDataset(loadDataset(REAL_DATA_FILE, { cache: false }).dataset, { top: 100 });
    expect(r.renames.netuidCount).toBe(22);
    expect(r.renames.netuids.map((x) => x.netuid)).toEqual([3, 10, 16, 20, 25, 36, 46, 47, 54, 65, 66, 70, 76, 80, 81, 86, 87, 90, 92, 103, 108, 109]);
    const names = (n: number) => { const x = r.renames.netuids.find((y) => y.netuid === n)!; return [x.changes[0]!.from, ...x.changes.map((c) => c.to)]; };
    expect(names(16)).toEqual(['Fast Thinker', 'TC', 'unknown', 'trav']);
    expect(names(36)).toEqual(['Eirel', 'Leoma', 'SN36']);
    expect(names(103)).toEqual(['Djinn', 'SN103', 'Capcomp']);
  });

  it('price vs reserves: 65 rows off by more than 1%, 444 by more than 0.1%; extremes netuid 90 (0.948836) and netuid 94 (1.038156)', () => {
    const r = inspectDataset(loadDataset(REAL_DATA_FILE, { cache: false }).dataset, { top: 100 });
    const p = r.checks.price;
    expect(p.count).toBe(65);
    expect(p.rowsWithPrice).toBe(20_992);
    expect(p.minRatio!).toBeCloseTo(0.948836, 6);
    expect(p.maxRatio!).toBeCloseTo(1.038156, 6);
    expect(p.findings[0]).toMatchObject({ netuid: 90, block: 8_816_220 });
    expect(p.findings[1]).toMatchObject({ netuid: 94, block: 8_806_831 });
    expect(p.findings.filter((f) => f.netuid === 80)).toHaveLength(15);
    const tenth = inspectDataset(loadDataset(REAL_DATA_FILE, { cache: false }).dataset, { priceTolerance: 0.001 });
    expect(tenth.checks.price.count).toBe(444);
  });

  it('jumps: the one reserve change over 50% between close snapshots is netuid 70 re-registering (NexisGen -> SN70)', () => {
    const j = report().checks.jumps;
    expect(j.count).toBe(1);
    expect(j.findings[0]).toMatchObject({ netuid: 70, block: 8_825_855, renamed: { from: 'NexisGen', to: 'SN70' } });
    expect(j.findings[0]!.alphaInChange).toBeCloseTo(-0.88, 2);
  });

  it('clock: 11.96 .. 12.19 s a block in every interval, so the clock check passes', () => {
    expect(report().checks.clock.ok).toBe(true);
  });
});

if (!hasRealData) announceSkip('inspect findings on the real mainnet file', REAL_DATA_FILE);
