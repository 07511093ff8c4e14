/**
 * The devnet at the protocol level: raw JSON-RPC over a WebSocket on 127.0.0.1, no client
 * library in between. Storage keys and expected SCALE values are built by the test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TypeRegistry } from '@polkadot/types';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { DevnetServer } from '../../src/devnet/server.ts';
import { startDevnet } from '../../src/devnet/server.ts';
import { CURRENT_RUNTIME, PRE_BALANCER_RUNTIME } from '../../src/devnet/runtime/runtime.ts';
import { leHex, storageKey, u16le, u32le } from './keys.ts';
import { RawClient } from './raw-client.ts';
import { ISSUANCE, START_BLOCK, ScriptSource, TAO, timeMsAt } from './script-source.ts';

const S = 'SubtensorModule';
let servers: DevnetServer[] = [];
let clients: RawClient[] = [];

async function devnet(opts: Partial<Parameters<typeof startDevnet>[0]> = {}): Promise<{ dev: DevnetServer; rpc: RawClient; src: ScriptSource }> {
  const src = (opts.source as ScriptSource | undefined) ?? new ScriptSource();
  const dev = await startDevnet({ blockTimeMs: 0, stateWindow: 8, ...opts, source: src });
  servers.push(dev);
  const rpc = await RawClient.connect(dev.url);
  clients.push(rpc);
  return { dev, rpc, src };
}

afterEach(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.close();
  clients = [];
  servers = [];
});

describe('devnet JSON-RPC', () => {
  it('listens on 127.0.0.1 with port 0 resolved to a real port', async () => {
    const { dev } = await devnet();
    expect(dev.host).toBe('127.0.0.1');
    expect(dev.port).toBeGreaterThan(0);
    expect(dev.url).toBe(`ws://127.0.0.1:${dev.port}`);
  });

  it('answers the calls @polkadot/api makes on connect', async () => {
    const { rpc, dev } = await devnet();
    const methods = ((await rpc.call('rpc_methods')) as { methods: string[] }).methods;
    for (const m of ['chain_getBlockHash', 'chain_getHeader', 'chain_subscribeNewHead', 'state_call', 'state_getRuntimeVersion',
      'state_queryStorageAt', 'state_getKeysPaged', 'state_subscribeRuntimeVersion', 'system_chain', 'system_properties', 'system_health']) {
      expect(methods).toContain(m);
    }
    expect(await rpc.call('chain_getBlockHash', [0])).toBe(dev.genesisHash);
    const version = (await rpc.call('state_getRuntimeVersion')) as { specName: string; specVersion: number; apis: Array<[string, number]> };
    expect(version.specName).toBe('node-subtensor');
    expect(version.specVersion).toBe(424);
    expect(version.apis).toContainEqual(['0x37e397fc7c91f5e4', 2]); // Metadata API v2: the client fetches metadata by state_call
    // Metadata_metadata_versions -> Vec<u32> [16]: compact length 1, then 16 as u32 LE
    expect(await rpc.call('state_call', ['Metadata_metadata_versions', '0x'])).toBe('0x0410000000');
    const opaque = (await rpc.call('state_call', ['Metadata_metadata_at_version', '0x10000000'])) as string;
    expect(opaque.slice(0, 4)).toBe('0x01'); // Some(...)
    expect(opaque).toContain('6d65746110'); // "meta" + version 16
    expect(await rpc.call('state_call', ['Metadata_metadata_at_version', '0x0e000000'])).toBe('0x00'); // no V14
    expect(await rpc.call('system_properties')).toEqual({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' });
  });

  it('serves the source\'s state as SCALE storage values at a block hash', async () => {
    const { rpc, dev } = await devnet();
    dev.produceBlocks(3); // blocks START..START+3
    const at = dev.blockHash(START_BLOCK + 2)!;
    const k = 2n; // blocks since the start
    const get = (key: string) => rpc.call('state_getStorage', [key, at]);
    expect(await get(storageKey('System', 'Number'))).toBe(leHex(START_BLOCK + 2, 4));
    expect(await get(storageKey('Timestamp', 'Now'))).toBe(leHex(timeMsAt(START_BLOCK + 2), 8));
    // subnet 2: tao_in = (2000 + k) TAO, u64 LE
    expect(await get(storageKey(S, 'SubnetTAO', 'Identity', u16le(2)))).toBe(leHex((2000n + k) * TAO, 8));
    expect(await get(storageKey(S, 'SubnetTAO', 'Identity', u16le(0)))).toBe(leHex(4_500_000n * TAO + k, 8)); // root stake
    expect(await get(storageKey(S, 'TotalIssuance'))).toBe(leHex(ISSUANCE + k * 500_000_000n, 8));
    // moving price of subnet 1 = 1/8 + 2/1024 = 130/1024, I96F32 bits = 130 * 2^22
    expect(await get(storageKey(S, 'SubnetMovingPrice', 'Identity', u16le(1)))).toBe(leHex(130n << 22n, 16));
    expect(await get(storageKey('Swap', 'FeeRate', 'Twox64Concat', u16le(3)))).toBe(leHex(36, 2));
    expect(await get(storageKey(S, 'SubnetEmissionEnabled', 'Identity', u16le(2)))).toBe('0x00');
    expect(await get(storageKey(S, 'NetworksAdded', 'Identity', u16le(3)))).toBe('0x01');
    expect(await get(storageKey(S, 'NetworksAdded', 'Identity', u16le(4)))).toBeNull();
    // 'subnet 1 α' as Vec<u8>: compact length 11 (0x2c), UTF-8 bytes, then 7 empty fields
    const identity = (await get(storageKey(S, 'SubnetIdentitiesV3', 'Blake2_128Concat', u16le(1)))) as string;
    expect(identity).toBe('0x2c' + Buffer.from('subnet 1 \u03b1', 'utf8').toString('hex') + '00'.repeat(7));
    // TaoWeight 0.18 of u64::MAX = 3320413933267719290.7, rounded to ...291
    expect(await get(storageKey(S, 'TaoWeight'))).toBe(leHex(3_320_413_933_267_719_291n, 8));
    // System.BlockHash of the block before
    expect(await get(storageKey('System', 'BlockHash', 'Twox64Concat', u32le(START_BLOCK + 1)))).toBe(dev.blockHash(START_BLOCK + 1));
    // a map key whose hash part is wrong holds nothing
    const good = storageKey('Swap', 'FeeRate', 'Twox64Concat', u16le(3));
    expect(await get(good.slice(0, 66) + 'ff' + good.slice(68))).toBeNull();
    // the batched form gives the same values, for the block asked
    const batch = (await rpc.call('state_queryStorageAt', [[storageKey('System', 'Number'), storageKey(S, 'SubnetTAO', 'Identity', u16le(9))], at])) as Array<{ block: string; changes: Array<[string, string | null]> }>;
    expect(batch).toEqual([{ block: at, changes: [[storageKey('System', 'Number'), leHex(START_BLOCK + 2, 4)], [storageKey(S, 'SubnetTAO', 'Identity', u16le(9)), null]] }]);
  });

  it('pages keys in byte order, at most 1000 a page, as a node does', async () => {
    const { rpc } = await devnet({ source: new ScriptSource({ subnets: 5 }) });
    const prefix = storageKey(S, 'NetworksAdded');
    const all = (await rpc.call('state_getKeysPaged', [prefix, 100, null])) as string[];
    expect(all).toEqual([0, 1, 2, 3, 4, 5].map((n) => storageKey(S, 'NetworksAdded', 'Identity', u16le(n))));
    const first = (await rpc.call('state_getKeysPaged', [prefix, 2, null])) as string[];
    const next = (await rpc.call('state_getKeysPaged', [prefix, 2, first[1]])) as string[];
    expect([...first, ...next]).toEqual(all.slice(0, 4));
    const tooMany = await rpc.request('state_getKeysPaged', [prefix, 1001, null]);
    expect(tooMany !== 'timeout' && tooMany.error?.code).toBe(4002);
    // keys of the whole Swap pallet: FeeRate (Twox64Concat) for 5 subnets, no SwapBalancer (no quote weights served)
    const swap = (await rpc.call('state_getKeysPaged', [storageKey('Swap', 'FeeRate').slice(0, 34), 100, null])) as string[];
    expect(swap.length).toBe(5);
    expect([...swap].sort()).toEqual(swap);
  });

  it('gives block hashes that are blake2-256 of the SCALE header, chained by parent hash', async () => {
    const { rpc, dev } = await devnet();
    dev.produceBlocks(2);
    const header = (await rpc.call('chain_getHeader', [dev.blockHash(START_BLOCK + 2)])) as Record<string, unknown>;
    expect(header.number).toBe(`0x${(START_BLOCK + 2).toString(16)}`);
    expect(header.parentHash).toBe(dev.blockHash(START_BLOCK + 1));
    const encoded = new TypeRegistry().createType('Header', { ...header, number: START_BLOCK + 2 }).toU8a();
    expect(blake2AsHex(encoded, 256)).toBe(dev.blockHash(START_BLOCK + 2));
    expect(await rpc.call('chain_getBlockHash', [START_BLOCK + 1])).toBe(dev.blockHash(START_BLOCK + 1));
    expect(await rpc.call('chain_getBlockHash', [START_BLOCK + 99])).toBeNull();
    expect(await rpc.call('chain_getHeader', [`0x${'ab'.repeat(32)}`])).toBeNull();
    expect(await rpc.call('chain_getFinalizedHead')).toBe(dev.bestHash);
  });

  it('answers a pruned block like a non-archive node, and an unknown method with -32601', async () => {
    const { rpc, dev } = await devnet({ stateWindow: 4 });
    dev.produceBlocks(6); // keeps the state of the last 4 blocks only
    const old = dev.blockHash(START_BLOCK + 1)!;
    const a = await rpc.request('state_getStorage', [storageKey('System', 'Number'), old]);
    expect(a !== 'timeout' && a.error).toEqual({ code: 4003, message: `Client error: UnknownBlock: State already discarded for ${old}` });
    expect(await rpc.call('state_getStorage', [storageKey('System', 'Number'), dev.blockHash(START_BLOCK + 3)])).toBe(leHex(START_BLOCK + 3, 4));
    const unknown = await rpc.request('author_rotateKeys');
    expect(unknown !== 'timeout' && unknown.error).toEqual({ code: -32601, message: 'Method not found' });
    const call = await rpc.request('state_call', ['SwapRuntimeApi_sim_swap_tao_for_alpha', '0x0100']); // input too short
    expect(call !== 'timeout' && call.error?.code).toBe(4003);
  });

  it('pushes new heads and storage changes to subscribers, and stops after unsubscribe', async () => {
    const { rpc, dev } = await devnet();
    const sub = (await rpc.call('chain_subscribeNewHeads')) as string;
    const taoKey = storageKey(S, 'SubnetTAO', 'Identity', u16le(1));
    const tempoKey = storageKey(S, 'Tempo', 'Identity', u16le(1));
    const storageSub = (await rpc.call('state_subscribeStorage', [[taoKey, tempoKey]])) as string;
    dev.produceBlocks(2);
    const got = await rpc.waitNotifications(5);
    const heads = got.filter((n) => n.params.subscription === sub).map((n) => (n.params.result as { number: string }).number);
    expect(heads).toEqual([START_BLOCK, START_BLOCK + 1, START_BLOCK + 2].map((b) => `0x${b.toString(16)}`));
    const changes = got.filter((n) => n.params.subscription === storageSub).map((n) => n.params.result as { changes: Array<[string, string]> });
    // first: both keys; then only SubnetTAO, the one that changes each block (tempo stays 360)
    expect(changes.map((c) => c.changes.map(([k]) => k))).toEqual([[taoKey, tempoKey], [taoKey], [taoKey]]);
    expect(changes[2]!.changes[0]![1]).toBe(leHex(1002n * TAO, 8));
    expect(await rpc.call('chain_unsubscribeNewHeads', [sub])).toBe(true);
    expect(await rpc.call('state_unsubscribeStorage', [storageSub])).toBe(true);
    const before = rpc.notifications.length;
    dev.produceBlocks(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(rpc.notifications.length).toBe(before);
  });

  it('produces a block per tick of its clock', async () => {
    const { dev } = await devnet({ blockTimeMs: 15 });
    await new Promise((r) => setTimeout(r, 200));
    expect(dev.bestNumber - START_BLOCK).toBeGreaterThanOrEqual(4);
  });

  it('answers a batch request with an array of answers', async () => {
    const { rpc, dev } = await devnet();
    const answers = await rpc.batch([{ method: 'chain_getBlockHash', params: [0] }, { method: 'nope' }]);
    expect(answers.map((a) => a.id)).toEqual([1000, 1001]);
    expect(answers[0]!.result).toBe(dev.genesisHash);
    expect(answers[1]!.error?.code).toBe(-32601);
  });
});

describe('devnet runtime upgrade', () => {
  it('switches spec version, metadata and storage layout at the scheduled block, as Substrate times it', async () => {
    const upgradeAt = START_BLOCK + 3;
    const src = new ScriptSource({ quoteWeight: 0.4 });
    const { rpc, dev } = await devnet({
      source: src,
      runtimes: [{ fromBlock: 0, spec: PRE_BALANCER_RUNTIME }, { fromBlock: upgradeAt, spec: CURRENT_RUNTIME }],
    });
    const versions = (await rpc.call('state_subscribeRuntimeVersion')) as string;
    dev.produceBlocks(5);
    const spec = async (b: number) => ((await rpc.call('state_getRuntimeVersion', [dev.blockHash(b)])) as { specVersion: number }).specVersion;
    // the new code is in the state of the block before the first block it executes
    expect(await spec(upgradeAt - 2)).toBe(422);
    expect(await spec(upgradeAt - 1)).toBe(424);
    const balancer = storageKey('Swap', 'SwapBalancer', 'Twox64Concat', u16le(1));
    expect(await rpc.call('state_getStorage', [balancer, dev.blockHash(upgradeAt - 1)])).toBeNull(); // old layout
    // Perquintill 0.4 = 4e17 parts
    expect(await rpc.call('state_getStorage', [balancer, dev.blockHash(upgradeAt)])).toBe(leHex(400_000_000_000_000_000n, 8));
    const oldCall = await rpc.request('state_call', ['SwapRuntimeApi_current_alpha_price', '0x0100', dev.blockHash(upgradeAt - 2)]);
    expect(oldCall !== 'timeout' && oldCall.error?.message).toMatch(/SwapRuntimeApi_current_alpha_price is not found/);
    // pushed once at subscription (422 was current) and once when the code changed
    await rpc.waitNotifications(2);
    const pushed = rpc.notifications.filter((n) => n.params.subscription === versions).map((n) => (n.params.result as { specVersion: number }).specVersion);
    expect(pushed).toEqual([422, 424]);
  });

  it('refuses a schedule whose spec version does not increase', async () => {
    await expect(devnet({ runtimes: [{ fromBlock: 0, spec: CURRENT_RUNTIME }, { fromBlock: 10, spec: PRE_BALANCER_RUNTIME }] })).rejects.toThrow(/spec version must increase/);
  });
});

describe('devnet fault injection', () => {
  it('delays, fails, hangs or drops the requests a rule matches, for as many times as it says', async () => {
    const { rpc, dev } = await devnet();
    dev.injectFault({ method: 'system_health', delayMs: 150, times: 1 });
    const t0 = Date.now();
    expect(await rpc.call('system_health')).toEqual({ peers: 0, isSyncing: false, shouldHavePeers: false });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const t1 = Date.now();
    await rpc.call('system_health'); // the rule is used up
    expect(Date.now() - t1).toBeLessThan(140);

    const remove = dev.injectFault({ method: /^state_/, error: { code: -32000, message: 'overloaded' } });
    const failed = await rpc.request('state_getRuntimeVersion');
    expect(failed !== 'timeout' && failed.error).toEqual({ code: -32000, message: 'overloaded' });
    expect(await rpc.call('chain_getBlockHash', [0])).toBe(dev.genesisHash); // other methods unaffected
    remove();
    expect(((await rpc.call('state_getRuntimeVersion')) as { specVersion: number }).specVersion).toBe(424);

    dev.injectFault({ method: 'system_chain', hang: true, times: 1 });
    expect(await rpc.request('system_chain', [], 200)).toBe('timeout');

    dev.injectFault({ method: 'system_name', drop: true, times: 1 });
    expect(await rpc.request('system_name', [], 500)).toBe('timeout');
    await new Promise((r) => setTimeout(r, 20));
    expect(rpc.closed).toBe(true);
  });

  it('drops every connection on demand', async () => {
    const { rpc, dev } = await devnet();
    expect(dev.connections).toBe(1);
    dev.dropConnections();
    await new Promise((r) => setTimeout(r, 30));
    expect(rpc.closed).toBe(true);
    expect(dev.connections).toBe(0);
  });
});
