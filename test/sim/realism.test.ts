/**
 * Realism: the `mixed` market against the real mainnet file (../shared/data), on statistics
 * that matter to a staking strategy. The bands are derived from the real values
 * (src/sim/realism.ts, BAND_RULES); the simulated series is sampled at the real file's
 * snapshot times so both see the same gaps. The table printed here is the one in
 * docs/simulator.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../src/core/units.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { generateMarket } from '../../src/sim/generate.ts';
import { alignToTimes, compareRealism, formatComparison, observe, realismStats } from '../../src/sim/realism.ts';
import { loadScenario } from '../../src/sim/scenario.ts';
import { REAL_DATA_FILE, announceSkip, hasRealData } from '../helpers/shared.ts';

function readReal(): Snapshot[] {
  const lines = readFileSync(REAL_DATA_FILE, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const o = JSON.parse(line) as { block: number; time: string; subnets: Record<string, string | number | boolean>[] };
    return {
      block: o.block,
      time: o.time,
      subnets: o.subnets.map((s) => ({
        netuid: s.netuid as number,
        name: s.name as string,
        taoIn: parseAmount(s.tao_in as string),
        alphaIn: parseAmount(s.alpha_in as string),
        rootProp: Number(s.root_prop),
        excessTao: parseAmount(s.excess_tao as string),
        emissionEnabled: s.emission_enabled as boolean,
      })),
    };
  });
}

if (!hasRealData) announceSkip('realism of the mixed scenario against mainnet', REAL_DATA_FILE);

describe.skipIf(!hasRealData)('the mixed market looks like mainnet', () => {
  it('stays within the bands derived from the real file', () => {
    const real = readReal().map(observe);
    const days = Math.ceil((real[real.length - 1]!.timeMs - real[0]!.timeMs) / 86_400_000);
    const g = generateMarket({ scenario: loadScenario('mixed'), seed: 1, days, step: 300 });
    const sim = alignToTimes([...g.snapshots].map(observe), real);
    const rows = compareRealism(realismStats(real), realismStats(sim));
    console.log(`mixed (128 subnets, seed 1) vs ${REAL_DATA_FILE.split('/').pop()}\n${formatComparison(rows)}`);
    expect(rows.filter((r) => !r.ok).map((r) => `${r.label}: ${r.sim} not in [${r.low}, ${r.high}]`)).toEqual([]);
    expect(real[0]!.subnets).toHaveLength(128);
  });
});
