import { describe, expect, it } from 'vitest';
import { nextHalvingIssuance } from '../../src/sim/halving.ts';
import { engineFor, smallMarket, TAO } from './helpers.ts';

describe('halvings', () => {
  it('finds the issuance of the next halving: 10.5M, 15.75M, 18.375M TAO', () => {
    expect(nextHalvingIssuance(0n)).toBe(10_500_000n * TAO);
    expect(nextHalvingIssuance(10_500_000n * TAO - 1n)).toBe(10_500_000n * TAO);
    expect(nextHalvingIssuance(10_500_000n * TAO)).toBe(15_750_000n * TAO);
    expect(nextHalvingIssuance(16_000_000n * TAO)).toBe(18_375_000n * TAO);
  });

  it('block emission drops from 1 to 0.5 TAO at the block where issuance reaches 10.5M, stepping or batched', () => {
    // 7 TAO below the threshold: blocks 1..7 emit (just under) 1 TAO each, then 0.5.
    const scn = smallMarket({ chain: { total_issuance: '10499993', root_stake: '4500000' } });
    const one = engineFor(scn, 3);
    const batch = engineFor(scn, 3);
    const emissions: bigint[] = [];
    for (let i = 0; i < 12; i++) {
      const before = one.totalIssuance;
      one.stepBlock();
      emissions.push(one.totalIssuance - before);
    }
    // Floors of E * share lose at most a rao per subnet per block.
    for (const e of emissions.slice(0, 7)) expect(TAO - e).toBeLessThan(6n);
    for (const e of emissions.slice(8)) expect(TAO / 2n - e).toBeLessThan(6n);
    expect(one.snapshot().blockEmission).toBe(TAO / 2n);
    // Batched: the run is cut at the halving block, so 12 blocks still add 8 x 1 + 4 x 0.5 TAO.
    const start = batch.totalIssuance;
    batch.advanceTo(batch.block + 12);
    expect(10n * TAO - (batch.totalIssuance - start)).toBeLessThan(12n * 6n);
    expect(batch.snapshot().blockEmission).toBe(TAO / 2n);
  });
});
