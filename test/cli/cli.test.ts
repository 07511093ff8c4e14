/** The command line as a user meets it: outputs, errors and exit codes. */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dtao, hasStack } from '../helpers/cli.ts';
import { writeSnapshotsFile } from '../../src/data/writer.ts';
import { snap, TAO } from '../helpers/build.ts';

let dir: string;
let data: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtao-cli-'));
  env = { DTAO_CACHE_DIR: join(dir, 'cache') };
  data = join(dir, 'market.jsonl');
  // Two subnets over 30 days, one snapshot every 6 hours; subnet 2's price drifts up.
  const snaps = Array.from({ length: 120 }, (_, k) =>
    snap(1_000_000 + 1800 * k, [
      { netuid: 1, taoIn: 1000n * TAO, alphaIn: 100_000n * TAO, name: 'one' },
      { netuid: 2, taoIn: (5000n + 10n * BigInt(k)) * TAO, alphaIn: 250_000n * TAO, name: 'two' },
    ]),
  );
  writeSnapshotsFile(data, snaps, { source: 'cli test' });
});

describe('dtao quote', () => {
  it('prints the hand-computed quote as JSON', () => {
    const r = dtao(['quote', '--data', data, '--netuid', '1', '--tao', '10', '--json'], { env });
    expect(r.code).toBe(0);
    const q = JSON.parse(r.stdout);
    // fee floor(10e9*33/65535) = 5_035_477; alpha floor(1e14 * 9_994_964_523 / 1_009_994_964_523)
    expect(q).toMatchObject({ netuid: 1, block: 1_000_000 + 1800 * 119, input: '10', output: '989.605381618', fee: '0.005035477', spot_price: 0.01 });
    expect(q.execution_price).toBeCloseTo(10 / 989.605381618, 12);
    expect(q.slippage).toBeCloseTo(1 - 989.605381618 / 1000, 12);
  });
  it('quotes an unstake at an earlier block', () => {
    const q = JSON.parse(dtao(['quote', '--data', data, '--netuid', '2', '--alpha', '1000', '--block', '1000000', '--json'], { env }).stdout);
    expect(q.block).toBe(1_000_000);
    expect(q.fee).toBe('0.503547722');
    expect(q.output_token).toBe('tao');
  });
  it('refuses ambiguous input clearly', () => {
    const r = dtao(['quote', '--data', data, '--netuid', '1', '--tao', '1', '--alpha', '1'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/give exactly one of --tao \(stake\) or --alpha \(unstake\)/);
    const r2 = dtao(['quote', '--data', data, '--netuid', '9', '--tao', '1'], { env });
    expect(r2.stderr).toMatch(/subnet 9 is not in the snapshot at block \d+ \(present: 1, 2\)/);
  });
});

describe('dtao backtest', () => {
  it('runs a user strategy file beside the benchmarks; report.json is deterministic', () => {
    const strat = join(dir, 'half-half.ts');
    writeFileSync(strat, `export default {
      name: 'half-half', description: 'half root, half subnet 2', params: { w: { type: 'number', default: 0.5, description: 'subnet share' } },
      decide(ctx) { if (ctx.step === 0) return { targets: { root: 1 - ctx.params.w, subnets: { 2: ctx.params.w } } }; },
    };\n`);
    const out1 = join(dir, 'o1');
    const out2 = join(dir, 'o2');
    const r1 = dtao(['backtest', '--data', data, '--strategy', strat, '--param', 'w=0.25', '--out', out1], { env });
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    expect(r1.stdout).toMatch(/half-half/);
    expect(r1.stdout).toMatch(/root-100 \(benchmark\)/);
    dtao(['backtest', '--data', data, '--strategy', strat, '--param', 'w=0.25', '--out', out2], { env });
    const rep = readFileSync(join(out1, 'report.json'), 'utf8');
    expect(readFileSync(join(out2, 'report.json'), 'utf8')).toBe(rep);
    const report = JSON.parse(rep);
    expect(report.runs.map((x: { name: string }) => x.name)).toEqual(['half-half', 'hold-tao', 'root-100', 'equal-weight-alpha']);
    const hh = report.runs[0];
    expect(hh.params).toEqual({ w: 0.25 });
    expect(hh.initial_value).toBe('1000');
    expect(hh.final_portfolio.root).toBe('750');
    expect(readFileSync(join(out1, 'trades.csv'), 'utf8').split('\n')[0]).toMatch(/^run,step,block,time,type,netuid/);
  });

  it('--json prints the report on stdout', () => {
    const r = dtao(['backtest', '--data', data, '--strategy', 'root-only', '--out', join(dir, 'o3'), '--json'], { env });
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.format).toBe('dtao-report/1');
    expect(rep.runs[0].name).toBe('root-only');
  });

  it('user mistakes: one clear line, non-zero exit, no stack trace', () => {
    const cases: [string[], RegExp, number][] = [
      [['backtest', '--data', join(dir, 'missing.jsonl')], /dtao: error: data file not found: .*missing\.jsonl/, 1],
      [['backtest', '--data', data, '--strategy', 'nope'], /unknown strategy "nope"; built-ins: .*root-only/, 1],
      [['backtest', '--data', data, '--strategy', 'top-emission', '--param', 'bogus=1'], /strategy "top-emission" has no param "bogus" \(its params: n, /, 1],
      [['backtest', '--data', data, '--strategy', 'top-emission', '--param', 'n=0'], /param n: must be >= 1, got 0/, 1],
      [['backtest', '--data', data, '--from', '2030-01-01'], /--from 2030-01-01 is outside the data/, 1],
      [['backtest', '--data', data, '--capital', 'lots'], /--capital lots: not a decimal amount/, 1],
      [['backtest', '--frobnicate'], /unknown option '--frobnicate'/, 2],
      [['backtest', '--config', join(dir, 'nope.json')], /config file not found/, 1],
    ];
    for (const [args, re, code] of cases) {
      const r = dtao(args, { env });
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.code, args.join(' ')).toBe(code);
      expect(hasStack(r.stderr), args.join(' ')).toBe(false);
    }
  });

  it('a bad data file names its line and field', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, readFileSync(data, 'utf8').replace('"tao_in":"1000"', '"tao_in":"-1000"'));
    const r = dtao(['backtest', '--data', bad, '--out', join(dir, 'o4')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.jsonl:2: subnets\[0\] \(netuid 1\)\.tao_in: negative amount/);
  });

  it('a strategy that throws is reported with its name and block', () => {
    const strat = join(dir, 'boom.ts');
    writeFileSync(strat, `export default { name: 'boom', description: '', params: {}, decide(ctx) { if (ctx.step === 3) throw new Error('kaput'); } };\n`);
    const r = dtao(['backtest', '--data', data, '--strategy', strat, '--out', join(dir, 'o5')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/strategy "boom" failed at block 1005400: kaput/);
  });

  it('a config file with a typo is refused, naming the key', () => {
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ model: { curve: 'constant-product' }, capitol: '5' }));
    const r = dtao(['backtest', '--data', data, '--config', cfg], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cfg\.json: invalid config: .*model\.curve: .*constant_product.*Unrecognized key: "capitol"/);
  });
});

describe('dtao strategies', () => {
  it('lists the built-ins with their params', () => {
    const r = dtao(['strategies', '--json']);
    const names = JSON.parse(r.stdout).map((s: { name: string }) => s.name);
    expect(names).toEqual(['ema-trend', 'liquidity-drain-exit', 'root-only', 'top-emission', 'yield-rotation']);
  });
});
