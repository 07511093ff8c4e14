/**
 * compare on hand-built pools whose answers are worked out here from the constant-product
 * formula and the yield rule of the mechanics spec (§2.6, §4.1), not from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { runCompare, type CompareInput, type SubnetRow } from '../../src/research/compare/compare.ts';
import { DEFAULT_MODEL } from '../../src/engine/model.ts';
import { YEAR_MS } from '../../src/report/metrics/grid.ts';
import { at, cpOut, datasetOf, HOUR, NO_TAKE, pool, TAO } from './helpers.ts';

const AMOUNT = 100n * TAO;

function input(snaps: ReturnType<typeof at>[], over: Partial<CompareInput> = {}): CompareInput {
  const data = datasetOf(snaps);
  return {
    data, sha256: 'test', model: NO_TAKE, amount: AMOUNT, horizons: [{ label: '1h', ms: HOUR }], tolerance: 0.1, stepMs: 0,
    from: 0, to: data.snapshotCount - 1, ...over,
  };
}

function row(rows: SubnetRow[], netuid: number): SubnetRow {
  const r = rows.find((x) => x.netuid === netuid);
  if (!r) throw new Error(`no row for ${netuid}`);
  return r;
}

describe('compare: price change, fees and slippage on constant-product pools (no yield)', () => {
  // Subnet 1 stays at 1000 TAO / 1000 alpha; subnet 2 doubles its TAO reserve in the first hour.
  const snaps = [
    at(0, [pool(1, 1000n * TAO, 1000n * TAO), pool(2, 1000n * TAO, 1000n * TAO)]),
    at(1, [pool(1, 1000n * TAO, 1000n * TAO), pool(2, 2000n * TAO, 1000n * TAO)]),
    at(2, [pool(1, 1000n * TAO, 1000n * TAO), pool(2, 2000n * TAO, 1000n * TAO)]),
  ];

  it('values each window at the exit the pool really pays, our entry still in the pool', async () => {
    const { report, windows } = await runCompare(input(snaps));
    // Entry into 1000/1000 with 100 TAO, no fee: 1000 * 100 / 1100 alpha, floored.
    const bought = cpOut(1000n * TAO, 1000n * TAO, AMOUNT);
    expect(bought).toBe(90_909_090_909n);
    // Unchanged pool: selling it back into (1100, 1000 - bought) returns 100 TAO less one rao of flooring.
    const flatBack = cpOut(1100n * TAO, 1000n * TAO - bought, bought);
    expect(flatBack).toBe(99_999_999_999n);
    // Subnet 2 after its TAO reserve doubled: the exit pool is (2000 + 100, 1000 - bought).
    const upBack = cpOut(2100n * TAO, 1000n * TAO - bought, bought);
    expect(upBack).toBe(190_909_090_908n);
    // Second window of subnet 2 enters at 2000/1000 and exits into the same pool plus our flow.
    const bought2 = cpOut(1000n * TAO, 2000n * TAO, AMOUNT);
    const flat2 = cpOut(2100n * TAO, 1000n * TAO - bought2, bought2);
    expect(flat2).toBe(99_999_999_999n);

    const w = (netuid: number, startHour: number) => windows.find((x) => x.netuid === netuid && x.start_ms === Date.UTC(2026, 0, 1) + startHour * HOUR)!;
    expect(w(1, 0).alpha_value).toBe('99.999999999');
    expect(w(2, 0).alpha_value).toBe('190.909090908');
    expect(w(2, 1).alpha_value).toBe('99.999999999');
    expect(w(2, 0).alpha_bought).toBe('90.909090909');
    // Root: 1:1, no dividends here (no emission): the 100 TAO come back whole.
    expect(w(2, 0).root_value).toBe('100');
    expect(w(2, 0).root_return).toBe(0);

    const h = report.horizons[0]!;
    expect(h.windows).toBe(2);
    expect(h.subnets.map((r) => r.netuid)).toEqual([2, 1]); // best median excess first
    const r2 = row(h.subnets, 2);
    const lo = Number(flat2 - AMOUNT) / 1e11;
    const hi = Number(upBack - AMOUNT) / 1e11;
    expect(r2.windows).toBe(2);
    expect(r2.median_excess!).toBeCloseTo((lo + hi) / 2, 11);
    expect(r2.p25_excess!).toBeCloseTo(lo + 0.25 * (hi - lo), 11);
    expect(r2.p75_excess!).toBeCloseTo(lo + 0.75 * (hi - lo), 11);
    expect(r2.min_excess!).toBeCloseTo(lo, 15);
    expect(r2.max_excess!).toBeCloseTo(hi, 11);
    expect(r2.beat_root_share).toBe(0.5);
    expect(r2.headline_apr).toBe(0);
    const r1 = row(h.subnets, 1);
    expect(r1.median_excess!).toBeCloseTo(-1e-11, 20);
    expect(r1.beat_root_share).toBe(0);
  });

  it('charges the swap fee on the way in and on the way out', async () => {
    const fee = 33;
    const feeSnaps = snaps.map((s) => ({ ...s, subnets: s.subnets.map((p) => ({ ...p, feeRate: fee })) }));
    const { windows } = await runCompare(input(feeSnaps, { netuids: [1] }));
    // In: fee = floor(100 TAO * 33 / 65535) from the TAO; the rest buys alpha.
    const feeIn = (AMOUNT * 33n) / 65535n;
    const bought = cpOut(1000n * TAO, 1000n * TAO, AMOUNT - feeIn);
    // Out: fee = floor(alpha * 33 / 65535) in alpha; the rest is sold into (1000 + net in, 1000 - bought).
    const feeOut = (bought * 33n) / 65535n;
    const back = cpOut(1000n * TAO + (AMOUNT - feeIn), 1000n * TAO - bought, bought - feeOut);
    const first = windows.find((x) => x.netuid === 1)!;
    expect(first.alpha_value).toBe(formatTao(back));
    expect(first.alpha_return!).toBeCloseTo(Number(back - AMOUNT) / 1e11, 12);
    // A little under two fees of 0.05%: the alpha that pays the exit fee never presses on the price.
    expect(first.alpha_return!).toBeLessThan(-0.0009);
    expect(first.alpha_return!).toBeGreaterThan(-0.00101);
  });
});

function formatTao(rao: bigint): string {
  const whole = rao / TAO;
  const frac = (rao % TAO).toString().padStart(9, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

describe('compare: alpha yield, headline rate and break-even time', () => {
  // One subnet emitting 1 alpha per block to participants, 1000 alpha staked by others,
  // root_prop 0 (nothing to root), tempo 9: an epoch every 10 blocks. Validator take 0.
  const emission = 1_000_000_000n;
  const S = 1000n * TAO;
  const sub = (hours: number) => at(hours, [pool(1, 1000n * TAO, 1000n * TAO, { alphaOutEmission: emission, alphaOut: S })]);
  const snaps = [sub(0), sub(1)];
  // Per epoch the validators' half after the owner's 18% (11796/65535), times tempo + 1 blocks.
  const a = Number(emission);
  const V = ((a - (a * 11_796) / 65_535) / 2) * 10;

  it('compounds the epoch dividends into the position and sells them at the exit', async () => {
    const { report, windows } = await runCompare(input(snaps));
    const A0 = cpOut(1000n * TAO, 1000n * TAO, AMOUNT);
    // Blocks 1_000_000 .. 1_000_300; netuid 1's epochs fall where (b + 2) % 10 == 0: 30 of them.
    let A = A0;
    for (let e = 0; e < 30; e++) A += BigInt(Math.floor((V * 65_535 * Number(A)) / (65_535 * (Number(S) + Number(A)))));
    const back = cpOut(1100n * TAO, 1000n * TAO - A0, A);
    const w = windows[0]!;
    expect(w.alpha_earned).toBe(formatTao(A - A0));
    expect(w.alpha_value).toBe(formatTao(back));

    const r = report.horizons[0]!.subnets[0]!;
    // Headline: V (1 - take) / S per epoch, 365 * 7200 / 10 epochs a year, simple.
    expect(r.headline_apr!).toBeCloseTo((V / Number(S)) * ((365 * 7200) / 10), 6); // outputs keep 12 significant digits
    expect(r.realised_yield_apr!).toBeCloseTo((Number(A - A0) / Number(A0)) * (YEAR_MS / HOUR), 6);
    expect(r.realised_apr!).toBeCloseTo((Number(back - AMOUNT) / 1e11) * (YEAR_MS / HOUR), 6);
  });

  it('break-even: the round trip at this depth repaid by the alpha yield at a constant price', async () => {
    const { report } = await runCompare(input(snaps));
    const r = report.horizons[0]!.subnets[0]!;
    // In at 1000/1000, out into the same untouched pool (the impact of the entry gone).
    const A0 = cpOut(1000n * TAO, 1000n * TAO, AMOUNT);
    const out = cpOut(1000n * TAO, 1000n * TAO, A0);
    expect(out).toBe(83_333_333_333n);
    const cost = 1 - Number(out) / 1e11;
    expect(r.round_trip_cost!).toBeCloseTo(cost, 11);
    const g = Math.floor((V * Number(A0)) / (Number(S) + Number(A0))) / Number(A0);
    const days = Math.log(1 / (1 - cost)) / (720 * Math.log(1 + g));
    expect(r.break_even_days!).toBeCloseTo(days, 8);
    // Root earns nothing here, so overtaking root takes as long.
    expect(r.break_even_vs_root_days!).toBeCloseTo(days, 8);
    expect(r.pool_tao).toBe(1000);
  });
});

describe('compare: windows that cannot be counted', () => {
  it('counts an entry the pool refuses, and says why at the last snapshot', async () => {
    // 0.0005 alpha in the pool: below the chain's minimum reserve, every stake is refused.
    const tiny = (h: number) => at(h, [pool(1, 1000n * TAO, 1000n * TAO), pool(3, 1000n * TAO, 500_000n)]);
    const { report, windows } = await runCompare(input([tiny(0), tiny(1)]));
    const r = row(report.horizons[0]!.subnets, 3);
    expect(r.windows).toBe(0);
    expect(r.entry_rejected).toBe(1);
    expect(r.median_excess).toBeNull();
    expect(r.round_trip_cost).toBeNull();
    expect(r.note).toMatch(/ReservesTooLow/);
    expect(windows.find((w) => w.netuid === 3)!.status).toBe('entry_rejected');
    expect(report.horizons[0]!.subnets.at(-1)!.netuid).toBe(3); // no windows: listed last
  });

  it('leaves out windows over which the subnet changed its name, unless asked', async () => {
    const snaps = [
      at(0, [pool(4, 1000n * TAO, 1000n * TAO, { name: 'Alpha' })]),
      at(1, [pool(4, 1000n * TAO, 1000n * TAO, { name: 'Beta' })]),
      at(2, [pool(4, 1000n * TAO, 1000n * TAO, { name: 'Beta' })]),
    ];
    const out = await runCompare(input(snaps));
    const r = out.report.horizons[0]!.subnets[0]!;
    expect(r.excluded_renamed).toBe(1);
    expect(r.windows).toBe(1);
    expect(r.name).toBe('Beta');
    const all = await runCompare(input(snaps, { includeRenamed: true }));
    expect(all.report.horizons[0]!.subnets[0]!.windows).toBe(2);
  });

  it('pays out a subnet that leaves the data pro rata to the alpha staked (deregistration)', async () => {
    const snaps = [
      at(0, [pool(1, 1000n * TAO, 1000n * TAO), pool(5, 1000n * TAO, 1000n * TAO)]),
      at(1, [pool(1, 1000n * TAO, 1000n * TAO), pool(5, 1000n * TAO, 1000n * TAO)]),
      at(2, [pool(1, 1000n * TAO, 1000n * TAO)]),
    ];
    const out = await runCompare(input(snaps, { horizons: [{ label: '2h', ms: 2 * HOUR }], netuids: [5] }));
    const A = cpOut(1000n * TAO, 1000n * TAO, AMOUNT);
    // The pool's TAO (ours included) shared over all staked alpha: 1000 by others plus ours.
    const payout = ((1000n * TAO + AMOUNT) * A) / (1000n * TAO + A);
    const w = out.windows[0]!;
    expect(w.status).toBe('deregistered');
    expect(w.alpha_value).toBe(formatTao(payout));
    expect(out.report.horizons[0]!.subnets[0]!.deregistered).toBe(1);
  });

  it('rejects a subnet that is not in the data, and an amount of zero', async () => {
    const snaps = [at(0, [pool(1, 1000n * TAO, 1000n * TAO)]), at(1, [pool(1, 1000n * TAO, 1000n * TAO)])];
    await expect(runCompare(input(snaps, { netuids: [7] }))).rejects.toThrow(/subnet 7 is not in the data/);
    await expect(runCompare(input(snaps, { amount: 0n }))).rejects.toThrow(/--amount must be more than 0/);
  });
});

describe('compare: transaction fees', () => {
  it('takes the per-extrinsic fee on entry and exit from both legs', async () => {
    const snaps = [at(0, [pool(1, 1000n * TAO, 1000n * TAO)]), at(1, [pool(1, 1000n * TAO, 1000n * TAO)])];
    const txFee = 1_000_000n; // 0.001 TAO
    const { windows } = await runCompare(input(snaps, { model: { ...DEFAULT_MODEL, take: 0, txFee } }));
    const w = windows[0]!;
    // Root: 100 TAO in and out 1:1, two transaction fees: -0.002 TAO on 100.
    expect(w.root_return!).toBeCloseTo(-0.00002, 15);
    const bought = cpOut(1000n * TAO, 1000n * TAO, AMOUNT);
    const back = cpOut(1100n * TAO, 1000n * TAO - bought, bought);
    expect(w.alpha_return!).toBeCloseTo(Number(back - AMOUNT - 2n * txFee) / 1e11, 15);
  });
});
