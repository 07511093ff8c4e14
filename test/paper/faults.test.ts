/**
 * The paper loop against a misbehaving node (the devnet's fault injection): an RPC error, a
 * slow answer and a dropped connection. A tick whose read fails is skipped and logged and
 * leaves the state byte for byte as it was; a read that succeeds on retry (after a reconnect)
 * ticks normally. Also the model-vs-chain check where the chain cannot or does not agree:
 * a runtime without the quote API, a failing quote request, and a pool model that is wrong.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChain, type ChainClient, type ChainClientOptions } from '../../src/chain/client.ts';
import { DEFAULT_RUN_CONFIG } from '../../src/config/run-config.ts';
import { CURRENT_RUNTIME, PRE_BALANCER_RUNTIME } from '../../src/devnet/runtime/runtime.ts';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { Portfolio } from '../../src/core/portfolio.ts';
import { loadStrategy } from '../../src/strategy/loader.ts';
import { runPaper, type PaperRunOptions } from '../../src/paper/loop.ts';
import { checkQuotes } from '../../src/paper/quote-check.ts';
import { datasetOf } from '../../src/paper/history.ts';
import { executeOrders } from '../../src/engine/executor.ts';
import { MarketView } from '../../src/engine/market.ts';
import { constantProduct } from '../../src/core/pool/index.ts';
import { START_BLOCK, ScriptSource, snapshotAt } from '../devnet/script-source.ts';
import { FIXTURES, devnetOf, memoryLog, readState } from './helpers.ts';

const FAST: Partial<ChainClientOptions> = {
  requestTimeoutMs: 300,
  connectTimeoutMs: 5000,
  reconnectDelayMs: 50,
  retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 200 },
};

async function optionsFor(client: ChainClient, state: string, log = memoryLog()): Promise<PaperRunOptions> {
  return {
    statePath: state, strategy: await loadStrategy(join(FIXTURES, 'stake-then-exit.ts')), params: {}, model: DEFAULT_RUN_CONFIG.model,
    capital: 1000_000_000_000n, chain: client, once: true, log,
  };
}

describe('paper ticks against faults of the node', () => {
  let dev: DevnetServer;
  let client: ChainClient;
  let dir: string;

  beforeAll(async () => {
    dev = await devnetOf(new ScriptSource());
    dev.produceBlocks(2);
    client = await connectChain({ endpoint: dev.url, ...FAST });
    dir = mkdtempSync(join(tmpdir(), 'dtao-paper-faults-'));
  });

  afterAll(async () => {
    await client?.disconnect();
    await dev?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips and logs a tick whose read fails (RPC error, slow answer), changing nothing, and ticks once the node answers', async () => {
    const state = join(dir, 'a.json');
    const first = await runPaper(await optionsFor(client, state));
    expect(first.last?.kind).toBe('ticked');
    dev.produceBlocks(1);
    const bytes = () => [readFileSync(state, 'utf8'), readFileSync(`${state}.history.jsonl`, 'utf8')];
    const before = bytes();

    const remove = dev.injectFault({ method: 'state_queryStorageAt', error: { code: -32000, message: 'node busy' } });
    const log = memoryLog();
    const failed = await runPaper(await optionsFor(client, state, log));
    remove();
    expect(failed.last).toMatchObject({ kind: 'read-failed', error: expect.stringMatching(/state_queryStorageAt: .*node busy/) });
    expect(log.lines.filter((l) => l.msg === 'snapshot read failed; tick skipped').length).toBe(1);
    expect(bytes()).toEqual(before);

    const slow = dev.injectFault({ method: 'state_queryStorageAt', delayMs: 2000 });
    const t0 = Date.now();
    const timedOut = await runPaper(await optionsFor(client, state));
    slow();
    expect(Date.now() - t0).toBeLessThan(1900); // 3 attempts of 0.3 s and 0.3 s of backoff, not the 2 s answer
    expect(timedOut.last).toMatchObject({ kind: 'read-failed', error: expect.stringMatching(/no answer within 0.3 s/) });
    expect(bytes()).toEqual(before);

    // One slow answer: the retry gets through and the tick happens.
    dev.injectFault({ method: 'state_queryStorageAt', delayMs: 2000, times: 1 });
    const retried = await runPaper(await optionsFor(client, state));
    expect(retried.last).toMatchObject({ kind: 'ticked', tick: { seq: 1, block: START_BLOCK + 3 } });
    expect(readState(state).ticks.map((t) => t.seq)).toEqual([0, 1]);
  });

  it('reconnects after a dropped connection and ticks', async () => {
    const state = join(dir, 'b.json');
    dev.produceBlocks(1);
    dev.injectFault({ method: 'state_getKeysPaged', drop: true, times: 1 });
    const log = memoryLog();
    const r = await runPaper(await optionsFor(client, state, log));
    expect(r.last).toMatchObject({ kind: 'ticked', tick: { seq: 0, block: dev.bestNumber } });
    expect(client.isConnected).toBe(true);
    // the same client keeps working after the drop
    dev.dropConnections();
    dev.produceBlocks(1);
    const again = await runPaper(await optionsFor(client, state, log));
    expect(again.last).toMatchObject({ kind: 'ticked', tick: { seq: 1, block: dev.bestNumber } });
  });
});

describe('model-vs-chain quote checks', () => {
  it('records quotes as unavailable on a runtime without SwapRuntimeApi', async () => {
    const dev = await devnetOf(new ScriptSource(), { runtimes: [{ fromBlock: 0, spec: PRE_BALANCER_RUNTIME }] });
    dev.produceBlocks(5);
    const client = await connectChain({ endpoint: dev.url, ...FAST });
    const dir = mkdtempSync(join(tmpdir(), 'dtao-paper-q-'));
    try {
      const r = await runPaper(await optionsFor(client, join(dir, 's.json')));
      expect(r.last?.kind).toBe('ticked');
      const t = readState(join(dir, 's.json')).ticks[0]!;
      expect(t.spec_version).toBe(422);
      expect(t.quotes).toEqual([{
        fill: 0, leg: 'stake', netuid: 2, side: 'stake', amount_rao: '10000000000', model_out_rao: '19840567411', chain_out_rao: null, diff_rao: null, rel_error: null,
        unavailable: 'the runtime has no SwapRuntimeApi quote',
      }]);
    } finally {
      await client.disconnect();
      await dev.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('measures the error of a wrong pool model, and records a failed quote request as unavailable', async () => {
    // The chain runs weighted pools (w_q = 0.4); the model is configured as constant product.
    const dev = await devnetOf(new ScriptSource({ quoteWeight: 0.4 }), { runtimes: [{ fromBlock: 0, spec: CURRENT_RUNTIME }] });
    dev.produceBlocks(5);
    const client = await connectChain({ endpoint: dev.url, ...FAST });
    const dir = mkdtempSync(join(tmpdir(), 'dtao-paper-q-'));
    try {
      const r = await runPaper(await optionsFor(client, join(dir, 's.json')));
      expect(r.last?.kind).toBe('ticked');
      const q = readState(join(dir, 's.json')).ticks[0]!.quotes[0]!;
      // Model (x*y=k): 19_840_567_411 as in the constant-product case.
      // Chain (weighted): x * (1 - (y / (y + net))^(w_q / w_b)) with y = 2005e9, x = 4000e9, net = 9_994_659_343, w_q / w_b = 2/3.
      const chain = 4000e9 * (1 - (2005e9 / (2005e9 + 9_994_659_343)) ** (2 / 3));
      expect(q.model_out_rao).toBe('19840567411');
      expect(Math.abs(Number(q.chain_out_rao) - chain)).toBeLessThan(1);
      expect(q.diff_rao).toBe(String(19_840_567_411n - BigInt(q.chain_out_rao!)));
      expect(q.rel_error).toBeCloseTo((19_840_567_411 - chain) / chain, 9);
      expect(q.unavailable).toBeUndefined();

      // A quote request the node fails (after retries): the check is kept, marked unavailable.
      const snap = snapshotAt(START_BLOCK + 5, { quoteWeight: 0.4 });
      const data = datasetOf([snap], 'test', {})!;
      const market = new MarketView(data, constantProduct, 'persistent');
      market.moveTo(0);
      const portfolio = new Portfolio(100_000_000_000n);
      const fills = executeOrders({ market, portfolio, model: DEFAULT_RUN_CONFIG.model, step: 0, time: snap.time }, [{ type: 'stake', netuid: 1, tao: '2' }]);
      dev.injectFault({ method: 'state_call', error: { code: -32000, message: 'runtime panicked' } });
      const checks = await checkQuotes(client, dev.blockHash(START_BLOCK + 5)!, data, 0, DEFAULT_RUN_CONFIG.model, fills);
      dev.clearFaults();
      expect(checks).toEqual([expect.objectContaining({ leg: 'stake', netuid: 1, amount_rao: '2000000000', chain_out_rao: null, rel_error: null, unavailable: expect.stringMatching(/^chain quote failed: .*runtime panicked/) })]);
    } finally {
      await client.disconnect();
      await dev.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
