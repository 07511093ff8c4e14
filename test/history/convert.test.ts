/** dtao convert: exact text both ways, byte-identical round trips, validation with file:line:field, atomic output. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.ts';
import { convertSnapshotsFile } from '../../src/history/convert.ts';
import { REAL_DATA_FILE, announceSkip, hasRealData } from '../helpers/shared.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-convert-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function convert(input: string, output: string) {
  return convertSnapshotsFile(input, output, statSync(input).size);
}

// A hand-made file: a header, an amount with a trailing zero, JSON numbers (one in exponent
// form), a name that needs CSV quoting, a boolean, and a snapshot with no subnets.
const JSONL = [
  '{"format":"dtao-snapshots/1","note":"hand"}',
  '{"block":1,"time":"2026-08-01T00:00:00Z","root_stake":"100","subnets":[{"netuid":1,"tao_in":"10.50","alpha_in":20,"price":"0.525","name":"a,\\"b\\""},{"netuid":2,"tao_in":1e-7,"alpha_in":"3","emission_enabled":false}]}',
  '{"block":2,"time":"2026-08-01T00:00:12Z","subnets":[]}',
].join('\n') + '\n';

const CSV = [
  '# {"format":"dtao-snapshots/1","note":"hand"}',
  'block,time,root_stake,netuid,tao_in,alpha_in,price,emission_enabled,name',
  '1,2026-08-01T00:00:00Z,100,1,10.50,20,0.525,,"a,""b"""',
  '1,2026-08-01T00:00:00Z,100,2,0.0000001,3,,false,',
  '2,2026-08-01T00:00:12Z,,,,,,,',
].join('\n') + '\n';

// Back from the CSV: keys in field-table order, every amount as text, digits untouched.
const JSONL_BACK = [
  '{"format":"dtao-snapshots/1","note":"hand"}',
  '{"block":1,"time":"2026-08-01T00:00:00Z","root_stake":"100","subnets":[{"netuid":1,"tao_in":"10.50","alpha_in":"20","price":"0.525","name":"a,\\"b\\""},{"netuid":2,"tao_in":"0.0000001","alpha_in":"3","emission_enabled":false}]}',
  '{"block":2,"time":"2026-08-01T00:00:12Z","subnets":[]}',
].join('\n') + '\n';

describe('dtao convert', () => {
  it('JSONL -> CSV writes the used columns only, the exact text of each value, and quotes only where needed', () => {
    const a = join(dir, 'a.jsonl');
    writeFileSync(a, JSONL);
    const r = convert(a, join(dir, 'a.csv'));
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe(CSV);
    expect(r).toMatchObject({ from: 'jsonl', to: 'csv', snapshots: 2, rows: 3, hasHeader: true });
  });

  it('CSV -> JSONL keeps the text, and a second round trip is byte-identical', () => {
    const c = join(dir, 'c.csv');
    writeFileSync(c, CSV);
    convert(c, join(dir, 'c.jsonl'));
    expect(readFileSync(join(dir, 'c.jsonl'), 'utf8')).toBe(JSONL_BACK);
    convert(join(dir, 'c.jsonl'), join(dir, 'd.csv'));
    expect(readFileSync(join(dir, 'd.csv'), 'utf8')).toBe(CSV);
  });

  it('reads CRLF files and writes LF', () => {
    const c = join(dir, 'crlf.csv');
    writeFileSync(c, CSV.replace(/\n/g, '\r\n'));
    convert(c, join(dir, 'crlf.jsonl'));
    expect(readFileSync(join(dir, 'crlf.jsonl'), 'utf8')).toBe(JSONL_BACK);
  });

  it('a bad value stops the conversion with file:line:field, and no output is written or replaced', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, JSONL + '{"block":3,"time":"2026-08-01T00:00:24Z","subnets":[{"netuid":1,"tao_in":"1.0000000001","alpha_in":"1"}]}\n');
    const out = join(dir, 'bad.csv');
    expect(() => convert(bad, out)).toThrow(`${bad}:4: subnets[0] (netuid 1).tao_in: more than 9 decimals: 1.0000000001`);
    expect(existsSync(out)).toBe(false);
    writeFileSync(out, 'previous content');
    expect(() => convert(bad, out)).toThrow(UserError);
    expect(readFileSync(out, 'utf8')).toBe('previous content');
    expect(readdirSync(dir).sort()).toEqual(['bad.csv', 'bad.jsonl']); // no temp file left behind

    const badCsv = join(dir, 'short.csv');
    writeFileSync(badCsv, CSV + '3,2026-08-01T00:00:24Z,,1,5\n');
    expect(() => convert(badCsv, join(dir, 'short.jsonl'))).toThrow(`${badCsv}:6: 5 cells but 9 columns`);
    expect(existsSync(join(dir, 'short.jsonl'))).toBe(false);
  });

  it('blocks out of order are caught in either direction', () => {
    const c = join(dir, 'order.csv');
    writeFileSync(c, 'block,time,netuid,tao_in,alpha_in\n5,2026-08-01T00:00:00Z,1,1,1\n4,2026-08-01T00:00:12Z,1,1,1\n');
    expect(() => convert(c, join(dir, 'order.jsonl'))).toThrow(`${c}:3: block: 4 is not greater than the previous block 5 (line 2)`);
  });

  it('refuses same-form and unknown extensions', () => {
    const a = join(dir, 'a.jsonl');
    writeFileSync(a, JSONL);
    expect(() => convert(a, join(dir, 'b.jsonl'))).toThrow('both JSON Lines');
    expect(() => convert(a, join(dir, 'b.txt'))).toThrow('name the output .csv');
  });

  it.skipIf(!hasRealData)('the real mainnet file: JSONL -> CSV -> JSONL and CSV -> JSONL -> CSV are byte-identical', () => {
    const csv = join(dir, 'real.csv');
    const back = join(dir, 'real.jsonl');
    const r = convert(REAL_DATA_FILE, csv);
    expect(r).toMatchObject({ snapshots: 164, rows: 20_992 });
    expect(r.columns).toEqual(['block', 'time', 'netuid', 'tao_in', 'alpha_in', 'price', 'root_prop', 'excess_tao', 'emission_enabled', 'name']);
    convert(csv, back);
    expect(readFileSync(back, 'utf8')).toBe(readFileSync(REAL_DATA_FILE, 'utf8'));
    const csv2 = join(dir, 'real2.csv');
    convert(back, csv2);
    expect(readFileSync(csv2, 'utf8')).toBe(readFileSync(csv, 'utf8'));
    // 1 header line + column line + one row per subnet row.
    expect(readFileSync(csv, 'utf8').split('\n').length - 1).toBe(2 + 20_992);
  });
});

if (!hasRealData) announceSkip('convert round trip of the real mainnet file', REAL_DATA_FILE);
