/**
 * Alpha issued by a subnet's age (src/sim/issuance.ts): the closed form against hand-computed
 * points and against block-by-block stepping of the chain's rule (each block: alpha emission a
 * to participants plus the injection cap root_prop·a, root_prop = w·R / (w·R + issuance)).
 */
import { describe, expect, it } from 'vitest';
import { ageForIssuance, alphaIssuedByAge } from '../../src/sim/issuance.ts';
import { issuedStepping as stepped } from './helpers.ts';

const R = 4_500_000;
const W = 0.18;
const C = W * R; // 810,000 alpha

describe('alpha issued by age', () => {
  it('without root stake nothing is injected: one alpha a block', () => {
    expect(alphaIssuedByAge(1000, 0, W)).toBe(1000);
    expect(ageForIssuance(1000, 0, W)).toBe(1000);
  });

  it('matches the hand-computed point I = 2c: a·b = c·(2 − ln 2) blocks', () => {
    // u0 = 2c, u = 4c: b = (u − u0) − c·ln(u/u0) = 2c − c·ln 2 = 1,620,000 − 561,449.2 = 1,058,550.8 blocks for c = 810,000.
    const blocks = 2 * C - C * Math.log(2);
    expect(blocks).toBeCloseTo(1_058_550.8, 0);
    expect(ageForIssuance(2 * C, R, W)).toBeCloseTo(blocks, 6);
    expect(alphaIssuedByAge(blocks, R, W)).toBeCloseTo(2 * C, 3);
  });

  it('agrees with block-by-block stepping of the chain rule, young and old', () => {
    for (const days of [5, 90, 500]) {
      const blocks = days * 7200;
      const want = stepped(blocks, C);
      expect(Math.abs(alphaIssuedByAge(blocks, R, W) / want - 1)).toBeLessThan(1e-6);
    }
    // From a pool created with 80,000 alpha, 30 days on.
    const want = stepped(30 * 7200, C, 80_000);
    expect(Math.abs(alphaIssuedByAge(30 * 7200, R, W, 80_000) / want - 1)).toBeLessThan(1e-6);
  });

  it('a subnet as old as the dTAO launch (551 days) has issued about 5.1M alpha, root_prop 0.137', () => {
    // Mainnet's oldest subnets show 4.7–5.05M (root_prop 0.138–0.147) in August 2026.
    const issued = alphaIssuedByAge(551 * 7200, R, W);
    expect(issued).toBeGreaterThan(5.0e6);
    expect(issued).toBeLessThan(5.2e6);
    expect(C / (C + issued)).toBeCloseTo(0.137, 3);
  });

  it('is the inverse of the age for an issuance', () => {
    for (const issued of [50_000, 1_234_567, 4_800_000]) {
      expect(alphaIssuedByAge(ageForIssuance(issued, R, W), R, W)).toBeCloseTo(issued, 3);
    }
  });

  it('halves the alpha emission at 10.5M issued', () => {
    // Without root stake: 10.5M blocks to reach 10.5M, then half an alpha a block.
    expect(ageForIssuance(10_501_000, 0, W)).toBeCloseTo(10_502_000, 6);
    expect(alphaIssuedByAge(10_502_000, 0, W)).toBeCloseTo(10_501_000, 6);
  });
});
