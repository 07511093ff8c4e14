import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { packSnapshot, unpackSnapshot } from '../../src/devnet/packed-snapshot.ts';
import { snapshotAt } from './script-source.ts';

describe('packed snapshots', () => {
  it('give back every field, including the absent ones', () => {
    const full = snapshotAt(5_003, { subnets: 4, quoteWeight: 0.4 });
    expect(unpackSnapshot(packSnapshot(full))).toEqual(full);
    const sparse: Snapshot = {
      block: 7, time: '2026-01-01T00:00:00Z',
      subnets: [
        { netuid: 9, taoIn: 1n, alphaIn: 2n },
        { netuid: 3, taoIn: (1n << 64n) - 1n, alphaIn: 0n, emissionEnabled: false, feeRate: 0, price: 0, name: '' },
      ],
    };
    const back = unpackSnapshot(packSnapshot(sparse));
    expect(back).toEqual(sparse);
    expect(Object.keys(back.subnets[0]!).sort()).toEqual(['alphaIn', 'netuid', 'taoIn']);
    expect('rootStake' in back).toBe(false);
  });

  it('refuses amounts a u64 cannot hold', () => {
    const bad: Snapshot = { block: 1, time: 't', subnets: [{ netuid: 1, taoIn: 1n << 64n, alphaIn: 1n }] };
    expect(() => packSnapshot(bad)).toThrow(/taoIn .* does not fit a u64/);
    const neg: Snapshot = { block: 1, time: 't', subnets: [{ netuid: 1, taoIn: 1n, alphaIn: 1n, excessTao: -1n }] };
    expect(() => packSnapshot(neg)).toThrow(/excessTao/);
  });
});
