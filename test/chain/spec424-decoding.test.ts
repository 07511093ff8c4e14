/**
 * The adapter against subtensor's real spec-424 metadata: every storage item and runtime API it
 * uses exists there with the types mechanics §5.2/§5.3 give, and values SCALE-encoded with the
 * real metadata's types come out of the adapter's decoding as the right numbers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { u8aToHex } from '@polkadot/util';
import { ChainDecodeError, decodeCallResult, decodeStorageValue, toBig, toU64Fraction } from '../../src/chain/codec-values.ts';
import { SUBNET_ITEMS } from '../../src/chain/read-plan.ts';
import { RuntimeView } from '../../src/chain/runtime-view.ts';
import { METADATA_424_FILE, announceSkip, hasMetadata424 } from '../helpers/shared.ts';

/** Expected shapes, written from mechanics §5.2 (not from the adapter). */
const EXPECTED_ITEMS: Array<[string, string, string | null, string | null, string]> = [
  // pallet, item, hasher (null: plain), key type, value type
  ['SubtensorModule', 'SubnetTAO', 'Identity', 'u16', 'u64'],
  ['SubtensorModule', 'SubnetAlphaIn', 'Identity', 'u16', 'u64'],
  ['SubtensorModule', 'SubnetAlphaOut', 'Identity', 'u16', 'u64'],
  ['SubtensorModule', 'SubnetMovingPrice', 'Identity', 'u16', '{"bits":"i128"}'],
  ['SubtensorModule', 'RootProp', 'Identity', 'u16', '{"bits":"u128"}'],
  ['SubtensorModule', 'SubnetTaoInEmission', 'Identity', 'u16', 'u64'],
  ['SubtensorModule', 'SubnetAlphaInEmission', 'Identity', 'u16', 'u64'],
  ['SubtensorModule', 'SubnetAlphaOutEmission', 'Identity', 'u16', 'u64'],
  ['SubtensorModule', 'SubnetExcessTao', 'Identity', 'u16', 'u64'],
  ['SubtensorModule', 'Tempo', 'Identity', 'u16', 'u16'],
  ['SubtensorModule', 'SubnetEmissionEnabled', 'Identity', 'u16', 'bool'],
  ['SubtensorModule', 'NetworksAdded', 'Identity', 'u16', 'bool'],
  ['SubtensorModule', 'SubnetIdentitiesV3', 'Blake2_128Concat', 'u16',
    '{"subnetName":"Bytes","githubRepo":"Bytes","subnetContact":"Bytes","subnetUrl":"Bytes","discord":"Bytes","description":"Bytes","logoUrl":"Bytes","additional":"Bytes"}'],
  ['SubtensorModule', 'TaoWeight', null, null, 'u64'],
  ['SubtensorModule', 'TotalIssuance', null, null, 'u64'],
  ['Swap', 'FeeRate', 'Twox64Concat', 'u16', 'u16'],
  ['Swap', 'SwapBalancer', 'Twox64Concat', 'u16', '{"quote":"Perquintill"}'],
  ['System', 'Number', null, null, 'u32'],
  ['Timestamp', 'Now', null, null, 'u64'],
];

if (!hasMetadata424) announceSkip('chain adapter vs spec 424 metadata', METADATA_424_FILE);

