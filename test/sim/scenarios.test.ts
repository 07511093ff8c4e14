/**
 * Each scenario shows the behaviour it is named for, measured on its output: pool TAO, price
 * and the share of the block's TAO emission (tao_in_emission + excess_tao over block_emission).
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot, SubnetState } from '../../src/core/snapshot.ts';
import { generateMarket } from '../../src/sim/generate.ts';
import { listScenarioNames, loadScenario } from '../../src/sim/scenario.ts';
import { DEFAULT_ASSUMPTIONS, resolveYield } from '../../src/core/yield.ts';

function run(name: string, seed = 1, days?: number, step = 7200, subnets?: number) {
  const scenario = loadScenario(name);
  const g = generateMarket({ scenario, seed, days: days ?? scenario.days, step, ...(subnets ? { subnets } : {}) });
  return { snaps: [...g.snapshots], engine: g.engine };
}

const share = (snap: Snapshot, s: SubnetState) => Number(s.taoInEmission! + s.excessTao!) / Number(snap.blockEmission!);
const tao = (s: SubnetState) => Number(s.taoIn) / 1e9;
const byName = (snap: Snapshot, name: string) => snap.subnets.find((s) => s.name === name);
const named = (snap: Snapshot, prefix: string) => snap.subnets.filter((s) => s.name!.startsWith(prefix + ' ')).map((s) => s.name!);

describe('scenario files', () => {
  it('has at least the five named scenarios, each described in a sentence', () => {
    const names = listScenarioNames();
    for (const n of ['positive-cycle', 'stagnation', 'death-spiral', 'new-subnet', 'mixed']) expect(names).toContain(n);
    for (const n of names) expect(loadScenario(n).description).toMatch(/^[A-Z].{40,}\.$/);
  });
});

describe('positive-cycle', () => {
  const { snaps } = run('positive-cycle', 1, 90);
  const first = snaps[1]!;
  const last = snaps[snaps.length - 1]!;
  const cyclers = named(first, 'positive-cycle');

  it('its subnets gain pool TAO, price and emission share, and the share keeps rising', () => {
    expect(cyclers).toHaveLength(3);
    for (const n of cyclers) {
      const a = byName(first, n)!;
      const b = byName(last, n)!;
      expect(tao(b) / tao(a)).toBeGreaterThan(1.5);
      expect(b.price! / a.price!).toBeGreaterThan(2);
      expect(b.movingPrice! / a.movingPrice!).toBeGreaterThan(1.5);
      expect(share(last, b)).toBeGreaterThan(share(first, a) + 0.005);
      const mid = snaps[Math.floor(snaps.length / 2)]!;
      expect(share(last, b)).toBeGreaterThan(share(mid, byName(mid, n)!));
    }
  });

  it('root dividends accrue (EMA prices sum above 1, as on mainnet)', () => {
    const sum = last.subnets.reduce((a, s) => a + s.movingPrice!, 0);
    expect(sum).toBeGreaterThan(1);
  });
});

describe('stagnation', () => {
  const { snaps } = run('stagnation');
  const first = snaps[1]!;
  const last = snaps[snaps.length - 1]!;
  const sum = (snap: Snapshot, names: string[], f: (snap: Snapshot, s: SubnetState) => number) => names.reduce((x, n) => x + f(snap, byName(snap, n)!), 0);

  it('its subnets grow in pool TAO, but their emission share falls while the leaders\' rises', () => {
    const stagnant = named(first, 'stagnation');
    const leaders = named(first, 'positive-cycle');
    expect(stagnant).toHaveLength(4);
    const poolGrowth = sum(last, stagnant, (_, s) => tao(s)) / sum(first, stagnant, (_, s) => tao(s));
    const leaderGrowth = sum(last, leaders, (_, s) => tao(s)) / sum(first, leaders, (_, s) => tao(s));
    expect(poolGrowth).toBeGreaterThan(1.05);
    expect(leaderGrowth).toBeGreaterThan(poolGrowth + 1);
    expect(sum(last, stagnant, share)).toBeLessThan(0.8 * sum(first, stagnant, share));
    expect(sum(last, leaders, share)).toBeGreaterThan(2 * sum(first, leaders, share));
  });
});

describe('death-spiral', () => {
  const { snaps, engine } = run('death-spiral');
  const first = snaps[1]!;
  const day90 = snaps[90]!;

  it('its subnets lose pool TAO, price and emission share, faster as it goes on', () => {
    for (const n of named(first, 'death-spiral')) {
      const a = byName(first, n)!;
      const b = byName(day90, n)!;
      expect(tao(b) / tao(a)).toBeLessThan(0.5);
      expect(b.price! / a.price!).toBeLessThan(0.2);
      expect(share(day90, b)).toBeLessThan(share(first, a) / 2);
      // Exits speed up: the pool shrank faster (in proportion) in days 30-60 than in days 1-30.
      const d30 = byName(snaps[30]!, n)!;
      const d60 = byName(snaps[60]!, n)!;
      expect(Math.log(tao(d30) / tao(d60))).toBeGreaterThan(Math.log(tao(a) / tao(d30)));
    }
  });

  it('at the subnet limit a registration dissolves it, pays out its pool TAO and reuses the netuid', () => {
    const prunes = engine.events.filter((e) => e.kind === 'prune');
    expect(prunes.map((p) => p.name).sort()).toEqual(['death-spiral 1', 'death-spiral 2']);
    for (const p of prunes) {
      const before = snaps[(p.block - engine.startBlock) / 7200 - 1]!;
      expect(tao(byName(before, p.name)!)).toBeCloseTo(Number(p.payoutTao) / 1e9, -3);
      const after = snaps[snaps.length - 1]!;
      expect(after.subnets.find((s) => s.netuid === p.netuid)!.name).toMatch(/^new-subnet /);
    }
    expect(snaps[snaps.length - 1]!.subnets).toHaveLength(32);
  });
});

describe('new-subnet', () => {
  const { snaps } = run('new-subnet', 1, 36, 300);
  const hourOf = (day: number) => Math.round(day * 24);

  it('launches thin pools with emission off, a very high staking yield, sharp swings, and a falling price (the APY trap)', () => {
    const launched = snaps[hourOf(3) + 1]!;
    const fresh = byName(launched, 'new-subnet 1')!;
    expect(fresh).toBeDefined();
    expect(tao(fresh)).toBeLessThanOrEqual(1000.1);
    expect(fresh.emissionEnabled).toBe(false);
    expect(fresh.rootProp!).toBeGreaterThan(0.85);

    // Stakers' alpha yield: validators' 41% less root's share, against the alpha outside the pool.
    const week = snaps[hourOf(10)]!;
    const w = byName(week, 'new-subnet 1')!;
    const dailyYield = (0.41 * (1 - w.rootProp!) * Number(w.alphaOutEmission) * 7200) / Number(w.alphaOut!);
    expect(dailyYield).toBeGreaterThan(0.005); // over 0.5% a day: an APY above 500%

    // Hourly moves of several percent, and a price well below the launch price a month later.
    let biggest = 0;
    for (let h = hourOf(3) + 2; h < hourOf(33); h++) {
      const a = byName(snaps[h - 1]!, 'new-subnet 1')!;
      const b = byName(snaps[h]!, 'new-subnet 1')!;
      biggest = Math.max(biggest, Math.abs(Math.log(b.price! / a.price!)));
    }
    expect(biggest).toBeGreaterThan(0.05);
    const month = byName(snaps[hourOf(33)]!, 'new-subnet 1')!;
    expect(month.price!).toBeLessThan(fresh.price! * 0.6);
  });

  it('switches TAO emission on three weeks after launch', () => {
    expect(byName(snaps[hourOf(3 + 20.5)]!, 'new-subnet 1')!.emissionEnabled).toBe(false);
    expect(byName(snaps[hourOf(3 + 21.5)]!, 'new-subnet 1')!.emissionEnabled).toBe(true);
    expect(named(snaps[snaps.length - 1]!, 'new-subnet')).toHaveLength(3);
  });
});

describe('mixed', () => {
  const { snaps, engine } = run('mixed', 1, 30, 7200, 64);

  it('holds all the behaviours at once and keeps churning: new subnets replace the weakest', () => {
    const groups = new Set(snaps[snaps.length - 1]!.subnets.map((s) => s.name!.replace(/ \d+$/, '')));
    for (const g of ['positive-cycle', 'established', 'stagnation', 'death-spiral', 'minor', 'young', 'new-subnet']) expect(groups).toContain(g);
    // Every 3 days at 128 subnets is every 6 days at 64: days 6, 12, ..., 30.
    expect(engine.state.ledger.registrations).toBe(5);
    expect(engine.state.ledger.prunes).toBe(5);
    expect(snaps[snaps.length - 1]!.subnets).toHaveLength(64);
    const enabled = snaps[1]!.subnets.filter((s) => s.emissionEnabled).length / 64;
    expect(enabled).toBeGreaterThan(0.55);
    expect(enabled).toBeLessThan(0.85);
  });

  it('gives old subnets about as much alpha outside the pool as in it, and alpha yields of tens of percent a year', () => {
    // The backtester's yield model (core/yield.ts): an alpha staker earns V·(1 − take)/S per
    // epoch, V the validators' part of an epoch's emission and S the alpha outside the pool.
    // Mainnet, Aug 2026: S / pool alpha 0.44–3.9 (median 1.2) as root_prop implies it.
    const aprs: number[] = [];
    for (const snap of [snaps[1]!, snaps[snaps.length - 1]!]) {
      for (const s of snap.subnets.filter((x) => /^(positive-cycle|established|stagnation) /.test(x.name!))) {
        const ratio = Number(s.alphaOut!) / Number(s.alphaIn);
        expect(ratio).toBeGreaterThan(0.4);
        expect(ratio).toBeLessThan(4);
        const y = resolveYield(
          { netuid: s.netuid, alphaIn: s.alphaIn, alphaOut: s.alphaOut!, rootProp: s.rootProp!, alphaOutEmission: s.alphaOutEmission!, tempo: s.tempo! },
          { rootStake: snap.rootStake!, taoWeight: snap.taoWeight! }, DEFAULT_ASSUMPTIONS, true, () => {},
        );
        aprs.push(((y.validatorPerEpoch * (1 - 0.18)) / y.stakedAlpha) * ((7200 * 365) / (y.tempo + 1)));
      }
    }
    expect(Math.min(...aprs)).toBeGreaterThan(0.1);
    expect(Math.max(...aprs)).toBeLessThan(0.8);
  });

  it('a smaller market is the same market scaled: pool TAO in all and the EMA-price sum stay near the full one\'s', () => {
    const full = run('mixed', 1, 1, 7200).snaps[0]!;
    const small = snaps[0]!;
    const total = (x: Snapshot) => x.subnets.reduce((a, s) => a + tao(s), 0);
    const emaSum = (x: Snapshot) => x.subnets.reduce((a, s) => a + s.movingPrice!, 0);
    expect(total(small) / total(full)).toBeGreaterThan(0.7);
    expect(total(small) / total(full)).toBeLessThan(1.4);
    expect(emaSum(small)).toBeGreaterThan(1);
    expect(emaSum(small) / emaSum(full)).toBeGreaterThan(0.7);
    expect(emaSum(small) / emaSum(full)).toBeLessThan(1.4);
  });
});
