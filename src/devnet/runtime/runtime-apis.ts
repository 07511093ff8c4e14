/**
 * The runtime APIs the devnet serves through `state_call`: their metadata (names, inputs,
 * outputs as subtensor declares them) and how each answers. Core and Metadata are what
 * @polkadot/api needs to start; SwapRuntimeApi is what the chain adapter reads.
 */
import type { Registry } from '@polkadot/types/types';
import { compactAddLength, u8aConcat } from '@polkadot/util';
import type { BlockState } from '../block-state.ts';
import type { RuntimeFeatures } from './storage-layout.ts';
import type { SubtensorTypes } from './subtensor-types.ts';
import { currentAlphaPrice, currentAlphaPriceAll, simSwapAlphaForTao, simSwapTaoForAlpha } from './swap-api.ts';

/** Everything a runtime API handler may need about the runtime that answers. */
export interface CallContext {
  registry: Registry;
  types: SubtensorTypes;
  features: RuntimeFeatures;
  /** SCALE of the runtime version (Core_version). */
  versionBytes: Uint8Array;
  /** The metadata blob this runtime serves (with its `meta` magic prefix). */
  metadataBytes: Uint8Array;
  /** The block's market state; throws (as a pruned node would) when the block has none. */
  state(): BlockState;
}

export interface RuntimeApiMethod {
  name: string;
  inputs: Array<{ name: string; type: number }>;
  output: number;
  docs: string[];
  /** Returns the SCALE-encoded result; `args` are the decoded inputs. */
  handle(ctx: CallContext, args: unknown[]): Uint8Array;
}

export interface RuntimeApi {
  name: string;
  version: number;
  docs: string[];
  methods: RuntimeApiMethod[];
  feature?: keyof RuntimeFeatures;
}

/** The metadata versions this devnet can produce. */
export const METADATA_VERSIONS = [16];

function encode(ctx: CallContext, typeId: number, value: unknown): Uint8Array {
  return ctx.registry.createType(ctx.registry.createLookupType(typeId), value).toU8a();
}

export function runtimeApis(t: SubtensorTypes): RuntimeApi[] {
  const simSwapOutput = (ctx: CallContext, r: ReturnType<typeof simSwapTaoForAlpha>) => encode(ctx, t.simSwapResult, r);
  return [
    {
      name: 'Core', version: 5, docs: [' The `Core` runtime api that every Substrate runtime needs to implement.'],
      methods: [
        { name: 'version', inputs: [], output: t.runtimeVersion, docs: [' Returns the version of the runtime.'],
          handle: (ctx) => ctx.versionBytes },
      ],
    },
    {
      name: 'Metadata', version: 2, docs: [' The `Metadata` api trait that returns metadata for the runtime.'],
      methods: [
        { name: 'metadata', inputs: [], output: t.opaqueMetadata, docs: [' Returns the metadata of a runtime.'],
          handle: (ctx) => compactAddLength(ctx.metadataBytes) },
        { name: 'metadata_at_version', inputs: [{ name: 'version', type: t.u32 }], output: t.optionOpaqueMetadata,
          docs: [' Returns the metadata at a given version.'],
          handle: (ctx, [version]) =>
            METADATA_VERSIONS.includes(Number(version))
              ? u8aConcat(new Uint8Array([1]), compactAddLength(ctx.metadataBytes))
              : new Uint8Array([0]) },
        { name: 'metadata_versions', inputs: [], output: t.vecU32, docs: [' Returns the supported metadata versions.'],
          handle: (ctx) => encode(ctx, t.vecU32, METADATA_VERSIONS) },
      ],
    },
    {
      name: 'SwapRuntimeApi', version: 1, docs: [], feature: 'swapRuntimeApi',
      methods: [
        { name: 'current_alpha_price', inputs: [{ name: 'netuid', type: t.u16 }], output: t.u64, docs: [],
          handle: (ctx, [netuid]) => encode(ctx, t.u64, currentAlphaPrice(ctx.state(), Number(netuid), ctx.features.swapBalancer)) },
        { name: 'current_alpha_price_all', inputs: [], output: t.subnetPrices, docs: [],
          handle: (ctx) => encode(ctx, t.subnetPrices, currentAlphaPriceAll(ctx.state(), ctx.features.swapBalancer)) },
        { name: 'sim_swap_tao_for_alpha', inputs: [{ name: 'netuid', type: t.u16 }, { name: 'tao', type: t.u64 }], output: t.simSwapResult, docs: [],
          handle: (ctx, [netuid, tao]) =>
            simSwapOutput(ctx, simSwapTaoForAlpha(ctx.state(), Number(netuid), tao as bigint, ctx.features.swapBalancer)) },
        { name: 'sim_swap_alpha_for_tao', inputs: [{ name: 'netuid', type: t.u16 }, { name: 'alpha', type: t.u64 }], output: t.simSwapResult, docs: [],
          handle: (ctx, [netuid, alpha]) =>
            simSwapOutput(ctx, simSwapAlphaForTao(ctx.state(), Number(netuid), alpha as bigint, ctx.features.swapBalancer)) },
      ],
    },
  ];
}
