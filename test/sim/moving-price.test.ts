import { describe, expect, it } from 'vitest';
import { advanceMovingPrice, projectMovingPrice } from '../../src/sim/moving-price.ts';

const params = { movingAlpha: 0.000003, halvingBlocks: 201_600 };

describe('EMA price (mechanics §2.4.1)', () => {
  it('one block: alpha = 3e-6 * b / (b + 201600), spot capped at 1', () => {
    // Started at block 1001, now block 2000 -> 2001: b = 2001 - 1000 = 1001.
    const a = (0.000003 * 1001) / (1001 + 201_600);
    expect(advanceMovingPrice(0.01, 0.02, 0.02, 1001, 2000, 1, params)).toBeCloseTo(a * 0.02 + (1 - a) * 0.01, 17);
    expect(advanceMovingPrice(0.5, 3, 3, 1001, 2000, 1, params)).toBeCloseTo(a * 1 + (1 - a) * 0.5, 17);
  });

  it('a run of k blocks equals k single blocks when the spot does not move', () => {
    let m = 0.01;
    for (let j = 0; j < 500; j++) m = advanceMovingPrice(m, 0.03, 0.03, 5, 10_000 + j, 1, params);
    expect(advanceMovingPrice(0.01, 0.03, 0.03, 5, 10_000, 500, params)).toBeCloseTo(m, 15);
  });

  it('young subnets move slowly: the ramp keeps alpha tiny right after start_call', () => {
    const young = advanceMovingPrice(0, 0.01, 0.01, 1000, 1000, 7200, params);
    const old = advanceMovingPrice(0, 0.01, 0.01, 1000, 10_000_000, 7200, params);
    // Day one: sum of 3e-6 * b / (b + 201600) for b = 1..7200 is about 3e-6 * 7200^2 / (2 * 201600).
    expect(young / 0.01).toBeCloseTo(0.000003 * 7200 * 7200 / (2 * 201_600), 4);
    expect(old / 0.01).toBeCloseTo(1 - Math.pow(1 - 0.000003 * (10_000_000 - 999 + 3600) / (10_000_000 - 999 + 3600 + 201_600), 7200), 4);
  });

  it('projects the EMA over a fractional number of blocks (for a run\'s midpoint shares)', () => {
    const full = advanceMovingPrice(0.01, 0.02, 0.02, 1, 1_000_000, 30, params);
    expect(projectMovingPrice(0.01, 0.02, 1, 1_000_000, 30, params)).toBeCloseTo(full, 12);
    expect(projectMovingPrice(0.01, 0.02, 1, 1_000_000, 0, params)).toBe(0.01);
  });
});