describe.skipIf(!hasMetadata424)('chain adapter vs the real spec-424 metadata', () => {
  const registry = new TypeRegistry();
  const metadata = hasMetadata424 ? new Metadata(registry, readFileSync(METADATA_424_FILE)) : (undefined as unknown as Metadata);
  if (hasMetadata424) registry.setMetadata(metadata);
  const view = hasMetadata424 ? new RuntimeView(registry, metadata, 'node-subtensor', 424) : (undefined as unknown as RuntimeView);

  /** SCALE bytes of `value` as the real metadata's type of an item's value. */
  function encodeFor(pallet: string, name: string, value: unknown): string {
    const item = view.storageItem(pallet, name)!;
    const id = item.meta.type.isPlain ? item.meta.type.asPlain : item.meta.type.asMap.value;
    return u8aToHex(registry.createType(registry.createLookupType(id), value).toU8a());
  }

  function readVia(name: string, hex: string | null): unknown {
    const plan = SUBNET_ITEMS.find((p) => p.name === name)!;
    const item = view.storageItem(plan.pallet, plan.name)!;
    return plan.convert(decodeStorageValue(registry, item.meta, hex, name), name);
  }

  it('every item the adapter reads exists with the expected hasher, key and value type', () => {
    for (const [pallet, name, hasher, key, value] of EXPECTED_ITEMS) {
      const item = view.storageItem(pallet, name);
      expect(item, `${pallet}.${name}`).toBeDefined();
      const t = item!.meta.type;
      if (hasher === null) {
        expect(t.isPlain, `${pallet}.${name} is plain`).toBe(true);
        expect(registry.lookup.getTypeDef(t.asPlain).type).toBe(value);
      } else {
        expect(t.asMap.hashers.map((h) => h.type)).toEqual([hasher]);
        expect(registry.lookup.getTypeDef(t.asMap.key).type, `${name} key`).toBe(key);
        expect(registry.lookup.getTypeDef(t.asMap.value).type, `${name} value`).toBe(value);
      }
    }
    // and the plan reads nothing that is not in the table above
    for (const p of SUBNET_ITEMS) expect(EXPECTED_ITEMS.some(([pa, n]) => pa === p.pallet && n === p.name), p.name).toBe(true);
  });

  it('the runtime APIs exist with the expected inputs and outputs', () => {
    const price = view.runtimeApi('SwapRuntimeApi', 'current_alpha_price_all')!;
    expect(price.inputs).toEqual([]);
    const one = (registry.createTypeUnsafe(price.output, [[{ netuid: 7, price: 9n }]]) as unknown as Array<{ get(k: string): Codec }>)[0]!;
    expect([one.get('netuid').toRawType(), one.get('price').toRawType()]).toEqual(['u16', 'u64']);
    for (const [method, amount] of [['sim_swap_tao_for_alpha', 'tao'], ['sim_swap_alpha_for_tao', 'alpha']]) {
      const api = view.runtimeApi('SwapRuntimeApi', method!)!;
      expect(api.inputs.map((i) => i.name)).toEqual(['netuid', amount]);
      expect(api.inputs.map((i) => registry.createTypeUnsafe(i.type, []).toRawType())).toEqual(['u16', 'u64']);
      expect(JSON.parse(registry.createTypeUnsafe(api.output, []).toRawType())).toEqual({
        taoAmount: 'u64', alphaAmount: 'u64', taoFee: 'u64', alphaFee: 'u64', taoSlippage: 'u64', alphaSlippage: 'u64',
      });
    }
  });

  it('decodes amounts, fixed-point prices, rates, flags and names to the encoded values', () => {
    expect(readVia('SubnetTAO', encodeFor('SubtensorModule', 'SubnetTAO', 26_194_707_363_751n))).toBe(26_194_707_363_751n);
    expect(readVia('SubnetAlphaIn', encodeFor('SubtensorModule', 'SubnetAlphaIn', 18_446_744_073_709_551_615n))).toBe(18_446_744_073_709_551_615n);
    // I96F32: bits / 2^32. 0.75 = 3 * 2^30; -0.5 = -(2^31).
    expect(readVia('SubnetMovingPrice', encodeFor('SubtensorModule', 'SubnetMovingPrice', { bits: 3n << 30n }))).toBe(0.75);
    expect(readVia('SubnetMovingPrice', encodeFor('SubtensorModule', 'SubnetMovingPrice', { bits: -(1n << 31n) }))).toBe(-0.5);
    // U96F32: 0.151951868 * 2^32 = 652_628_303.9 -> 652_628_304 bits = 0.15195186808705330...
    expect(readVia('RootProp', encodeFor('SubtensorModule', 'RootProp', { bits: 652_628_304n }))).toBe(652_628_304 / 2 ** 32);
    expect(readVia('Tempo', encodeFor('SubtensorModule', 'Tempo', 361))).toBe(361);
    expect(readVia('FeeRate', encodeFor('Swap', 'FeeRate', 196))).toBe(196);
    expect(readVia('SubnetEmissionEnabled', encodeFor('SubtensorModule', 'SubnetEmissionEnabled', false))).toBe(false);
    expect(readVia('SwapBalancer', encodeFor('Swap', 'SwapBalancer', { quote: 600_000_000_000_000_000n }))).toBe(0.6);
    expect(readVia('SubnetIdentitiesV3', encodeFor('SubtensorModule', 'SubnetIdentitiesV3', { subnetName: 'τemplar', githubRepo: 'x' }))).toBe('τemplar');
    const tw = view.storageItem('SubtensorModule', 'TaoWeight')!;
    // migrate_rao.rs set TaoWeight = 3_320_413_933_267_719_290 = 0.18 of u64::MAX
    const taoWeight = toU64Fraction(decodeStorageValue(registry, tw.meta, encodeFor('SubtensorModule', 'TaoWeight', 3_320_413_933_267_719_290n), 'TaoWeight')!, 'TaoWeight');
    expect(taoWeight).toBeCloseTo(0.18, 15);
  });

  it('an absent value reads as the item\'s default (Default items) or as nothing (Optional items)', () => {
    expect(readVia('Tempo', null)).toBe(360);
    expect(readVia('FeeRate', null)).toBe(33);
    expect(readVia('SubnetEmissionEnabled', null)).toBe(true);
    expect(readVia('SwapBalancer', null)).toBe(0.5);
    expect(readVia('SubnetTAO', null)).toBe(0n);
    expect(readVia('SubnetIdentitiesV3', null)).toBeUndefined();
    // The runtime's own TaoWeight default is 971_718_665_099_567_868 / u64::MAX (about 0.0527).
    const tw = view.storageItem('SubtensorModule', 'TaoWeight')!;
    expect(toU64Fraction(decodeStorageValue(registry, tw.meta, null, 'TaoWeight')!, 'TaoWeight')).toBeCloseTo(971_718_665_099_567_868 / 18_446_744_073_709_551_615, 15);
  });

  it('a value of the wrong length is a decode error, not a wrong number', () => {
    expect(() => readVia('SubnetTAO', '0x01020304')).toThrow(ChainDecodeError);
    expect(() => readVia('SubnetTAO', '0x010203040506070809')).toThrow(ChainDecodeError);
  });

  it('decodes runtime API answers with the output types the metadata declares', () => {
    const price = view.runtimeApi('SwapRuntimeApi', 'current_alpha_price_all')!;
    const priceOut = (price.output);
    const encoded = registry.createTypeUnsafe(priceOut, [[{ netuid: 0, price: 1_000_000_000n }, { netuid: 1, price: 8_634_752n }]]).toU8a();
    const list = decodeCallResult(registry, priceOut, u8aToHex(encoded), 'prices') as unknown as Codec[];
    expect(list.map((e) => (e as unknown as { toJSON(): unknown }).toJSON())).toEqual([{ netuid: 0, price: 1_000_000_000 }, { netuid: 1, price: 8_634_752 }]);

    const sim = view.runtimeApi('SwapRuntimeApi', 'sim_swap_tao_for_alpha')!;
    const bytes = registry.createTypeUnsafe(sim.output, [{
      tao_amount: 999_496_453n, alpha_amount: 3_993_993_825n, tao_fee: 503_547n, alpha_fee: 0n, tao_slippage: 0n, alpha_slippage: 6_006_170n,
    }]).toU8a();
    const r = decodeCallResult(registry, sim.output, u8aToHex(bytes), 'sim') as unknown as { get(k: string): Codec };
    expect(toBig(r.get('taoAmount'), 'x')).toBe(999_496_453n);
    expect(toBig(r.get('alphaAmount'), 'x')).toBe(3_993_993_825n);
    expect(toBig(r.get('taoFee'), 'x')).toBe(503_547n);
    expect(toBig(r.get('alphaSlippage'), 'x')).toBe(6_006_170n);
    expect(() => decodeCallResult(registry, sim.output, u8aToHex(bytes.subarray(0, 40)), 'sim')).toThrow(ChainDecodeError);
  });
});
