/**
 * The loader validates JSON Lines straight into columns (no Snapshot objects, amounts as
 * exact doubles); the same checks also run through Snapshot objects. Both must give the same
 * dataset, the same warnings and the same errors.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDataFile } from '../../src/data/load.ts';
import { REAL_DATA_FILE, hasRealData, announceSkip } from '../helpers/shared.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-direct-'));
});

type Outcome = { ok: true; cols: Record<string, unknown[]>; meta: unknown } | { ok: false; error: string };

function read(path: string, direct: boolean): Outcome {
  try {
    const d = parseDataFile(path, statSync(path).size, undefined, { direct });
    const cols: Record<string, unknown[]> = {};
    for (const [k, v] of Object.entries(d.cols)) cols[k] = Array.from(v as ArrayLike<unknown>, (x) => (typeof x === 'number' && Number.isNaN(x) ? 'NaN' : x));
    return { ok: true, cols, meta: d.meta };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function same(path: string): Outcome {
  const direct = read(path, true);
  expect(direct).toEqual(read(path, false));
  return direct;
}

let n = 0;
function file(lines: string[]): string {
  const p = join(dir, `f${n++}.jsonl`);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

const HEADER = '{"format":"dtao-snapshots/1"}';
const row = (netuid: number, extra = '') => `{"netuid":${netuid},"tao_in":"1000.5","alpha_in":"100000"${extra}}`;
const snap = (block: number, rows: string, extra = '') => `{"block":${block},"time":"2026-08-01T00:00:${String(block % 60).padStart(2, '0')}Z","subnets":[${rows}]${extra}}`;

describe('direct and object validation agree', () => {
  if (!hasRealData) announceSkip('direct loading on the real mainnet file', REAL_DATA_FILE);
  it.skipIf(!hasRealData)('on the real mainnet file', () => {
    expect(same(REAL_DATA_FILE).ok).toBe(true);
  });

  it('on awkward but valid lines', () => {
    const r = same(file([
      HEADER,
      snap(1, `${row(1)},${row(2, ',"price":"0.01","name":"a \\"quoted\\" name"')}`),
      snap(2, `${row(1, ',"price":0.010005,"root_prop":1e-1')},${row(3, ',"moving_price":"5e-3","emission_enabled":false,"fee_rate":40,"tempo":99')}`),
      snap(4, `{"alpha_in":"5","tao_in":"0.000000001","netuid":9,"alpha_out":"20999999.999999999","excess_tao":"0"}`), // >= 2^53 rao
      snap(5, `${row(2)},${row(1)}`), // unsorted
      snap(6, row(4, ',"tao_in_emission":"0.5","alpha_in_emission":0.25,"alpha_out_emission":"1","quote_weight":"0.4","price":"0.015"')),
      snap(7, '', ',"root_stake":"4500000","tao_weight":"0.18","block_emission":"0.5"'),
      snap(8, `${row(0)},${row(5)}`), // a root row
      snap(9, row(6, ',"colour":"red"'), ',"extra":true'), // unknown keys
      snap(11, row(7, ',"price":"0.0107"')), // 7% off: warning
      snap(13, row(8, ',"tao_in":"7"')),
      snap(14, row(9, ',"fee_rate":"33"')),
      snap(15, `{"netuid":10,"tao_in":"007","alpha_in":"1.50"}`),
      snap(16, `${row(11)},${row(12, ',"tao_in":"9007199.254740993"')}`), // one big amount in a plain line
    ]));
    expect(r.ok).toBe(true);
  });

  it('on bad lines: the same error', () => {
    const bad = [
      row(1, ',"tao_in":"-1"'), row(1, ',"alpha_in":"1.0000000001"'), row(1, ',"price":"0.5"'), row(1, ',"root_prop":"1.5"'),
      row(1, ',"price":"+0.01"'), row(1, ',"price":"0x1"'), row(1, ',"tempo":0'), row(1, ',"fee_rate":70000'), row(1, ',"quote_weight":"1"'),
      row(1, ',"emission_enabled":"yes"'), '{"netuid":70000,"tao_in":"1","alpha_in":"1"}', '{"netuid":1,"alpha_in":"1"}', `${row(1)},${row(1)}`,
      `${row(1)},${row(2, ',"alpha_out":"x"')}`,
    ];
    for (const b of bad) expect(same(file([HEADER, snap(1, row(2)), snap(2, b)])).ok, b).toBe(false);
    expect(same(file([snap(5, row(1)), snap(5, row(1))])).ok).toBe(false);
    expect(same(file([snap(5, row(1)), '{"block":6,"time":"soon","subnets":[]}'])).ok).toBe(false);
    expect(same(file([snap(5, row(1)), snap(6, row(1), ',"tao_weight":"2"')])).ok).toBe(false);
  });
});
