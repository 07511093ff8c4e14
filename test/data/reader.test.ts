/** Reading dtao-snapshots/1: good files, bad files with clear errors, CSV equivalence, the cache. */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/load.ts';
import { UserError } from '../../src/core/errors.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-reader-'));
  process.env.DTAO_CACHE_DIR = join(dir, 'cache');
});

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const HEADER = '{"format":"dtao-snapshots/1","source":"test"}';
const line = (block: number, subnets: string) => `{"block":${block},"time":"2026-08-01T00:00:${String(block % 60).padStart(2, '0')}Z","subnets":[${subnets}]}`;
const sub = (netuid: number, tao = '100', alpha = '1000', extra = '') => `{"netuid":${netuid},"tao_in":"${tao}","alpha_in":"${alpha}"${extra}}`;

function errorOf(path: string): string {
  try {
    loadDataset(path, { cache: false });
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('good input', () => {
  it('reads header, snapshots, amounts exactly, defaults the price from the curve', () => {
    const p = file('ok.jsonl', [HEADER, line(10, `${sub(2, '50.5', '1000')},${sub(1)}`), line(20, sub(1, '0.000000001', '7', ',"price":"0.0000000001"'))].join('\n') + '\n');
    const { dataset: d } = loadDataset(p, { cache: false });
    expect(d.snapshotCount).toBe(2);
    expect(d.meta.header?.source).toBe('test');
    const s0 = d.snapshot(0);
    expect(s0.subnets.map((s) => s.netuid)).toEqual([1, 2]); // sorted by netuid
    expect(s0.subnets[1]!.taoIn).toBe(50_500_000_000n);
    expect(d.cols.price[d.rowOf(0, 2)]).toBeCloseTo(0.0505, 15);
    expect(d.snapshot(1).subnets[0]!.taoIn).toBe(1n);
  });

  it('warns once about unknown keys and goes on', () => {
    const p = file('unknown.jsonl', [line(1, sub(1, '1', '1', ',"colour":"red"')), line(2, sub(1, '1', '1', ',"colour":"blue"')), '{"block":3,"time":"2026-08-01T00:00:03Z","subnets":[],"extra":1}'].join('\n'));
    const { dataset: d } = loadDataset(p, { cache: false });
    expect(d.meta.warnings.filter((w) => w.includes('subnets[].colour'))).toEqual([`${p}: unknown key "subnets[].colour" ignored (2 times)`]);
    expect(d.meta.warnings.some((w) => w.includes('"extra"'))).toBe(true);
  });

  it('reads a netuid-0 row as the root stake', () => {
    const p = file('root.jsonl', line(1, `${sub(0, '4000000', '1')},${sub(1)}`));
    const { dataset: d } = loadDataset(p, { cache: false });
    expect(d.snapshot(0).rootStake).toBe(4_000_000n * 1_000_000_000n);
    expect(d.snapshot(0).subnets.map((s) => s.netuid)).toEqual([1]);
  });
});

describe('bad input: clear errors with file, line and field', () => {
  it('malformed JSON', () => {
    const p = file('bad-json.jsonl', [HEADER, line(1, sub(1)), '{"block":2,"time":'].join('\n'));
    expect(errorOf(p)).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: malformed JSON`));
  });
  it('missing reserve', () => {
    expect(errorOf(file('no-tao.jsonl', line(1, '{"netuid":4,"alpha_in":"1"}')))).toMatch(/:1: subnets\[0\] \(netuid 4\)\.tao_in: missing: the pool TAO reserve is required/);
  });
  it('negative reserve', () => {
    expect(errorOf(file('neg.jsonl', line(1, sub(4, '-5'))))).toMatch(/:1: subnets\[0\] \(netuid 4\)\.tao_in: negative amount: -5 \(amounts must be >= 0\)/);
  });
  it('too many decimals', () => {
    expect(errorOf(file('dec.jsonl', line(1, sub(4, '1.0000000001'))))).toMatch(/tao_in: more than 9 decimals/);
  });
  it('non-increasing blocks', () => {
    expect(errorOf(file('order.jsonl', [line(5, sub(1)), line(5, sub(1))].join('\n')))).toMatch(/:2: block: 5 is not greater than the previous block 5 \(line 1\); blocks must strictly increase/);
  });
  it('a price that disagrees wildly with the reserves', () => {
    expect(errorOf(file('price.jsonl', line(1, sub(1, '100', '1000', ',"price":"0.5"'))))).toMatch(/price: 0\.5 disagrees with the reserves \(curve price 0\.100000, 5\.00x\)/);
  });
  it('a repeated netuid in one snapshot', () => {
    expect(errorOf(file('dup.jsonl', line(1, `${sub(2)},${sub(1)},${sub(2)}`)))).toMatch(/netuid 2 appears twice/);
  });
  it('wrong format in the header', () => {
    expect(errorOf(file('fmt.jsonl', '{"format":"other/2"}\n' + line(1, sub(1))))).toMatch(/:1: format: unsupported format "other\/2"/);
  });
  it('an empty file and a missing file', () => {
    expect(errorOf(file('empty.jsonl', ''))).toMatch(/no snapshots found/);
    expect(errorOf(join(dir, 'nope.jsonl'))).toMatch(/data file not found/);
  });
});

describe('the long CSV form', () => {
  it('reads the same data as JSONL', () => {
    const jsonl = file('same.jsonl', [HEADER, line(10, `${sub(1, '100', '1000', ',"name":"A, the first"')},${sub(2, '5', '50')}`), line(20, sub(1, '101', '999'))].join('\n') + '\n');
    const csv = file('same.csv', [
      '# ' + HEADER,
      'block,time,netuid,tao_in,alpha_in,name',
      '10,2026-08-01T00:00:10Z,1,100,1000,"A, the first"',
      '10,2026-08-01T00:00:10Z,2,5,50,',
      '20,2026-08-01T00:00:20Z,1,101,999,',
    ].join('\n') + '\n');
    const a = loadDataset(jsonl, { cache: false }).dataset;
    const b = loadDataset(csv, { cache: false }).dataset;
    expect([...b.snapshots()]).toEqual([...a.snapshots()]);
    expect(b.meta.header).toEqual(a.meta.header);
  });
  it('names the CSV line of a bad row', () => {
    const csv = file('bad.csv', 'block,time,netuid,tao_in,alpha_in\n1,2026-08-01T00:00:01Z,1,100,1000\n1,2026-08-01T00:00:01Z,2,x,1000\n');
    expect(errorOf(csv)).toMatch(/bad\.csv:3: subnets\[1\] \(netuid 2\)\.tao_in: not a decimal amount/);
  });
});

describe('the dataset cache', () => {
  it('a repeat read comes from the cache and equals the parse; a changed file is a miss', () => {
    const p = file('cached.jsonl', [HEADER, line(1, sub(1)), line(2, sub(1, '7'))].join('\n'));
    const first = loadDataset(p);
    const second = loadDataset(p);
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect([...second.dataset.snapshots()]).toEqual([...first.dataset.snapshots()]);
    expect(second.dataset.meta.warnings).toEqual(first.dataset.meta.warnings);
    writeFileSync(p, [HEADER, line(1, sub(1)), line(2, sub(1, '8'))].join('\n'));
    const third = loadDataset(p);
    expect(third.fromCache).toBe(false);
    expect(third.dataset.snapshot(1).subnets[0]!.taoIn).toBe(8_000_000_000n);
    expect(readdirSync(join(dir, 'cache', 'datasets')).length).toBe(2);
  });
});
