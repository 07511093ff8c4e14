/**
 * `dtao paper --once`, tick by tick, against the devnet on 127.0.0.1 serving the scripted
 * market (subnet n: 1000*n + k TAO against 4000 alpha at block START + k, fee rate 33 + n), so
 * every fill can be computed by hand. Also: a block already ticked is skipped, another
 * identity is refused, --reset starts over, and the state file is JSON lines of a known shape.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { START_BLOCK, ScriptSource } from '../devnet/script-source.ts';
import { FIXTURES, devnetOf, dtao, readState } from './helpers.ts';

const STRATEGY = join(FIXTURES, 'stake-then-exit.ts');

describe('dtao paper --once', () => {
  let dev: DevnetServer;
  let dir: string;
  let state: string;
  const paper = (...extra: string[]) => dtao(['paper', '--strategy', STRATEGY, '--endpoint', dev.url, '--state', state, '--once', '--quiet', ...extra]);

  beforeAll(async () => {
    dev = await devnetOf(new ScriptSource());
    dir = mkdtempSync(join(tmpdir(), 'dtao-paper-once-'));
    state = join(dir, 'acct.json');
  });

  afterAll(async () => {
    await dev?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('first tick: stakes 10 TAO into subnet 2 exactly as the pool curve gives, the benchmark stakes everything on root', async () => {
    dev.produceBlocks(5); // head at START + 5
    const r = await paper();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`tick 0 at block ${START_BLOCK + 5}: 1 trade\\(s\\)`));
    const s = readState(state);
    expect(s.format).toBe('dtao-paper/1');
    expect(s.identity).toMatchObject({ strategy: 'stake-then-exit', capital: '1000', genesis_hash: dev.genesisHash, params: {} });
    expect(s.ticks.length).toBe(1);
    const t = s.ticks[0]!;
    expect(t).toMatchObject({ seq: 0, block: START_BLOCK + 5, hash: dev.blockHash(START_BLOCK + 5), time: '2026-01-01T00:01:00Z', spec_version: 424 });
    // subnet 2 at START+5: y = 2005 TAO, x = 4000 alpha, fee 35/65535 on the input:
    //   fee = floor(10e9 * 35 / 65535) = 5_340_657, net = 9_994_659_343,
    //   alpha = floor(4000e9 * net / (2005e9 + net)) = 19_840_567_411
    const fills = t.marks.strategy.fills;
    expect(fills.length).toBe(1);
    expect(fills[0]).toMatchObject({ step: 0, block: START_BLOCK + 5, type: 'stake', netuid: 2, status: 'filled', input: '10', output: '19.840567411', fee: '0.005340657' });
    expect(s.runs.strategy.portfolio).toMatchObject({ free: '990', root: '0', alpha: { 2: '19.840567411' } });
    expect(s.runs.strategy.flows).toEqual({ 2: { tao: '9994659343', alpha: '19840567411' } });
    // The benchmark: all 1000 TAO on root, 1:1.
    expect(s.runs.root_100.portfolio).toMatchObject({ free: '0', root: '1000', alpha: {} });
    expect(t.marks.root_100.value_spot).toBe('1000');
    // Model and chain quote the same stake on the observed pool: same alpha to the rao.
    expect(t.quotes).toEqual([{
      fill: 0, leg: 'stake', netuid: 2, side: 'stake', amount_rao: '10000000000', model_out_rao: '19840567411', chain_out_rao: '19840567411', diff_rao: '0', rel_error: 0,
    }]);
    // Spot value of the alpha on the pool after our stake: a * (y + net) / (x - a), floored.
    const y = 2005_000_000_000n + 9_994_659_343n;
    const x = 4000_000_000_000n - 19_840_567_411n;
    expect(t.marks.strategy.value_spot).toBe(formatRao(990_000_000_000n + (19_840_567_411n * y) / x));
  });

  it('a block already ticked on is skipped and changes nothing', async () => {
    const before = readFileSync(state, 'utf8');
    const r = await paper();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`block ${START_BLOCK + 5} is not newer than the last tick (block ${START_BLOCK + 5}); nothing done`);
    expect(readFileSync(state, 'utf8')).toBe(before);
  });

  it('second tick: unstakes the position from the pool our own stake moved (persistent impact), restored from the state file', async () => {
    dev.produceBlocks(3); // START + 8: observed y = 2008 TAO, x = 4000 alpha
    const r = await paper();
    expect(r.code).toBe(0);
    const s = readState(state);
    expect(s.ticks.map((t) => t.seq)).toEqual([0, 1]);
    // Our flow stays in the pool: y = 2008e9 + 9_994_659_343 = 2_017_994_659_343, x = 4000e9 - 19_840_567_411 = 3_980_159_432_589.
    // Sell A = 19_840_567_411: fee = floor(A * 35 / 65535) = 10_596_167, net = 19_829_971_244,
    //   tao = floor(y * net / (x + net)) = 10_004_220_517. No epoch of subnet 2 falls in (START+5, START+8].
    const f = s.ticks[1]!.marks.strategy.fills;
    expect(f).toEqual([expect.objectContaining({ step: 1, type: 'unstake', netuid: 2, status: 'filled', input: '19.840567411', output: '10.004220517', fee: '0.010596167' })]);
    expect(s.runs.strategy.portfolio).toMatchObject({ free: '1000.004220517', root: '0', alpha: {} });
    // The chain quotes on the observed pool (no flow of ours): floor(2008e9 * net / (4000e9 + net)) = 9_905_538_926;
    // the model, on the same observed pool, says the same.
    expect(s.ticks[1]!.quotes).toEqual([{
      fill: 0, leg: 'unstake', netuid: 2, side: 'unstake', amount_rao: '19840567411', model_out_rao: '9905538926', chain_out_rao: '9905538926', diff_rao: '0', rel_error: 0,
    }]);
    expect(s.ticks[1]!.marks.strategy.value_spot).toBe('1000.004220517');
    // The log file has JSON lines, one per fill and tick.
    const log = readFileSync(`${state}.log`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string; seq?: number });
    expect(log.filter((l) => l.msg === 'tick').map((l) => l.seq)).toEqual([0, 1]);
    expect(log.filter((l) => l.msg === 'fill').length).toBe(2);
    // History: header + one line per tick.
    const history = readFileSync(`${state}.history.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { block?: number; format?: string });
    expect(history[0]!.format).toBe('dtao-snapshots/1');
    expect(history.slice(1).map((h) => h.block)).toEqual([START_BLOCK + 5, START_BLOCK + 8]);
    expect(existsSync(`${state}.lock`)).toBe(false);
  });

  it('status shows the portfolio, values and P&L from the state', async () => {
    const r = await dtao(['status', '--state', state, '--json']);
    expect(r.code).toBe(0);
    const st = JSON.parse(r.stdout) as Record<string, any>;
    expect(st.ticks).toBe(2);
    expect(st.portfolio).toEqual({ free: '1000.004220517', root: '0', alpha: {}, claimable: {} });
    expect(st.value.strategy).toEqual({ spot: '1000.004220517', liquidation: '1000.004220517' });
    expect(st.value.root_100).toEqual({ spot: '1000', liquidation: '1000' });
    expect(st.pnl.vs_hold_tao).toEqual({ spot: '0.004220517', liquidation: '0.004220517', spot_return: 4_220_517 / 1e12, liquidation_return: 4_220_517 / 1e12 });
    expect(st.quotes).toMatchObject({ compared: 2, unavailable: 0, mean_abs_rel_error: 0, max_abs_rel_error: 0, max_abs_diff_rao: '0' });
    expect(st.last_ticks.map((t: { trades: number }) => t.trades)).toEqual([1, 1]);
    const text = await dtao(['status', '--state', state]);
    expect(text.stdout).toContain('hold TAO   +0.0042 (+0.00%)');
    expect(text.stdout).toContain('2 compared, 0 unavailable; |relative error| mean 0, max 0; largest difference 0 rao');
  });

  it('refuses a state of another identity, naming what differs, until --reset', async () => {
    const before = readFileSync(state, 'utf8');
    const other = await paper('--capital', '50', '--param', 'x=1');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/has no param "x"/);
    const r = await paper('--capital', '50');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dtao: error: .*acct\.json belongs to another paper account \(capital: 1000 TAO in the state, 50 TAO now\); .*--reset/);
    expect(r.stderr.trim().split('\n').length).toBe(1);
    const cfg = await paper('--config', join(FIXTURES, 'fast-claims.json'));
    expect(cfg.stderr).toMatch(/model claim_every_blocks: 7200 in the state, 300 now; capital: 1000 TAO in the state, 500 TAO now/);
    const strat = await dtao(['paper', '--strategy', 'root-only', '--endpoint', dev.url, '--state', state, '--once', '--quiet']);
    expect(strat.stderr).toMatch(/strategy: "stake-then-exit" in the state, "root-only" now/);
    expect(readFileSync(state, 'utf8')).toBe(before);
    const other2 = await devnetOf(new ScriptSource(), { genesisLabel: 'another chain' });
    try {
      const chain = await dtao(['paper', '--strategy', STRATEGY, '--endpoint', other2.url, '--state', state, '--once', '--quiet']);
      expect(chain.stderr).toContain(`chain: genesis ${dev.genesisHash} in the state, ${other2.genesisHash} at the endpoint`);
    } finally {
      await other2.close();
    }

    const reset = await paper('--capital', '50', '--reset');
    expect(reset.code).toBe(0);
    const s = readState(state);
    expect(s.identity.capital).toBe('50');
    expect(s.ticks.map((t) => [t.seq, t.block])).toEqual([[0, START_BLOCK + 8]]);
    const history = readFileSync(`${state}.history.jsonl`, 'utf8').trim().split('\n');
    expect(history.length).toBe(2);
  });
});

describe('user mistakes', () => {
  it('are one line naming what is wrong, with no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtao-paper-errors-'));
    try {
      const state = join(dir, 's.json');
      const cases: Array<[string[], RegExp]> = [
        [['paper', '--strategy', STRATEGY, '--state', state, '--schedule', '61 * * * *'], /^dtao: error: --schedule "61 \* \* \* \*" is not a cron expression \(.*\); use 5 fields/],
        [['paper', '--strategy', STRATEGY, '--state', state, '--endpoint', 'http://127.0.0.1:1'], /^dtao: error: endpoint "http:\/\/127.0.0.1:1" is not a WebSocket URL/],
        [['paper', '--strategy', 'no-such-strategy', '--state', state], /^dtao: error: unknown strategy "no-such-strategy"; built-ins: /],
        [['paper', '--strategy', STRATEGY, '--state', state, '--capital', '-5'], /^dtao: error: --capital -5: negative amount/],
        [['status', '--state', join(dir, 'none.json')], /^dtao: error: paper state not found: .*none\.json/],
      ];
      for (const [args, want] of cases) {
        const r = await dtao(args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toMatch(want);
        expect(r.stderr.trim().split('\n').length).toBe(1);
      }
      expect(existsSync(state)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function formatRao(rao: bigint): string {
  const whole = rao / 1_000_000_000n;
  const frac = (rao % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}
