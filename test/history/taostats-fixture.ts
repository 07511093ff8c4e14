/**
 * A small, fully known Taostats pool history and the snapshot lines it must become,
 * written out by hand from the mapping rules (not by the importer's code):
 *  - hour h (from 2026-08-01T00:00Z): netuids 1 and 2, and 3 from hour 5 on;
 *  - netuids 1 and 3 are read at block 8,700,000 + 300h, one minute into the hour; netuid 2
 *    one block (12 s) earlier, so each snapshot takes the block and time of netuid 1;
 *  - total_tao = (1000 + 10h + n) TAO + 0.5, alpha_in_pool = 4 x total_tao, alpha_staked = 7n:
 *    rao strings, so tao_in "…​.5", alpha_in 4(1000+10h+n)+2, price exactly 0.25;
 *  - one root row (netuid 0, hour 0) that must be left out, and one price (netuid 1, hour 3)
 *    that is 3.6x the reserves' price and must be left out.
 */
import type { FakeRow } from './fake-taostats.ts';

export const T0 = Date.parse('2026-08-01T00:00:00Z');
export const B0 = 8_700_000;
export const HOUR = 3_600_000;

export function netuidsAt(h: number): number[] {
  return h >= 5 ? [1, 2, 3] : [1, 2];
}

export function fixtureRows(hours: number): FakeRow[] {
  const rows: FakeRow[] = [];
  for (let h = 0; h < hours; h++) {
    for (const n of netuidsAt(h)) {
      const whole = 1000 + 10 * h + n;
      const early = n === 2;
      rows.push({
        netuid: n,
        block_number: B0 + 300 * h - (early ? 1 : 0),
        timestamp: new Date(T0 + h * HOUR + (early ? 48_000 : 60_000)).toISOString(),
        name: `SN${n}`,
        symbol: 'α',
        market_cap: '123.456',
        liquidity: `${2 * whole}000000000.5`,
        total_tao: `${whole}500000000`,
        total_alpha: '0',
        alpha_in_pool: `${4 * whole + 2}000000000`,
        alpha_staked: `${7 * n}000000000`,
        price: h === 3 && n === 1 ? '0.90000000000000000000' : '0.25000000000000000000',
        root_prop: '0.180000000000000000',
      });
    }
  }
  rows.push({
    netuid: 0, block_number: B0, timestamp: new Date(T0 + 60_000).toISOString(), name: 'root',
    total_tao: '5000000000000000', alpha_in_pool: '0', alpha_staked: '0', price: '1',
  });
  return rows;
}

/** The snapshot line hour h must become (canonical key order of dtao-snapshots/1). */
export function expectedLine(h: number): string {
  const subnets = netuidsAt(h).map((n) => {
    const whole = 1000 + 10 * h + n;
    const s: Record<string, unknown> = { netuid: n, tao_in: `${whole}.5`, alpha_in: `${4 * whole + 2}`, alpha_out: `${7 * n}` };
    if (!(h === 3 && n === 1)) s.price = '0.25';
    s.root_prop = '0.18';
    s.name = `SN${n}`;
    return s;
  });
  return JSON.stringify({ block: B0 + 300 * h, time: new Date(T0 + h * HOUR + 60_000).toISOString(), subnets });
}

export function expectedLines(fromHour: number, toHour: number): string[] {
  const out: string[] = [];
  for (let h = fromHour; h < toHour; h++) out.push(expectedLine(h));
  return out;
}
