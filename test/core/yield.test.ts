import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSUMPTIONS, alphaEpochReward, resolveYield, rootEpochReward, type Assumption } from '../../src/core/yield.ts';

const TAO = 1e9;

describe('yield inputs', () => {
  it('uses the data when it is all there, assumes nothing', () => {
    const noted: Assumption[] = [];
    const y = resolveYield(
      { netuid: 5, alphaIn: 1_000_000n * 1_000_000_000n, alphaOut: 2_000_000n * 1_000_000_000n, rootProp: 0.2, alphaOutEmission: 1_000_000_000n, tempo: 99 },
      { rootStake: 4_000_000n * 1_000_000_000n, taoWeight: 0.18 },
      DEFAULT_ASSUMPTIONS, true, (k) => noted.push(k),
    );
    expect(noted).toEqual([]);
    // per block: owner 1e9*11796/65535, half of the rest, root 20% of that half; epoch = tempo + 1 = 100 blocks
    const half = (1e9 - (1e9 * 11796) / 65535) / 2;
    expect(y.validatorPerEpoch).toBeCloseTo(half * 0.8 * 100, 3);
    expect(y.rootPerEpoch).toBeCloseTo(half * 0.2 * 100, 3);
    expect(y.stakedAlpha).toBe(2_000_000 * TAO);
    expect(y.rootStake).toBe(4_000_000 * TAO);
  });

  it('estimates alpha_out from root_prop and says so', () => {
    const noted = new Set<Assumption>();
    const y = resolveYield({ netuid: 1, alphaIn: 3_000_000n * 1_000_000_000n, rootProp: 0.15 }, {}, DEFAULT_ASSUMPTIONS, true, (k) => noted.add(k));
    // issuance = 0.18 * 4.5M * 0.85 / 0.15 = 4.59M; alpha_out = 4.59M - 3M = 1.59M
    expect(y.stakedAlpha / TAO).toBeCloseTo(1_590_000, 3);
    expect(y.alphaPerBlock).toBe(1e9);
    expect([...noted].sort()).toEqual(['alpha_out_emission', 'alpha_out_from_root_prop', 'root_stake', 'tao_weight', 'tempo']);
  });

  it('halves alpha emission once issuance passes 10.5M', () => {
    const y = resolveYield({ netuid: 1, alphaIn: 4_000_000n * 1_000_000_000n, alphaOut: 7_000_000n * 1_000_000_000n }, {}, DEFAULT_ASSUMPTIONS, true, () => {});
    expect(y.alphaPerBlock).toBe(0.5e9);
  });

  it('no root dividends while the root sell flag is off', () => {
    const y = resolveYield({ netuid: 1, alphaIn: 1_000n * 1_000_000_000n, rootProp: 0.3 }, {}, DEFAULT_ASSUMPTIONS, false, () => {});
    expect(y.rootPerEpoch).toBe(0);
  });
});

describe('rewards', () => {
  it('alpha: V * (1 - take) * A / (S + A), floored', () => {
    // V = 100 alpha per epoch, take 18% (11796/65535), A = 1000, S = 99_000
    // 100e9 * 53739/65535 * 1000/100000 = 820_004_577.7... -> 820_004_577
    expect(alphaEpochReward(100e9, 99_000e9, 1000n * 1_000_000_000n, 11796)).toBe(820_004_577n);
  });
  it('root: epochs * Vr * (1 - take) * r / (R + r)', () => {
    // 3 epochs * 10 alpha * (1 - 0) * 1000 / (999_000 + 1000) = 0.03 alpha
    expect(rootEpochReward(10e9, 999_000e9, 1000n * 1_000_000_000n, 0, 3)).toBe(30_000_000n);
  });
});
