/**
 * `dtao paper` as a real process, killed with SIGKILL at chosen points (right as a tick starts
 * committing, and at other moments between and during ticks), restarted each time, and finally
 * stopped with SIGTERM. After every kill the state file parses and validates; the ticks go
 * 0, 1, 2, ... at increasing blocks with no gap or repeat; no fill appears twice; the history
 * holds exactly the ticks' snapshots. At the end, a clean run of the engine over the same
 * snapshots gives the same fills and the same portfolio, to the rao.
 *
 * Also: the debris a kill during a write can leave (a torn history line, a half-written temp
 * state file, a stale lock) is cleaned up at the next start; a second process on a state in use
 * is refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOne } from '../../src/backtest/run.ts';
import { loadRunConfig } from '../../src/config/run-config.ts';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { fillToJSON } from '../../src/engine/fill.ts';
import { datasetOf, scanHistory } from '../../src/paper/history.ts';
import { parsePaperState } from '../../src/paper/store.ts';
import type { PaperStateJson } from '../../src/paper/state.ts';
import { loadStrategy, resolveParams } from '../../src/strategy/loader.ts';
import { parseAmount } from '../../src/core/units.ts';
import { REPO_ROOT } from '../helpers/shared.ts';
import { DTAO, FIXTURES, devnetOf, dtao, simSource, until } from './helpers.ts';

const STRATEGY = join(FIXTURES, 'rotate.ts');
const CONFIG = join(FIXTURES, 'fast-claims.json');

interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function startPaper(url: string, state: string, failpoint?: string): Proc {
  const args = [DTAO, 'paper', '--strategy', STRATEGY, '--config', CONFIG, '--endpoint', url, '--state', state, '--record', `${state}.seen.jsonl`, '--schedule', '* * * * * *', '--log-level', 'debug', '--timeout', '5'];
  const env = { ...process.env };
  if (failpoint) env.DTAO_PAPER_FAILPOINT = failpoint;
  else delete env.DTAO_PAPER_FAILPOINT;
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

function checkState(path: string): PaperStateJson {
  // Parses and validates (format, shape, tick sequence) or throws.
  const s = parsePaperState(path, readFileSync(path, 'utf8'));
  s.ticks.forEach((t, k) => {
    expect(t.seq).toBe(k);
    if (k > 0) expect(t.block).toBeGreaterThan(s.ticks[k - 1]!.block);
  });
  const fills = s.ticks.flatMap((t) => t.marks.strategy.fills.map((f) => JSON.stringify(f)));
  expect(new Set(fills).size).toBe(fills.length);
  for (const t of s.ticks) for (const f of t.marks.strategy.fills) expect(f.step).toBe(t.seq);
  return s;
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('dtao paper killed with SIGKILL and restarted', () => {
  let dev: DevnetServer;
  let dir: string;
  const procs: Proc[] = [];

  beforeAll(async () => {
    dev = await devnetOf(simSource(23, 4), { blockTimeMs: 150 });
    dir = mkdtempSync(join(tmpdir(), 'dtao-paper-kill-'));
  });

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await dev?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never corrupts the state, never repeats or loses a committed tick, and ends where a clean run ends', async () => {
    const state = join(dir, 'acct.json');
    // Kill points: inside the commit (the process kills itself with SIGKILL right after the
    // history append, or right after the state write, before the record append); as the n-th
    // commit of the session is logged; or a fixed time after the session opened.
    const plan: Array<{ failpoint?: string; atCommit?: number; afterMs?: number }> = [
      { failpoint: 'after-history-append:2' }, { afterMs: 1300 }, { failpoint: 'after-state-write:2' }, { atCommit: 1 },
    ];
    let seen = 0;
    for (const [k, point] of plan.entries()) {
      const p = startPaper(dev.url, state, point.failpoint);
      procs.push(p);
      await until(() => p.err().includes('paper account opened'), 20_000, `session ${k} opened`);
      if (point.failpoint) await until(() => p.child.signalCode === 'SIGKILL', 15_000, `session ${k} reaching ${point.failpoint}`);
      else {
        if (point.atCommit !== undefined) await until(() => count(p.err(), 'committing tick') >= point.atCommit!, 15_000, `commit ${point.atCommit} of session ${k}`);
        else await new Promise((r) => setTimeout(r, point.afterMs));
        p.child.kill('SIGKILL');
      }
      await p.exited;
      expect(existsSync(`${state}.lock`)).toBe(true); // left behind by the killed process
      const s = checkState(state);
      expect(s.ticks.length).toBeGreaterThanOrEqual(seen);
      seen = s.ticks.length;
      if (point.failpoint?.startsWith('after-history-append')) {
        // The history is one line ahead of the state: the tick in progress, which is lost.
        expect(scanHistory(`${state}.history.jsonl`, s.ticks.at(-1)!.block).droppedLines).toBe(1);
      }
      if (k === 2) {
        // Debris of a write cut short: a torn history line and a half-written temp state file.
        const history = readFileSync(`${state}.history.jsonl`, 'utf8');
        appendFileSync(`${state}.history.jsonl`, history.split('\n').at(-2)!.slice(0, 80));
        writeFileSync(join(dir, '.acct.json.99999.1700000000000.tmp'), '{"format":"dtao-paper/1","ticks":[');
      }
    }
    expect(seen).toBeGreaterThanOrEqual(3);

    // The last session: a few more ticks, then SIGTERM: the loop stops cleanly with exit code 0.
    const last = startPaper(dev.url, state);
    procs.push(last);
    await until(() => count(last.err(), 'committing tick') >= 2, 20_000, 'two commits in the last session');
    expect(last.err()).toContain('took over the lock of a paper process that is gone');
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
    expect(last.out()).toMatch(/acct\.json: \d+ tick\(s\) this session \(\d+ in all\), \d+ skipped, 0 failed\n$/);
    expect(existsSync(`${state}.lock`)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const log = readFileSync(`${state}.log`, 'utf8');
    expect(log).toContain('cut off a torn last history line');
    expect(log).toContain('removed temp files of an interrupted state write');
    expect(log).toContain('dropped history lines of a tick that was not committed');
    expect(log).toContain('record file caught up with ticks it had missed');

    const s = checkState(state);
    const scanned = scanHistory(`${state}.history.jsonl`, s.ticks.at(-1)!.block);
    expect(scanned.snapshots.map((x) => x.block)).toEqual(s.ticks.map((t) => t.block));
    expect(scanned.keptBytes).toBe(scanned.size); // nothing past the last tick after a clean stop
    // The record file holds every snapshot ticked on, once, including the one whose append the
    // kill after the state write prevented (caught up at the next start).
    const recorded = scanHistory(`${state}.seen.jsonl`, Number.MAX_SAFE_INTEGER);
    expect(recorded.snapshots.map((x) => x.block)).toEqual(s.ticks.map((t) => t.block));

    // A clean run over the same snapshots: the engine from the start, in one go.
    const cfg = loadRunConfig(CONFIG);
    const loaded = await loadStrategy(STRATEGY);
    const data = datasetOf(scanned.snapshots, 'clean', {})!;
    const clean = runOne(
      { name: 'rotate-test', kind: 'strategy', strategy: loaded.strategy, params: resolveParams(loaded.strategy, {}) },
      { data, model: cfg.model, capital: parseAmount('500'), from: 0, to: data.snapshotCount - 1 },
    );
    const cleanFills = clean.fills.map((f) => JSON.parse(JSON.stringify(fillToJSON(f))) as unknown);
    expect(s.ticks.flatMap((t) => t.marks.strategy.fills)).toEqual(cleanFills);
    expect(s.runs.strategy.portfolio).toEqual(clean.portfolio.toJSON());
    expect(s.ticks.at(-1)!.marks.strategy.value_liquidation).toBe(formatRao(clean.finalLiquidation));
  });

  it('refuses a second process on a state file in use, in one line', async () => {
    const state = join(dir, 'busy.json');
    const first = startPaper(dev.url, state);
    procs.push(first);
    await until(() => first.err().includes('paper account opened'), 20_000, 'first session opened');
    const second = await dtao(['paper', '--strategy', STRATEGY, '--config', CONFIG, '--endpoint', dev.url, '--state', state, '--once', '--quiet']);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`dtao: error: ${state} is in use by another paper process (process ${first.child.pid}, lock file ${state}.lock); stop it first, or give another --state\n`);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(existsSync(`${state}.lock`)).toBe(false);
  });
});

function formatRao(rao: bigint): string {
  const whole = rao / 1_000_000_000n;
  const frac = (rao % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}
