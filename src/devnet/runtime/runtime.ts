/**
 * One runtime version of the devnet: its spec (name, version, features), the SCALE metadata
 * V16 it serves (built here, from the types, storage layout and runtime APIs of this folder),
 * and the two things a node does with a runtime: read storage and execute runtime API calls.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { stringCamelCase, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { BlockState } from '../block-state.ts';
import { CLIENT_ERROR, RpcError } from '../rpc-error.ts';
import type { CallContext, RuntimeApi, RuntimeApiMethod } from './runtime-apis.ts';
import { runtimeApis } from './runtime-apis.ts';
import type { RuntimeFeatures, StorageItem } from './storage-layout.ts';
import { storageLayout } from './storage-layout.ts';
import { StorageReader } from './storage-reader.ts';
import type { SubtensorTypes } from './subtensor-types.ts';
import { buildSubtensorTypes } from './subtensor-types.ts';

export interface RuntimeSpec {
  specName?: string;
  implName?: string;
  specVersion: number;
  implVersion?: number;
  transactionVersion?: number;
  features: RuntimeFeatures;
  /**
   * Pallets this runtime does not have (System and Timestamp always stay): e.g. 'Swap' for a
   * runtime from before the swap pallet, or 'SubtensorModule' for a chain that is not subtensor.
   */
  omitPallets?: string[];
}

/** Modelled on subtensor spec 424: weighted (Balancer) pools and SwapRuntimeApi. */
export const CURRENT_RUNTIME: RuntimeSpec = { specVersion: 424, features: { swapBalancer: true, swapRuntimeApi: true } };

/** A runtime from before the Balancer (spec 422 and earlier): x*y=k pools, no SwapBalancer, no SwapRuntimeApi. */
export const PRE_BALANCER_RUNTIME: RuntimeSpec = { specVersion: 422, features: { swapBalancer: false, swapRuntimeApi: false } };

const SPEC_NAME = 'node-subtensor';
const IMPL_NAME = 'dtao-lab-devnet';
const METADATA_MAGIC = new Uint8Array([0x6d, 0x65, 0x74, 0x61]); // "meta"
const METADATA_V16 = 16;
const SS58_PREFIX = 42;
export const BLOCK_HASH_COUNT = 4096;

export interface RuntimeVersionJson {
  specName: string;
  implName: string;
  authoringVersion: number;
  specVersion: number;
  implVersion: number;
  apis: Array<[string, number]>;
  transactionVersion: number;
  systemVersion: number;
}

const NOT_DEPRECATED = { NotDeprecated: null };

function storageEntryJson(item: StorageItem) {
  const type = item.kind === 'plain'
    ? { Plain: item.value }
    : { Map: { hashers: [item.hasher], key: item.key, value: item.value } };
  return { name: item.name, modifier: item.modifier, type, fallback: item.fallback, docs: item.docs, deprecationInfo: NOT_DEPRECATED };
}

function apiJson(api: RuntimeApi) {
  return {
    name: api.name,
    methods: api.methods.map((m) => ({ name: m.name, inputs: m.inputs, output: m.output, docs: m.docs, deprecationInfo: NOT_DEPRECATED })),
    docs: api.docs,
    version: api.version,
    deprecationInfo: NOT_DEPRECATED,
  };
}

export class DevnetRuntime {
  readonly specName: string;
  readonly specVersion: number;
  readonly registry: TypeRegistry;
  readonly metadata: Metadata;
  readonly metadataBytes: Uint8Array;
  readonly metadataHex: string;
  readonly version: RuntimeVersionJson;
  readonly versionBytes: Uint8Array;
  readonly storage: StorageReader;
  private readonly calls = new Map<string, RuntimeApiMethod>();

