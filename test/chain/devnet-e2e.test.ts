/**
 * The chain adapter end to end: the real @polkadot/api client connected to the devnet on
 * 127.0.0.1 (port 0). Snapshots read at block hashes must equal what the block source produced
 * for those blocks; quotes must equal hand-computed constant-product numbers; faults must end
 * as whole failed reads or recover, never as hangs or partial snapshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChain } from '../../src/chain/client.ts';
import type { ChainClient, ChainClientOptions, ChainLog } from '../../src/chain/client.ts';
import { BlockUnavailableError, ChainReadError, ChainTimeoutError } from '../../src/chain/errors.ts';
import { UserError } from '../../src/core/errors.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { CURRENT_RUNTIME, PRE_BALANCER_RUNTIME } from '../../src/devnet/runtime/runtime.ts';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { startDevnet } from '../../src/devnet/server.ts';
import { createMarketSim } from '../../src/sim/market.ts';
import { START_BLOCK, ScriptSource, TAO, snapshotAt } from '../devnet/script-source.ts';

interface LogLine { level: string; msg: string }

function recordingLog(lines: LogLine[]): ChainLog {
  return {
    info: (_o, msg) => lines.push({ level: 'info', msg }),
    warn: (_o, msg) => lines.push({ level: 'warn', msg }),
    debug: () => {},
  };
}

const FAST: Partial<ChainClientOptions> = {
  requestTimeoutMs: 1000,
  connectTimeoutMs: 5000,
  reconnectDelayMs: 50,
  retry: { attempts: 3, baseDelayMs: 30, maxDelayMs: 100 },
};

/** The script's snapshot as the chain serves it: the price with the runtime API's 1e-9 step, the default pool weight. */
function served(block: number): Snapshot {
  const s = snapshotAt(block);
  return { ...s, subnets: s.subnets.map((sn) => ({ ...sn, price: Math.floor(sn.price! * 1e9) / 1e9, quoteWeight: 0.5 })) };
}

