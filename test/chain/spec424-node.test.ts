/**
 * The adapter end to end against a node that serves subtensor's real spec-424 metadata:
 * storage values and runtime API answers are SCALE-encoded by this test with mainnet's types,
 * and keys are built here from the hashing rules (twox128 prefixes, Identity / Twox64Concat /
 * Blake2_128Concat), independently of the adapter. The snapshot must come out as the
 * hand-written numbers; @polkadot/api must decode runtime API answers from the V16 metadata.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { u8aToHex } from '@polkadot/util';
import type { ChainClient } from '../../src/chain/client.ts';
import { connectChain } from '../../src/chain/client.ts';
import { METADATA_424_FILE, announceSkip, hasMetadata424 } from '../helpers/shared.ts';
import { storageKey, u16le } from '../devnet/keys.ts';
import type { Hasher } from '../devnet/keys.ts';
import { HEAD, startRealMetadataNode } from './real-metadata-node.ts';
import type { RealNode } from './real-metadata-node.ts';

const TAO = 1_000_000_000n;

if (!hasMetadata424) announceSkip('adapter against a node serving spec 424 metadata', METADATA_424_FILE);

describe.skipIf(!hasMetadata424)('adapter on a node with the real spec-424 metadata', () => {
  let registry: TypeRegistry;
  let node: RealNode;
  let client: ChainClient;
  const storage = new Map<string, string>();

  function valueType(pallet: string, item: string): string {
    const p = registry.metadata.pallets.find((x) => x.name.eq(pallet))!;
    const e = p.storage.unwrap().items.find((x) => x.name.eq(item))!;
    return registry.createLookupType(e.type.isPlain ? e.type.asPlain : e.type.asMap.value);
  }

  function put(pallet: string, item: string, value: unknown, hasher?: Hasher, netuid?: number): void {
    const k = storageKey(pallet, item, hasher, netuid === undefined ? undefined : u16le(netuid));
    storage.set(k, u8aToHex(registry.createType(valueType(pallet, item), value).toU8a()));
  }

  beforeAll(async () => {
    registry = new TypeRegistry();
    const bytes = readFileSync(METADATA_424_FILE);
    const metadata = new Metadata(registry, bytes);
    registry.setMetadata(metadata);
    const versionConst = metadata.asLatest.pallets.find((p) => p.name.eq('System'))!.constants.find((c) => c.name.eq('Version'))!;
    const version = registry.createType('RuntimeVersion', versionConst.value.toU8a(true)).toJSON() as Record<string, unknown>;

    const S = 'SubtensorModule';
    put('System', 'Number', 8_658_706);
    put('Timestamp', 'Now', 1_753_000_000_123n);
    put(S, 'TaoWeight', 3_320_413_933_267_719_290n);
    put(S, 'TotalIssuance', 10_600_000n * TAO);
    for (const n of [0, 1, 2]) put(S, 'NetworksAdded', true, 'Identity', n);
    put(S, 'NetworksAdded', false, 'Identity', 3); // a removed subnet left as false
    put(S, 'SubnetTAO', 4_500_000n * TAO, 'Identity', 0);
    // subnet 1: every item present
    put(S, 'SubnetTAO', 26_194_707_363_751n, 'Identity', 1);
    put(S, 'SubnetAlphaIn', 3_033_637_223_903_069n, 'Identity', 1);
    put(S, 'SubnetAlphaOut', 5_000_000n * TAO, 'Identity', 1);
    put(S, 'SubnetMovingPrice', { bits: 37_086_248n }, 'Identity', 1); // 37086248 / 2^32
    put(S, 'RootProp', { bits: 652_628_304n }, 'Identity', 1);
    put(S, 'SubnetTaoInEmission', 6_275_615n, 'Identity', 1);
    put(S, 'SubnetAlphaInEmission', 153_741_695n, 'Identity', 1);
    put(S, 'SubnetAlphaOutEmission', TAO, 'Identity', 1);
    put(S, 'SubnetExcessTao', 12_488_957n, 'Identity', 1);
    put(S, 'Tempo', 720, 'Identity', 1);
    put(S, 'SubnetEmissionEnabled', false, 'Identity', 1);
    put(S, 'SubnetIdentitiesV3', { subnetName: 'Apex' }, 'Blake2_128Concat', 1);
    put('Swap', 'FeeRate', 196, 'Twox64Concat', 1);
    put('Swap', 'SwapBalancer', { quote: 400_000_000_000_000_000n }, 'Twox64Concat', 1);
    // subnet 2: only the reserves; everything else takes the chain's defaults
    put(S, 'SubnetTAO', 9_898_296_351_669n, 'Identity', 2);
    put(S, 'SubnetAlphaIn', 1_960_018_390_878_164n, 'Identity', 2);
    // subnet 3 has reserves but NetworksAdded = false: not a subnet
    put(S, 'SubnetTAO', 7n * TAO, 'Identity', 3);

    const priceAll = registry.metadata.apis.find((a) => a.name.eq('SwapRuntimeApi'))!.methods;
    const out = (name: string) => registry.createLookupType(priceAll.find((m) => m.name.eq(name))!.output);
    node = await startRealMetadataNode({
      registry, metadataBytes: new Uint8Array(bytes), version, blockNumber: 8_658_706, storage,
      calls: {
        SwapRuntimeApi_current_alpha_price_all: () =>
          u8aToHex(registry.createType(out('current_alpha_price_all'), [
            { netuid: 0, price: TAO }, { netuid: 1, price: 8_634_752n }, { netuid: 2, price: 5_050_103n },
          ]).toU8a()),
        SwapRuntimeApi_sim_swap_tao_for_alpha: (data) => {
          // netuid 1 as u16 LE, then 2 TAO as u64 LE
          if (data !== '0x01000094357700000000') throw Object.assign(new Error(`unexpected input ${data}`), { code: 4003 });
          return u8aToHex(registry.createType(out('sim_swap_tao_for_alpha'), {
            tao_amount: 1_998_992_904n, alpha_amount: 231_283_522_451n, tao_fee: 1_007_096n, alpha_fee: 0n, tao_slippage: 0n, alpha_slippage: 341_000n,
          }).toU8a());
        },
      },
    });
    client = await connectChain({ endpoint: node.url, requestTimeoutMs: 5000 });
  });

  afterAll(async () => {
    await client?.disconnect();
    await node?.close();
  });

  it('reads every subnet at one block hash into the hand-written snapshot', async () => {
    const r = await client.readSnapshot();
    expect(r.blockHash).toBe(HEAD);
    expect(r.specVersion).toBe(424);
    expect(r.totalIssuance).toBe(10_600_000n * TAO);
    expect(r.snapshot).toEqual({
      block: 8_658_706,
      time: '2025-07-20T08:26:40.123Z',
      rootStake: 4_500_000n * TAO,
      taoWeight: 3_320_413_933_267_719_290 / 18_446_744_073_709_551_615,
      blockEmission: 500_000_000n, // 10.6M TAO issued: past the first halving
      subnets: [
        {
          netuid: 1, taoIn: 26_194_707_363_751n, alphaIn: 3_033_637_223_903_069n, alphaOut: 5_000_000n * TAO,
          movingPrice: 37_086_248 / 2 ** 32, rootProp: 652_628_304 / 2 ** 32,
          taoInEmission: 6_275_615n, alphaInEmission: 153_741_695n, alphaOutEmission: TAO, excessTao: 12_488_957n,
          feeRate: 196, tempo: 720, emissionEnabled: false, name: 'Apex', quoteWeight: 0.4, price: 0.008634752,
        },
        {
          netuid: 2, taoIn: 9_898_296_351_669n, alphaIn: 1_960_018_390_878_164n, alphaOut: 0n,
          movingPrice: 0, rootProp: 0, taoInEmission: 0n, alphaInEmission: 0n, alphaOutEmission: 0n, excessTao: 0n,
          feeRate: 33, tempo: 360, emissionEnabled: true, quoteWeight: 0.5, price: 0.005050103,
        },
      ],
    });
    expect(r.snapshot.taoWeight).toBeCloseTo(0.18, 15);
    // every storage value of the snapshot came in one batched request at that hash
    const batches = node.requests.filter((q) => q.method === 'state_queryStorageAt');
    expect(batches.length).toBe(1);
    expect(batches[0]!.params[1]).toBe(HEAD);
  });

  it('gets the chain\'s stake quote, decoded to exact amounts', async () => {
    const q = await client.quoteStake(1, 2n * TAO);
    expect(q).toEqual({
      netuid: 1, blockHash: HEAD, side: 'stake', amountIn: 2n * TAO,
      taoAmount: 1_998_992_904n, alphaAmount: 231_283_522_451n, taoFee: 1_007_096n, alphaFee: 0n, taoSlippage: 0n, alphaSlippage: 341_000n,
    });
  });

  it('@polkadot/api decodes runtime API answers from the V16 metadata by itself', async () => {
    const call = client.api.call as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<Codec>>>;
    const prices = await call.swapRuntimeApi!.currentAlphaPriceAll!();
    expect(prices.toJSON()).toEqual([{ netuid: 0, price: 1_000_000_000 }, { netuid: 1, price: 8_634_752 }, { netuid: 2, price: 5_050_103 }]);
    const sim = (await call.swapRuntimeApi!.simSwapTaoForAlpha!(1, 2n * TAO)) as unknown as { get(k: string): { toBigInt(): bigint } };
    expect(sim.get('alphaAmount').toBigInt()).toBe(231_283_522_451n);
    expect(sim.get('taoFee').toBigInt()).toBe(1_007_096n);
  });
});