  constructor(readonly spec: RuntimeSpec, private readonly types: SubtensorTypes = buildSubtensorTypes()) {
    const t = types;
    const omitted = new Set((spec.omitPallets ?? []).filter((p) => p !== 'System' && p !== 'Timestamp'));
    const items = storageLayout(t).filter((i) => (!i.feature || spec.features[i.feature]) && !omitted.has(i.pallet));
    const apis = runtimeApis(t).filter((a) => !a.feature || spec.features[a.feature]);
    for (const api of apis) for (const m of api.methods) this.calls.set(`${api.name}_${m.name}`, m);

    this.specName = spec.specName ?? SPEC_NAME;
    this.specVersion = spec.specVersion;
    this.version = {
      specName: this.specName,
      implName: spec.implName ?? IMPL_NAME,
      authoringVersion: 1,
      specVersion: spec.specVersion,
      implVersion: spec.implVersion ?? 1,
      apis: apis.map((a) => [u8aToHex(blake2AsU8a(a.name, 64)), a.version]),
      transactionVersion: spec.transactionVersion ?? 1,
      systemVersion: 1,
    };
    // The RuntimeVersion struct of @polkadot/types has the same layout as sp_version's.
    const base = new TypeRegistry();
    this.versionBytes = base.createType('RuntimeVersion', { ...this.version, stateVersion: this.version.systemVersion }).toU8a();

    const pallet = (index: number, name: string, rest: Record<string, unknown>) => ({
      name, storage: null, calls: null, events: null, constants: [], errors: null, associatedTypes: [], viewFunctions: [],
      index, docs: [], deprecationInfo: NOT_DEPRECATED, ...rest,
    });
    const storageOf = (palletName: string) => {
      const own = items.filter((i) => i.pallet === palletName);
      return own.length ? { prefix: palletName, items: own.map(storageEntryJson) } : null;
    };
    // Bytes given as hex are taken as the raw value; a Uint8Array would be read as length-prefixed.
    const constant = (name: string, type: number, value: Uint8Array, docs: string) =>
      ({ name, type, value: u8aToHex(value), docs: [docs], deprecationInfo: NOT_DEPRECATED });
    const enumInfo = (type: number) => ({ type, deprecationInfo: new Map() });
    const u32 = (n: number) => base.createType('u32', n).toU8a();
    const u64 = (n: number) => base.createType('u64', n).toU8a();
    const u16 = (n: number) => base.createType('u16', n).toU8a();

    // Pallet indices are mainnet's, so call and event indices mean the same thing.
    const v16 = {
      lookup: t.table.toJson(),
      pallets: [
        pallet(0, 'System', {
          storage: storageOf('System'), calls: enumInfo(t.systemCall), events: enumInfo(t.systemEvent), errors: enumInfo(t.systemError),
          constants: [
            constant('BlockHashCount', t.u32, u32(BLOCK_HASH_COUNT), ' Maximum number of block number to block hash mappings to keep (oldest pruned first).'),
            constant('Version', t.runtimeVersion, this.versionBytes, ' Get the chain\'s in-code version.'),
            constant('SS58Prefix', t.u16, u16(SS58_PREFIX), ' The designated SS58 prefix of this chain.'),
          ],
        }),
        pallet(2, 'Timestamp', {
          storage: storageOf('Timestamp'),
          constants: [constant('MinimumPeriod', t.u64, u64(6000), ' The minimum period between blocks.')],
        }),
        pallet(7, 'SubtensorModule', { storage: storageOf('SubtensorModule') }),
        pallet(28, 'Swap', { storage: storageOf('Swap') }),
      ].filter((p) => !omitted.has(p.name)),
      extrinsic: {
        versions: [4],
        addressType: t.multiAddress,
        callType: t.runtimeCall,
        signatureType: t.multiSignature,
        transactionExtensionsByVersion: new Map([[0, []]]),
        transactionExtensions: [],
      },
      apis: apis.map(apiJson),
      outerEnums: { callType: t.runtimeCall, eventType: t.runtimeEvent, errorType: t.runtimeError },
      custom: { map: new Map() },
    };
    const body = base.createType('MetadataV16', v16).toU8a();
    this.metadataBytes = u8aConcat(METADATA_MAGIC, new Uint8Array([METADATA_V16]), body);
    this.metadataHex = u8aToHex(this.metadataBytes);

    this.registry = new TypeRegistry();
    this.metadata = new Metadata(this.registry, this.metadataBytes);
    this.registry.setMetadata(this.metadata);
    this.storage = new StorageReader(this.registry, items);
  }

  hasApi(name: string): boolean {
    return this.calls.has(name);
  }

  /** Executes `state_call(name, data)` against a block's state; answers SCALE bytes. */
  call(name: string, data: Uint8Array, state: () => BlockState): Uint8Array {
    const method = this.calls.get(name);
    if (!method) throw new RpcError(CLIENT_ERROR, `Client error: Execution failed: Other: Exported method ${name} is not found`);
    const args: unknown[] = [];
    let offset = 0;
    for (const input of method.inputs) {
      const codec = this.registry.createType(this.registry.createLookupType(input.type), data.subarray(offset));
      offset += codec.encodedLength;
      const asBig = (codec as unknown as { toBigInt?: () => bigint }).toBigInt;
      args.push(asBig ? asBig.call(codec) : codec.toJSON());
    }
    if (offset !== data.length) {
      throw new RpcError(CLIENT_ERROR, `Client error: Execution failed: Other: Bad input data provided to ${stringCamelCase(method.name)}`);
    }
    const ctx: CallContext = {
      registry: this.registry, types: this.types, features: this.spec.features,
      versionBytes: this.versionBytes, metadataBytes: this.metadataBytes, state,
    };
    return method.handle(ctx, args);
  }
}