describe('chain adapter on the devnet', () => {
  let dev: DevnetServer;
  let client: ChainClient;
  const log: LogLine[] = [];

  beforeAll(async () => {
    dev = await startDevnet({ source: new ScriptSource(), blockTimeMs: 0, stateWindow: 8 });
    dev.produceBlocks(5);
    client = await connectChain({ endpoint: dev.url, ...FAST, log: recordingLog(log) });
  });

  afterAll(async () => {
    await client?.disconnect();
    await dev?.close();
  });

  it('connects to a subtensor runtime', () => {
    expect(client.specName).toBe('node-subtensor');
    expect(client.specVersion).toBe(424);
    expect(client.genesisHash).toBe(dev.genesisHash);
  });

  it('reads snapshots at several block hashes, each equal to the source\'s state at that block', async () => {
    for (const b of [START_BLOCK + 1, START_BLOCK + 3, START_BLOCK + 5]) {
      const before = dev.requestCounts();
      const r = await client.readSnapshot(dev.blockHash(b)!);
      const after = dev.requestCounts();
      // batched: one storage query and one price call for all subnets and items
      expect((after.state_queryStorageAt ?? 0) - (before.state_queryStorageAt ?? 0)).toBe(1);
      expect((after.state_call ?? 0) - (before.state_call ?? 0)).toBe(1);
      expect(after.state_getStorage).toBeUndefined();
      expect(r.blockHash).toBe(dev.blockHash(b));
      expect(r.blockNumber).toBe(b);
      expect(r.specVersion).toBe(424);
      const want = served(b);
      expect(r.snapshot.taoWeight).toBeCloseTo(0.18, 15);
      expect({ ...r.snapshot, taoWeight: 0.18 }).toEqual(want);
    }
    // by number, and the finalized head by default
    expect((await client.readSnapshot(START_BLOCK + 2)).snapshot).toEqual({ ...served(START_BLOCK + 2), taoWeight: expect.closeTo(0.18, 15) });
    expect((await client.readSnapshot()).blockNumber).toBe(dev.bestNumber);
  });

  it('quotes stakes and unstakes like a hand-computed constant-product swap with the fee on the input', async () => {
    const at = dev.blockHash(START_BLOCK + 5)!;
    // subnet 2 at START+5: y = 2005 TAO, x = 4000 alpha, fee rate 35/65535
    // stake 10 TAO: fee = floor(1e10*35/65535) = 5_340_657; net = 9_994_659_343;
    //   alpha = floor(4000e9 * net / (2005e9 + net)) = 19_840_567_411;
    //   slippage = floor(1e10 / (2005/4000)) - alpha = 19_950_124_688 - 19_840_567_411
    expect(await client.quoteStake(2, 10n * TAO, at)).toEqual({
      netuid: 2, blockHash: at, side: 'stake', amountIn: 10n * TAO,
      taoAmount: 9_994_659_343n, alphaAmount: 19_840_567_411n, taoFee: 5_340_657n, alphaFee: 0n, taoSlippage: 0n, alphaSlippage: 109_557_277n,
    });
    // unstake 100 alpha: fee = 53_406_576; net = 99_946_593_424; tao = floor(2005e9 * net / (4000e9 + net)) = 48_876_958_577;
    //   slippage = 100 * 0.50125 TAO - tao = 50_125_000_000 - 48_876_958_577
    expect(await client.quoteUnstake(2, 100n * TAO, at)).toEqual({
      netuid: 2, blockHash: at, side: 'unstake', amountIn: 100n * TAO,
      taoAmount: 48_876_958_577n, alphaAmount: 99_946_593_424n, taoFee: 0n, alphaFee: 53_406_576n, taoSlippage: 1_248_041_423n, alphaSlippage: 0n,
    });
    // root is 1:1 with no fee
    expect(await client.quoteStake(0, 7n * TAO, at)).toMatchObject({ taoAmount: 7n * TAO, alphaAmount: 7n * TAO, taoFee: 0n });
  });

  it('follows new heads with the hashes the node gives', async () => {
    const heads: Array<{ number: number; hash: string }> = [];
    const stop = await client.followHeads((h) => heads.push(h));
    dev.produceBlocks(2);
    const until = Date.now() + 2000;
    while (heads.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    stop();
    expect(heads.map((h) => h.number)).toEqual([START_BLOCK + 5, START_BLOCK + 6, START_BLOCK + 7]);
    for (const h of heads) expect(h.hash).toBe(dev.blockHash(h.number));
  });

  it('fails at once with a clear error for a block whose state is pruned', async () => {
    dev.produceBlocks(10); // window of 8 blocks: START+1 is long gone
    log.length = 0;
    const err = await client.readSnapshot(dev.blockHash(START_BLOCK + 1)!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockUnavailableError);
    expect((err as Error).message).toMatch(/does not have this block's state .*State already discarded.* archive node/);
    expect(log.filter((l) => /retrying/.test(l.msg))).toEqual([]); // not retried
    await expect(client.readSnapshot(dev.bestNumber + 100)).rejects.toThrow(/block \d+ is not known/);
    await expect(client.readSnapshot(`0x${'ee'.repeat(32)}`)).rejects.toBeInstanceOf(BlockUnavailableError); // a hash the node never had
    expect(log.filter((l) => /retrying/.test(l.msg))).toEqual([]);
  });

  it('recovers from a dropped connection: the next read and the head subscription work again', async () => {
    const heads: number[] = [];
    const stop = await client.followHeads((h) => heads.push(h.number));
    log.length = 0;
    dev.dropConnections();
    const r = await client.readSnapshot();
    expect(r.snapshot).toEqual({ ...served(dev.bestNumber), taoWeight: expect.closeTo(0.18, 15) });
    expect(client.isConnected).toBe(true);
    expect(log.some((l) => l.msg === 'connection lost; reconnecting')).toBe(true);
    dev.produceBlocks(1);
    const until = Date.now() + 2000;
    while (!heads.includes(dev.bestNumber) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    stop();
    expect(heads).toContain(dev.bestNumber);
  });

  it('turns a slow or silent node into a timeout error, not a hang', async () => {
    const slow = await connectChain({ endpoint: dev.url, ...FAST, requestTimeoutMs: 250, retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 20 } });
    try {
      const remove = dev.injectFault({ method: 'state_queryStorageAt', delayMs: 5000 });
      const t0 = Date.now();
      await expect(slow.readSnapshot()).rejects.toBeInstanceOf(ChainTimeoutError);
      expect(Date.now() - t0).toBeLessThan(2000);
      remove();
      dev.injectFault({ method: 'state_getKeysPaged', hang: true, times: 2 });
      await expect(slow.readSnapshot()).rejects.toThrow(/state_getKeysPaged: no answer within 0.25 s/);
      expect((await slow.readSnapshot()).blockNumber).toBe(dev.bestNumber);
    } finally {
      dev.clearFaults();
      await slow.disconnect();
    }
  });

  it('reports a node error as a failed read with no snapshot, and retries a passing one', async () => {
    const remove = dev.injectFault({ method: 'state_call', error: { code: -32000, message: 'boom' } });
    const got = await client.readSnapshot().then((s) => s, (e: unknown) => e);
    remove();
    expect(got).toBeInstanceOf(ChainReadError);
    expect((got as Error).message).toMatch(/state_call: .*boom/);
    dev.injectFault({ method: 'state_queryStorageAt', error: { code: -32000, message: 'busy' }, times: 1 });
    log.length = 0;
    const r = await client.readSnapshot();
    expect(r.snapshot).toEqual({ ...served(dev.bestNumber), taoWeight: expect.closeTo(0.18, 15) });
    expect(log.filter((l) => /retrying/.test(l.msg)).length).toBe(1);
  });
});

describe('chain adapter across a runtime upgrade', () => {
  it('leaves out what the older runtime lacks and reads the rest', async () => {
    const upgradeAt = START_BLOCK + 3;
    const dev = await startDevnet({
      source: new ScriptSource({ quoteWeight: 0.4 }),
      blockTimeMs: 0,
      runtimes: [{ fromBlock: 0, spec: PRE_BALANCER_RUNTIME }, { fromBlock: upgradeAt, spec: CURRENT_RUNTIME }],
    });
    dev.produceBlocks(6);
    const client = await connectChain({ endpoint: dev.url, ...FAST });
    try {
      const before = await client.readSnapshot(upgradeAt - 1);
      expect(before.specVersion).toBe(422);
      expect(before.capabilities).not.toContain('Swap.SwapBalancer');
      expect(before.capabilities).not.toContain('SwapRuntimeApi_current_alpha_price_all');
      const sn = before.snapshot.subnets[1]!;
      expect(sn.quoteWeight).toBeUndefined();
      expect(sn.price).toBe((2000 + 2) / 4000); // no price API: from the pool curve, y/x
      expect(await client.quoteStake(2, TAO, upgradeAt - 1)).toBeUndefined();

      const after = await client.readSnapshot(upgradeAt + 1);
      expect(after.specVersion).toBe(424);
      expect(after.capabilities).toContain('Swap.SwapBalancer');
      const wsn = after.snapshot.subnets[1]!;
      expect(wsn.quoteWeight).toBe(0.4);
      // weighted pool: p = (w_b / w_q) * y / x = 1.5 * 2004 / 4000 = 0.7515, from the runtime API (1e-9 steps)
      expect(Math.abs(wsn.price! - 0.7515)).toBeLessThanOrEqual(1e-9);
      expect((await client.quoteStake(2, TAO, upgradeAt + 1))?.taoFee).toBe(534_065n); // floor(1e9 * 35 / 65535)
      expect(client.specVersion).toBe(424);
    } finally {
      await client.disconnect();
      await dev.close();
    }
  });
});

describe('chain adapter connected while the chain upgrades', () => {
  it('follows the new runtime and still reads blocks of the old one', async () => {
    const upgradeAt = START_BLOCK + 4;
    const dev = await startDevnet({
      source: new ScriptSource({ quoteWeight: 0.4 }),
      blockTimeMs: 0,
      runtimes: [{ fromBlock: 0, spec: PRE_BALANCER_RUNTIME }, { fromBlock: upgradeAt, spec: CURRENT_RUNTIME }],
    });
    dev.produceBlocks(1);
    const client = await connectChain({ endpoint: dev.url, ...FAST });
    try {
      expect(client.specVersion).toBe(422);
      const old = await client.readSnapshot();
      expect(old.specVersion).toBe(422);
      expect(old.snapshot.subnets[0]!.quoteWeight).toBeUndefined();
      dev.produceBlocks(4); // past the upgrade
      const until = Date.now() + 2000;
      while (client.specVersion !== 424 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(client.specVersion).toBe(424); // told by the runtime version subscription
      const now = await client.readSnapshot();
      expect(now.specVersion).toBe(424);
      expect(now.snapshot.subnets[0]!.quoteWeight).toBe(0.4);
      const again = await client.readSnapshot(old.blockHash);
      expect(again.specVersion).toBe(422);
      expect({ ...again.snapshot, taoWeight: 0 }).toEqual({ ...old.snapshot, taoWeight: 0 });
    } finally {
      await client.disconnect();
      await dev.close();
    }
  });
});

describe('connecting', () => {
  it('refuses a URL that is not ws:// or wss://', async () => {
    await expect(connectChain({ endpoint: 'https://entrypoint-finney.opentensor.ai' })).rejects.toThrow(UserError);
    await expect(connectChain({ endpoint: 'not a url' })).rejects.toThrow(/is not a WebSocket URL; give ws:\/\/host:port/);
  });

  it('gives up on a node that cannot be reached, with one clear line', async () => {
    const dev = await startDevnet({ source: new ScriptSource(), blockTimeMs: 0 });
    const url = dev.url;
    await dev.close(); // nothing listens there now
    const err = await connectChain({ endpoint: url, reconnectDelayMs: 20, connectAttempts: 2, connectTimeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(new RegExp(`^cannot connect to ${url}: 2 connection attempts failed .*check the address`));
    expect((err as Error).message).not.toContain('\n');
  });

  it('reads the devnet\'s very first block right after it starts', async () => {
    const dev = await startDevnet({ source: new ScriptSource(), blockTimeMs: 0 });
    const client = await connectChain({ endpoint: dev.url, ...FAST });
    try {
      const r = await client.readSnapshot();
      expect(r.blockNumber).toBe(START_BLOCK);
      expect(r.snapshot).toEqual({ ...served(START_BLOCK), taoWeight: expect.closeTo(0.18, 15) });
    } finally {
      await client.disconnect();
      await dev.close();
    }
  });

  it('recognises a chain that is not subtensor', async () => {
    const dev = await startDevnet({
      source: new ScriptSource(), blockTimeMs: 0,
      runtimes: [{ fromBlock: 0, spec: { specName: 'polkadot', specVersion: 1_003_000, features: { swapBalancer: false, swapRuntimeApi: false }, omitPallets: ['SubtensorModule', 'Swap'] } }],
    });
    try {
      await expect(connectChain({ endpoint: dev.url, ...FAST })).rejects.toThrow(/is not a Bittensor subtensor node \(chain "dtao-lab devnet", runtime "polkadot" has no SubtensorModule\)/);
    } finally {
      await dev.close();
    }
  });
});

describe('devnet driven by the market simulator', () => {
  it('serves what the simulator computes, block by block', async () => {
    const sim = createMarketSim({ scenario: 'mixed', seed: 7, subnets: 4 });
    const produced = new Map<number, Snapshot>();
    const source = {
      get block() { return sim.block; },
      get timeMs() { return sim.timeMs; },
      get totalIssuance() { return sim.totalIssuance; },
      stepBlock: () => sim.stepBlock(),
      snapshot: () => {
        const s = sim.snapshot();
        produced.set(s.block, s);
        return s;
      },
    };
    const dev = await startDevnet({ source, blockTimeMs: 0 });
    dev.produceBlocks(4);
    const client = await connectChain({ endpoint: dev.url, ...FAST });
    try {
      for (const b of [sim.block - 2, sim.block]) {
        const got = (await client.readSnapshot(b)).snapshot;
        const want = produced.get(b)!;
        expect(got.block).toBe(want.block);
        expect(Date.parse(got.time)).toBe(Date.parse(want.time));
        expect(got.rootStake).toBe(want.rootStake);
        expect(got.blockEmission).toBe(want.blockEmission);
        expect(got.taoWeight).toBeCloseTo(want.taoWeight!, 12);
        expect(got.subnets.map((s) => s.netuid)).toEqual(want.subnets.map((s) => s.netuid));
        got.subnets.forEach((g, i) => {
          const w = want.subnets[i]!;
          for (const f of ['taoIn', 'alphaIn', 'alphaOut', 'taoInEmission', 'alphaInEmission', 'alphaOutEmission', 'excessTao', 'feeRate', 'tempo', 'emissionEnabled', 'name'] as const) {
            expect(g[f], `${b}/${g.netuid}/${f}`).toEqual(w[f]);
          }
          // fixed point on chain: I96F32 / U96F32 keep 32 fractional bits; prices are served in rao per alpha
          expect(Math.abs(g.movingPrice! - w.movingPrice!)).toBeLessThanOrEqual(2 ** -32);
          expect(Math.abs(g.rootProp! - w.rootProp!)).toBeLessThanOrEqual(2 ** -32);
          expect(Math.abs(g.price! - w.price!)).toBeLessThan(1e-9);
        });
      }
    } finally {
      await client.disconnect();
      await dev.close();
    }
  });
});
