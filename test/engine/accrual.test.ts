/** Yield accrual over epochs on a hand-built market, against hand-computed rewards. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { DEFAULT_MODEL } from '../../src/engine/model.ts';
import { Portfolio } from '../../src/core/portfolio.ts';
import { defineStrategy } from '../../src/strategy/types.ts';
import { datasetOf, snap, TAO } from '../helpers/build.ts';

// One subnet, netuid 1, tempo 99: epochs fire at blocks b with (b + 2) % 100 == 0 -> 98, 198, 298...
const subnet = (extra = {}) => ({
  netuid: 1, taoIn: 10_000n * TAO, alphaIn: 1_000_000n * TAO, alphaOut: 99_000n * TAO, rootProp: 0.2,
  alphaOutEmission: TAO, tempo: 99, feeRate: 0, ...extra,
});
const model = { ...DEFAULT_MODEL, take: 0, claimEveryBlocks: 1 };

function engineWith(p: Portfolio, blocks: number[], decide = () => {}) {
  const data = datasetOf(blocks.map((b) => snap(b, [subnet()], { rootStake: 999_000n * TAO, taoWeight: 0.18 })));
  return new Engine({ data, strategy: defineStrategy({ name: 't', description: '', params: {}, decide }), params: {}, model, portfolio: p });
}

describe('alpha yield', () => {
  it('pays once per epoch, compounding, nothing between epochs', () => {
    const p = new Portfolio(0n);
    p.addAlpha(1, 1000n * TAO);
    const e = engineWith(p, [0, 50, 97, 98, 250]);
    e.step(0);
    e.step(1); // blocks 1..50: no epoch
    expect(p.alphaOf(1)).toBe(1000n * TAO);
    e.step(2); // 51..97: none
    expect(p.alphaOf(1)).toBe(1000n * TAO);
    e.step(3); // 98: one epoch
    // per block: owner = 1e9*11796/65535 = 179_995_422.2..., half = 410_002_288.88...
    // validator share = half * (1 - 0.2) = 328_001_831.1 per block, x 100 blocks = 32_800_183_110.7 per epoch
    // reward = floor(32_800_183_110.7 * 1000e9 / (99_000e9 + 1000e9)) = floor(328_001_831.1) = 328_001_831
    const r1 = 328_001_831n;
    expect(p.alphaOf(1)).toBe(1000n * TAO + r1);
    e.step(4); // 99..250: epochs at 198 -> one more, on the grown position
    const a1 = 1000n * TAO + r1;
    const v = ((1e9 - (1e9 * 11796) / 65535) / 2) * 0.8 * 100;
    const r2 = BigInt(Math.floor((v * Number(a1)) / (99_000e9 + Number(a1))));
    expect(p.alphaOf(1)).toBe(a1 + r2);
    expect(p.alphaEarned.get(1)).toBe(r1 + r2);
  });
});

// Root dividends need the root sell flag: the sum of EMA prices (each capped at 1) above 1.
// A second subnet with a long tempo (no epoch in range) lifts the sum to 1.2.
const withFlag = (b: number) => snap(b, [subnet({ movingPrice: 0.6 }), { ...subnet({ movingPrice: 0.6 }), netuid: 2, tempo: 10_000 }], { rootStake: 999_000n * TAO, taoWeight: 0.18 });

describe('root yield', () => {
  it('earns nothing while the sum of EMA prices is not above 1 (root sell flag off)', () => {
    const p = new Portfolio(0n);
    p.root = 1000n * TAO;
    const e = engineWith(p, [0, 98, 99]);
    e.step(0); e.step(1); e.step(2);
    expect(p.claimable.size).toBe(0);
    expect(p.root).toBe(1000n * TAO);
  });

  it('accrues claimable alpha per epoch and claims it by selling into root (fee-free)', () => {
    const p = new Portfolio(0n);
    p.root = 1000n * TAO;
    const data = datasetOf([0, 98, 99].map(withFlag));
    const e = new Engine({ data, strategy: defineStrategy({ name: 't', description: '', params: {}, decide() {} }), params: {}, model, portfolio: p });
    e.step(0);
    e.step(1); // epoch at 98: root part = half * 0.2 * 100 blocks = 8_200_045_777.7 alpha-rao per epoch
    // ours: floor(8_200_045_777.7 * 1000 / (999_000 + 1000)) = 8_200_045
    expect(p.claimable.get(1)).toBe(8_200_045n);
    e.step(2); // claim interval (1 block) passed: sold through the pool without a fee
    // TAO = floor(10_000e9 * 8_200_045 / (1_000_000e9 + 8_200_045)) = 82_000
    expect(p.claimable.size).toBe(0);
    expect(p.root).toBe(1000n * TAO + 82_000n);
    expect(p.totals.yieldRoot).toBe(82_000n);
  });

  it('keeps the alpha instead with claim type keep', () => {
    const p = new Portfolio(0n);
    p.root = 1000n * TAO;
    const data = datasetOf([0, 98, 99].map(withFlag));
    const e = new Engine({ data, strategy: defineStrategy({ name: 't', description: '', params: {}, decide() {} }), params: {}, model: { ...model, rootClaim: 'keep' }, portfolio: p });
    e.step(0); e.step(1); e.step(2);
    expect(p.alphaOf(1)).toBe(8_200_045n);
    expect(p.root).toBe(1000n * TAO);
  });
});

describe('deregistration', () => {
  it('a held subnet leaving the data pays its pool TAO pro rata to staked alpha', () => {
    const p = new Portfolio(0n);
    p.addAlpha(1, 1000n * TAO);
    const data = datasetOf([
      snap(0, [subnet(), { ...subnet(), netuid: 2 }]),
      snap(10, [{ ...subnet(), netuid: 2 }]),
    ]);
    const e = new Engine({ data, strategy: defineStrategy({ name: 't', description: '', params: {}, decide() {} }), params: {}, model, portfolio: p });
    e.step(0);
    const r = e.step(1);
    // pot 10,000 TAO * 1000 / (99_000 + 1000) = 100 TAO
    expect(p.free).toBe(100n * TAO);
    expect(p.alpha.size).toBe(0);
    expect(r.fills.map((f) => f.type)).toEqual(['deregister']);
  });
});

describe('re-registration on the same netuid', () => {
  const run = (before: object, after: object) => {
    const p = new Portfolio(0n);
    p.addAlpha(1, 1000n * TAO);
    const data = datasetOf([snap(0, [subnet(before)]), snap(10, [subnet(after)])]);
    const e = new Engine({ data, strategy: defineStrategy({ name: 't', description: '', params: {}, decide() {} }), params: {}, model, portfolio: p });
    e.step(0);
    return { p, fills: e.step(1).fills };
  };
  it('alpha issuance falling below half means a new subnet: the old pool is paid out', () => {
    // issuance 1,000,000 + 99,000 -> 10,000 + 5,000
    const { p, fills } = run({}, { alphaIn: 10_000n * TAO, alphaOut: 5_000n * TAO, taoIn: 100n * TAO, name: 'new' });
    expect(fills.map((f) => [f.type, f.reason])).toEqual([['deregister', 'netuid re-registered to a new subnet: the old pool TAO paid out pro rata']]);
    expect(p.free).toBe(100n * TAO); // 10,000 TAO * 1000 / (99,000 + 1000)
    expect(p.alpha.size).toBe(0);
  });
  it('a subnet that keeps its issuance is the same subnet, even renamed', () => {
    const { p, fills } = run({ name: 'old' }, { name: 'renamed', alphaIn: 900_000n * TAO, alphaOut: 150_000n * TAO });
    expect(fills).toEqual([]);
    expect(p.alphaOf(1)).toBe(1000n * TAO);
  });
  it('without alpha_out, a jump of root_prop toward 1 (issuance reset) is read the same way', () => {
    const noOut = { alphaOut: undefined };
    const same = run({ ...noOut, rootProp: 0.2 }, { ...noOut, rootProp: 0.21 });
    expect(same.fills).toEqual([]);
    // (1 - rp)/rp: 4 -> 0.119, as netuid 103 on mainnet in August 2026 (0.20 -> 0.894)
    const fresh = run({ ...noOut, rootProp: 0.2 }, { ...noOut, rootProp: 0.894 });
    expect(fresh.fills.map((f) => f.type)).toEqual(['deregister']);
  });
  it('with reserves only: a rename with both reserves down by more than 75%', () => {
    const bare = { alphaOut: undefined, rootProp: undefined };
    const fresh = run({ ...bare, name: 'a' }, { ...bare, name: 'b', taoIn: 1000n * TAO, alphaIn: 100_000n * TAO });
    expect(fresh.fills.map((f) => f.type)).toEqual(['deregister']);
    const rebrand = run({ ...bare, name: 'a' }, { ...bare, name: 'b' });
    expect(rebrand.fills).toEqual([]);
  });
});
