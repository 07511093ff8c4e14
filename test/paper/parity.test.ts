/**
 * The parity property: the paper loop, run tick by tick against the devnet (served by the
 * market simulator) with --record, and a backtest of the recorded file with the same strategy
 * and config give the same orders and fills, to the rao, and the same report metrics. The
 * strategy trades at every tick (moves, stakes, unstakes, a move out of root, a refused order)
 * and keeps memory in ctx.state, which each --once session restores from the state file; the
 * config claims root dividends often, so claims are among the fills.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { FIXTURES, devnetOf, dtao, readState, simSource } from './helpers.ts';

const STRATEGY = join(FIXTURES, 'rotate.ts');
const CONFIG = join(FIXTURES, 'fast-claims.json');
const TICKS = 8;

interface TradeRow {
  run: string;
  step: string;
  block: string;
  type: string;
  netuid: string;
  from: string;
  to: string;
  status: string;
  input: string;
  output: string;
  fee: string;
  fee_tao: string;
  slippage_tao: string;
}

function readTrades(path: string): TradeRow[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  // No cell of these runs contains a comma (reasons are plain words).
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])) as unknown as TradeRow);
}

const key = (t: TradeRow) => [t.step, t.block, t.type, t.netuid, t.from, t.to, t.status, t.input, t.output, t.fee, t.fee_tao, t.slippage_tao].join('|');

describe('paper vs backtest parity', () => {
  let dev: DevnetServer;
  let dir: string;

  beforeAll(async () => {
    dev = await devnetOf(simSource(11, 4));
    dir = mkdtempSync(join(tmpdir(), 'dtao-paper-parity-'));
  });

  afterAll(async () => {
    await dev?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a backtest of the recorded file gives the same fills and metrics as the paper run', async () => {
    const state = join(dir, 'acct.json');
    const record = join(dir, 'seen.jsonl');
    // Uneven gaps between ticks, crossing epochs (tempo 360) and root-claim intervals (300).
    const gaps = [40, 250, 120, 400, 90, 333, 200, 61];
    for (let k = 0; k < TICKS; k++) {
      dev.produceBlocks(gaps[k]!);
      const r = await dtao(['paper', '--strategy', STRATEGY, '--config', CONFIG, '--endpoint', dev.url, '--state', state, '--record', record, '--once', '--quiet']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const s = readState(state);
    expect(s.ticks.length).toBe(TICKS);
    const paperOut = join(dir, 'paper-report');
    expect((await dtao(['status', '--state', state, '--out', paperOut])).code).toBe(0);

    const btOut = join(dir, 'backtest');
    const bt = await dtao(['backtest', '--data', record, '--strategy', STRATEGY, '--config', CONFIG, '--out', btOut, '--no-cache', '--json']);
    expect(bt.code).toBe(0);

    const paperTrades = readTrades(join(paperOut, 'trades.csv'));
    const btTrades = readTrades(join(btOut, 'trades.csv'));
    for (const run of ['rotate-test', 'root-100']) {
      const p = paperTrades.filter((t) => t.run === run).map(key);
      const b = btTrades.filter((t) => t.run === run).map(key);
      expect(p.length).toBeGreaterThan(0);
      expect(p).toEqual(b);
    }
    // The strategy really traded: every kind of fill appears.
    const types = new Set(paperTrades.filter((t) => t.run === 'rotate-test').map((t) => `${t.type}/${t.status}`));
    for (const want of ['stake/filled', 'unstake/filled', 'move/filled', 'stake/rejected', 'claim/filled']) expect(types).toContain(want);
    expect(paperTrades.filter((t) => t.run === 'rotate-test' && t.type === 'move' && t.from === '0').length).toBeGreaterThan(0);

    // The same metrics, byte for byte, for the strategy and the two benchmarks the paper run keeps.
    const paperReport = JSON.parse(readFileSync(join(paperOut, 'report.json'), 'utf8')) as { runs: Array<{ name: string }>; config: unknown; data: Record<string, unknown> };
    const btReport = JSON.parse(readFileSync(join(btOut, 'report.json'), 'utf8')) as typeof paperReport;
    for (const name of ['rotate-test', 'hold-tao', 'root-100']) {
      expect(paperReport.runs.find((r) => r.name === name)).toEqual(btReport.runs.find((r) => r.name === name));
    }
    expect(paperReport.config).toEqual(btReport.config);
    expect({ ...paperReport.data, file: '', sha256: '' }).toEqual({ ...btReport.data, file: '', sha256: '' });

    // The paper run's final portfolio is the backtest's.
    const final = (btReport.runs.find((r) => r.name === 'rotate-test') as unknown as { final_portfolio: { free: string; root: string; alpha: Record<string, string> } }).final_portfolio;
    const p = s.runs.strategy.portfolio;
    expect({ free: p.free, root: p.root, alpha: p.alpha }).toEqual(final);
    // Every filled pool leg was quoted by the devnet's runtime API; its pool math is ours, so no difference.
    const quotes = s.ticks.flatMap((t) => t.quotes);
    expect(quotes.length).toBeGreaterThan(TICKS);
    for (const q of quotes) expect(q).toMatchObject({ diff_rao: '0', rel_error: 0 });
    expect(quotes.some((q) => q.leg === 'move_sell') && quotes.some((q) => q.leg === 'move_buy')).toBe(true);
  });
});
