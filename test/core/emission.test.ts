import { describe, expect, it } from 'vitest';
import { blockEmissionFor, epochsBetween, nextEpochBlock, rootProportion, splitAlphaEmission } from '../../src/core/emission.ts';

const M = 1_000_000_000_000_000n; // one million TAO in rao

describe('halvings on issuance', () => {
  it('1 per block below 10.5M, then 0.5, 0.25, ...', () => {
    expect(blockEmissionFor(0n)).toBe(1_000_000_000n);
    expect(blockEmissionFor((105n * M) / 10n - 1n)).toBe(1_000_000_000n);
    expect(blockEmissionFor((105n * M) / 10n)).toBe(500_000_000n);
    expect(blockEmissionFor((1575n * M) / 100n - 1n)).toBe(500_000_000n);
    expect(blockEmissionFor((1575n * M) / 100n)).toBe(250_000_000n);
    expect(blockEmissionFor((18_375n * M) / 1000n)).toBe(125_000_000n);
    expect(blockEmissionFor(21n * M)).toBe(0n);
  });
});

describe('alpha emission split', () => {
  it('owner 11796/65535, half the rest to miners, root_prop of the validators half to root', () => {
    const s = splitAlphaEmission(1_000_000_000n, 0.2);
    // owner = floor(1e9 * 11796 / 65535) = 179_995_422; rem = 820_004_578
    expect(s.owner).toBe(179_995_422n);
    expect(s.server).toBe(410_002_289n);
    // half = 410_002_289; root = floor(410_002_289 * 0.2) = 82_000_457
    expect(s.root).toBe(82_000_457n);
    expect(s.validator).toBe(410_002_289n - 82_000_457n);
    expect(s.owner + s.server + s.validator + s.root).toBe(1_000_000_000n);
  });
  it('root share is recycled while the root sell flag is off', () => {
    const s = splitAlphaEmission(1_000_000_000n, 0.2, { rootSellFlag: false });
    expect(s.root).toBe(0n);
    expect(s.validator).toBe(410_002_289n - 82_000_457n);
  });
});

describe('root proportion', () => {
  it('w*R / (w*R + alpha issuance)', () => {
    // 0.18 * 4.5M = 810k; issuance 4.59M -> 810/(810+4590) = 0.15
    expect(rootProportion(4_500_000n * 1_000_000_000n, 0.18, 4_590_000n * 1_000_000_000n)).toBeCloseTo(0.15, 12);
  });
});

describe('epoch schedule', () => {
  it('fires where (block + netuid + 1) % (tempo + 1) == 0', () => {
    // netuid 1, tempo 360: blocks 359, 720, 1081, ...
    expect(epochsBetween(0, 358, 1, 360)).toBe(0);
    expect(epochsBetween(0, 359, 1, 360)).toBe(1);
    expect(epochsBetween(359, 720, 1, 360)).toBe(1);
    expect(epochsBetween(358, 1081, 1, 360)).toBe(3);
    expect(epochsBetween(1081, 1081, 1, 360)).toBe(0);
    expect(nextEpochBlock(359, 1, 360)).toBe(720);
    expect(nextEpochBlock(0, 1, 360)).toBe(359);
  });
  it('counts the right number over a long gap', () => {
    expect(epochsBetween(8_660_383, 8_773_285, 64, 360)).toBe(Math.floor((8_773_285 + 65) / 361) - Math.floor((8_660_383 + 65) / 361));
  });
});
