/**
 * The paper loop's files one by one: the pid lock, the state file (atomic writes, damaged
 * files refused with a clear message), the history (lines of an uncommitted tick and a torn
 * line cut off), the identity comparison, and which fill legs get a chain quote.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { Portfolio } from '../../src/core/portfolio.ts';
import { formatHeaderLine, formatSnapshotLine } from '../../src/data/writer.ts';
import type { Fill } from '../../src/engine/fill.ts';
import { acquireStateLock } from '../../src/paper/lock.ts';
import { datasetOf, openHistory, scanHistory } from '../../src/paper/history.ts';
import { HistoryDataset } from '../../src/paper/history-data.ts';
import { writePaperReport } from '../../src/paper/report.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { identityDifferences } from '../../src/paper/identity.ts';
import { quoteLegs, relativeError } from '../../src/paper/quote-check.ts';
import { openStateStore, parsePaperState, readPaperState, removeStaleTempFiles } from '../../src/paper/store.ts';
import type { PaperIdentity, PaperStateJson } from '../../src/paper/state.ts';
import { snapshotAt, START_BLOCK } from '../devnet/script-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'dtao-paper-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the state lock', () => {
  it('admits one holder, refuses a live one by pid, takes over a dead one', () => {
    const state = join(dir, 'lock.json');
    const a = acquireStateLock(state);
    expect(readFileSync(`${state}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    expect(() => acquireStateLock(state)).toThrow(UserError);
    expect(() => acquireStateLock(state)).toThrow(`${state} is in use by another paper process (this process, lock file ${state}.lock); stop it first, or give another --state`);
    a.release();
    expect(existsSync(`${state}.lock`)).toBe(false);

    writeFileSync(`${state}.lock`, `${process.ppid}\n`); // the parent process is alive
    expect(() => acquireStateLock(state)).toThrow(`(process ${process.ppid}, lock file`);

    const gone = deadPid();
    writeFileSync(`${state}.lock`, `${gone}\n`);
    const b = acquireStateLock(state);
    expect(b.tookOverFrom).toBe(gone);
    b.release();
    writeFileSync(`${state}.lock`, 'not a pid');
    const c = acquireStateLock(state);
    expect(c.tookOverFrom).toBeUndefined();
    // release() leaves a lock that is no longer its own
    writeFileSync(`${state}.lock`, `${process.ppid}\n`);
    c.release();
    expect(readFileSync(`${state}.lock`, 'utf8')).toBe(`${process.ppid}\n`);
    rmSync(`${state}.lock`);
  });
});

function minimalState(): PaperStateJson {
  const portfolio = new Portfolio(1_000_000_000_000n).toJSON();
  const run = { portfolio, flows: {}, strategy_state: {}, notes: [] };
  return {
    format: 'dtao-paper/1',
    identity: { strategy: 's', strategy_sha256: 'x', params: {}, model: {}, capital: '1000', genesis_hash: '0x00' },
    settings: { strategy_ref: 's', endpoint: 'ws://127.0.0.1:1', schedule: null, record: null },
    runs: { strategy: run, root_100: run },
    ticks: [],
  };
}

describe('the state file', () => {
  it('is written whole through lowdb and read back the same; no temp file remains', () => {
    const path = join(dir, 'state.json');
    const db = openStateStore(path);
    expect(db.data).toBeNull();
    db.data = minimalState();
    db.write();
    expect(readPaperState(path)).toEqual(minimalState());
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Fields it does not know (from a newer version) survive a read.
    writeFileSync(path, JSON.stringify({ ...minimalState(), extra: { kept: true } }));
    expect((readPaperState(path) as unknown as { extra: unknown }).extra).toEqual({ kept: true });
  });

  it('refuses damaged or foreign files with what is wrong and what to do', () => {
    const path = join(dir, 'bad.json');
    expect(() => parsePaperState(path, '{"format":"dtao-paper/1",')).toThrow(new RegExp(`^${path}: not valid JSON .*move it away, or start over with --reset`));
    expect(() => parsePaperState(path, '{"format":"dtao-snapshots/1"}')).toThrow(`${path}: not a dtao paper state file (format is "dtao-snapshots/1", expected "dtao-paper/1"); choose another --state`);
    const noRuns = { ...minimalState(), runs: undefined };
    expect(() => parsePaperState(path, JSON.stringify(noRuns))).toThrow(/damaged paper state \(runs: .*\); move it away, or start over with --reset/);
    const tick = { seq: 0, block: 10, hash: '0x', time: 't', spec_version: 1, marks: { strategy: mark(), root_100: mark() }, quotes: [] };
    const twice = { ...minimalState(), ticks: [tick, { ...tick, seq: 1 }] };
    expect(() => parsePaperState(path, JSON.stringify(twice))).toThrow('damaged paper state (ticks[1].block 10 is not after the previous tick\'s block 10)');
    expect(() => readPaperState(join(dir, 'missing.json'))).toThrow(/paper state not found: .*missing\.json \(start one with `dtao paper --state/);
  });

  it('makes no report before the first tick', () => {
    expect(() => writePaperReport(join(dir, 'rep'), join(dir, 'x.json'), minimalState())).toThrow(/x\.json: no ticks yet, so nothing to report; run `dtao paper` first/);
  });

  it('cleans up temp files of an interrupted write, and only those', () => {
    const path = join(dir, 'acct.json');
    writeFileSync(join(dir, '.acct.json.1234.1700000000000.tmp'), '{');
    writeFileSync(join(dir, '.acct.json.notmine.tmp'), '{');
    writeFileSync(join(dir, '.other.json.1234.1700000000000.tmp'), '{');
    expect(removeStaleTempFiles(path)).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp')).sort()).toEqual(['.acct.json.notmine.tmp', '.other.json.1234.1700000000000.tmp']);
  });
});

function mark() {
  return { fills: [], equity_spot: 1, equity_liquidation: 1, root_value: 0, alpha_value: {}, yield_root: 0, yield_alpha: 0, value_spot: '1', value_liquidation: '1' };
}

describe('the history file', () => {
  const header = formatHeaderLine({ source: 'test' });
  const line = (k: number) => formatSnapshotLine(snapshotAt(START_BLOCK + k));

  it('keeps the lines up to the last tick, cuts off later ones and a torn line, and appends after them', () => {
    const path = join(dir, 'h1.jsonl');
    writeFileSync(path, [header, line(1), line(2), line(3), line(4)].join('\n') + '\n');
    appendFileSync(path, line(5).slice(0, 40));
    const scanned = scanHistory(path, START_BLOCK + 2);
    expect(scanned.snapshots.map((s) => s.block)).toEqual([START_BLOCK + 1, START_BLOCK + 2]);
    expect(scanned.droppedLines).toBe(2);
    expect(scanned.tornBytes).toBe(40);
    expect(readFileSync(path).length).toBe(scanned.size); // scanning changes nothing
    const h = openHistory(path, { source: 'test' }, START_BLOCK + 2);
    try {
      expect(readFileSync(path, 'utf8')).toBe([header, line(1), line(2)].join('\n') + '\n');
      expect(h.file.append(snapshotAt(START_BLOCK + 7))).toBe(true);
    } finally {
      h.file.close();
    }
    expect(readFileSync(path, 'utf8')).toBe([header, line(1), line(2), line(7)].join('\n') + '\n');
    // The kept snapshots are what the writer wrote, read back by the data reader.
    expect(scanned.snapshots[1]).toEqual({ ...snapshotAt(START_BLOCK + 2) });
  });

  it('keeps nothing before the first tick, and starts a new file after a torn header', () => {
    const path = join(dir, 'h2.jsonl');
    writeFileSync(path, header.slice(0, 10));
    const h = openHistory(path, { source: 'new' }, undefined);
    h.file.close();
    expect(h.snapshots).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(`${formatHeaderLine({ source: 'new' })}\n`);
  });

  it('refuses a line damaged outside dtao, naming file and line', () => {
    const path = join(dir, 'h3.jsonl');
    writeFileSync(path, [header, line(1), '{"block": oops', line(3)].join('\n') + '\n');
    expect(() => scanHistory(path, START_BLOCK + 9)).toThrow(`${path}:3: not a JSON line; the paper history was damaged outside dtao (start over with --reset)`);
  });
});

describe('the history as a growing dataset', () => {
  const snaps = [1, 2, 3, 4, 5].map((k) => snapshotAt(START_BLOCK + k, { subnets: 2 + (k % 3) }));
  // A subnet name that appears late, and one subnet without a name.
  snaps[3]!.subnets[1] = { ...snaps[3]!.subnets[1]!, name: 'renamed' };
  delete snaps[4]!.subnets[0]!.name;
  const same = (a: Dataset, b: Dataset) => {
    expect(a.snapshotCount).toBe(b.snapshotCount);
    expect(a.rowCount).toBe(b.rowCount);
    for (const k of Object.keys(b.cols) as (keyof Dataset['cols'])[]) expect(Array.from(a.cols[k] as ArrayLike<unknown>), k).toEqual(Array.from(b.cols[k] as ArrayLike<unknown>));
    expect({ ...a.meta, warnings: [] }).toEqual({ ...b.meta, warnings: [] });
  };

  it('equals a dataset built at once from the same snapshots, whether loaded or grown tick by tick', () => {
    const grown = new HistoryDataset('h', {});
    const views: Dataset[] = [];
    for (const s of snaps) {
      views.push(grown.preview(s));
      grown.commit();
    }
    same(grown.data!, datasetOf(snaps, 'h', {})!);
    same(new HistoryDataset('h', {}, snaps).data!, datasetOf(snaps, 'h', {})!);
    // Views handed out earlier still show their own snapshots only.
    same(views[1]!, datasetOf(snaps.slice(0, 2), 'h', {})!);
  });

  it('forgets a preview that is not committed', () => {
    const h = new HistoryDataset('h', {}, snaps.slice(0, 2));
    const next = snapshotAt(START_BLOCK + 9, { subnets: 4 });
    next.subnets[3]!.name = 'only in a discarded tick';
    const tried = h.preview(next);
    expect(tried.meta.names).toContain('only in a discarded tick');
    expect(tried.snapshotCount).toBe(3);
    expect(h.data!.snapshotCount).toBe(2);
    h.preview(snaps[2]!);
    h.commit();
    same(h.data!, datasetOf(snaps.slice(0, 3), 'h', {})!);
  });
});

describe('identity', () => {
  const base: PaperIdentity = {
    strategy: 'top-emission', strategy_sha256: 'aa', params: { n: 5 }, model: { curve: 'constant_product', tx_fee: '0' }, capital: '1000', genesis_hash: '0x01',
  };

  it('matches itself and names each difference', () => {
    expect(identityDifferences(base, { ...base })).toEqual([]);
    expect(identityDifferences(base, { ...base, strategy_sha256: 'bb', params: { n: 3 }, model: { curve: 'weighted', tx_fee: '0' }, capital: '5', genesis_hash: '0x02' })).toEqual([
      'strategy file: the code of "top-emission" has changed since the state was started',
      'param n: 5 in the state, 3 now',
      'model curve: constant_product in the state, weighted now',
      'capital: 1000 TAO in the state, 5 TAO now',
      'chain: genesis 0x01 in the state, 0x02 at the endpoint',
    ]);
    expect(identityDifferences(base, { ...base, strategy: 'root-only', params: {} })).toEqual(['strategy: "top-emission" in the state, "root-only" now']);
  });
});

describe('which fills are quoted by the chain', () => {
  const fill = (o: Partial<Fill>): Fill => ({
    step: 0, block: 1, time: 't', type: 'stake', status: 'filled', input: 0n, inputToken: 'tao', output: 0n, outputToken: 'alpha', fee: 0n, feeToken: 'tao',
    feeTao: 0n, slippageTao: 0n, txFee: 0n, spotBefore: 1, spotAfter: 1, ...o,
  });

  it('each pool leg once; root legs, rejected orders, claims and payouts not', () => {
    const legs = quoteLegs([
      fill({ type: 'stake', netuid: 3, input: 10n }),
      fill({ type: 'stake', netuid: 0, input: 5n }),
      fill({ type: 'stake', netuid: 4, input: 1n, status: 'rejected' }),
      fill({ type: 'unstake', netuid: 3, input: 7n, status: 'partial' }),
      fill({ type: 'move', from: 3, to: 5, input: 6n, viaTao: 2n }),
      fill({ type: 'move', from: 0, to: 5, input: 9n, viaTao: 9n }),
      fill({ type: 'move', from: 5, to: 0, input: 4n, viaTao: 1n }),
      fill({ type: 'claim', input: 0n }),
      fill({ type: 'deregister', netuid: 6, input: 8n }),
    ]);
    expect(legs).toEqual([
      { fill: 0, leg: 'stake', netuid: 3, side: 'stake', amount: 10n },
      { fill: 3, leg: 'unstake', netuid: 3, side: 'unstake', amount: 7n },
      { fill: 4, leg: 'move_sell', netuid: 3, side: 'unstake', amount: 6n },
      { fill: 4, leg: 'move_buy', netuid: 5, side: 'stake', amount: 2n },
      { fill: 5, leg: 'move_buy', netuid: 5, side: 'stake', amount: 9n },
      { fill: 6, leg: 'move_sell', netuid: 5, side: 'unstake', amount: 4n },
    ]);
  });

  it('relative error is (model - chain) / chain', () => {
    expect(relativeError(101n, 100n)).toBe(0.01);
    expect(relativeError(99n, 100n)).toBe(-0.01);
    expect(relativeError(0n, 0n)).toBe(0);
    expect(relativeError(5n, 0n)).toBeNull();
  });
});
