/**
 * One snapshot of every subnet, all read at one block hash: list the netuids once
 * (NetworksAdded keys), then fetch every storage value in one batched `state_queryStorageAt`
 * and, where the runtime has it, the prices from `SwapRuntimeApi.current_alpha_price_all`,
 * both pinned to the same hash. Either everything arrives and decodes, or the read fails.
 */
import type { Codec } from '@polkadot/types/types';
import { hexToU8a } from '@polkadot/util';
import type { Snapshot, SubnetState } from '../core/snapshot.ts';
import { curvePrice } from '../core/snapshot.ts';
import { blockEmissionFor } from '../core/emission.ts';
import { ChainDecodeError, decodeCallResult, decodeStorageValue, toBig, toBool, toSmallInt, toU64Fraction } from './codec-values.ts';
import { ChainReadError } from './errors.ts';
import type { ItemRef } from './read-plan.ts';
import {
  BLOCK_NUMBER, NETWORKS_ADDED, PRICE_ALL, REQUIRED_SUBNET_ITEMS, ROOT_NETUID, ROOT_STAKE, SUBNET_ITEMS, SWAP_API, TAO_WEIGHT,
  TIMESTAMP, TOTAL_ISSUANCE,
} from './read-plan.ts';
import type { RuntimeView, StorageItemView } from './runtime-view.ts';

/** The two things a read needs from the connection. */
export interface ChainIo {
  /** One JSON-RPC request, with the caller's timeout, failures as ChainReadError. */
  send(method: string, params: unknown[]): Promise<unknown>;
  /** The runtime (metadata) that applies at a block hash. */
  view(blockHash: string): Promise<RuntimeView>;
}

export interface ChainSnapshot {
  snapshot: Snapshot;
  blockHash: string;
  blockNumber: number;
  specVersion: number;
  /** SubtensorModule.TotalIssuance, rao. */
  totalIssuance: bigint;
  /** Items and runtime APIs the block's runtime has (`Pallet.Item`, `Api_method`). */
  capabilities: string[];
}

const KEYS_PAGE = 1000;

/** ISO-8601 UTC text of a chain timestamp; whole seconds are written without ".000". */
export function chainTimeText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

const QUERY_CHUNK = 2048;

function notSubtensor(view: RuntimeView, missing: string): ChainReadError {
  return new ChainReadError(
    `the runtime at this block (${view.specName} spec ${view.specVersion}) has no ${missing}: it is not a dTAO subtensor runtime`,
    { retryable: false },
  );
}

function requireItem(view: RuntimeView, ref: ItemRef): StorageItemView {
  const item = view.storageItem(ref.pallet, ref.name);
  if (!item) throw notSubtensor(view, `${ref.pallet}.${ref.name}`);
  return item;
}

/** The map key of a full storage key, decoded with the item's key type. */
function mapKeyArg(view: RuntimeView, item: StorageItemView, key: string): number {
  const map = item.meta.type.asMap;
  const hasher = map.hashers[0]!;
  const hashLen = hasher.isIdentity ? 0 : hasher.isTwox64Concat ? 8 : hasher.isBlake2128Concat ? 16 : -1;
  if (hashLen < 0) throw new ChainDecodeError(`${item.pallet}.${item.name}: key hasher ${hasher.type} does not keep the key`);
  const rest = hexToU8a(key).subarray(hexToU8a(item.prefix).length + hashLen);
  const codec = view.registry.createTypeUnsafe(view.registry.createLookupType(map.key), [rest]);
  if (codec.encodedLength !== rest.length) throw new ChainDecodeError(`${item.pallet}.${item.name}: cannot read the netuid from key ${key}`);
  return toSmallInt(codec, `${item.pallet}.${item.name} key`);
}

async function listNetuids(io: ChainIo, view: RuntimeView, hash: string): Promise<number[]> {
  const item = view.storageItem(NETWORKS_ADDED.pallet, NETWORKS_ADDED.name) ?? requireItem(view, ROOT_STAKE);
  const netuids: number[] = [];
  let start: string | null = null;
  for (;;) {
    const page = (await io.send('state_getKeysPaged', [item.prefix, KEYS_PAGE, start, hash])) as string[];
    if (!Array.isArray(page)) throw new ChainDecodeError('state_getKeysPaged: expected a list of keys');
    for (const key of page) netuids.push(mapKeyArg(view, item, key));
    if (page.length < KEYS_PAGE) break;
    start = page[page.length - 1]!;
  }
  return [...new Set(netuids)].sort((a, b) => a - b);
}

/** Values of `keys` at `hash`, in as few `state_queryStorageAt` calls as the chunk size allows. */
async function queryStorage(io: ChainIo, keys: string[], hash: string): Promise<Map<string, string | null>> {
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += QUERY_CHUNK) chunks.push(keys.slice(i, i + QUERY_CHUNK));
  const answers = await Promise.all(chunks.map((chunk) => io.send('state_queryStorageAt', [chunk, hash])));
  const values = new Map<string, string | null>();
  for (const answer of answers) {
    if (!Array.isArray(answer)) throw new ChainDecodeError('state_queryStorageAt: expected a list of change sets');
    for (const set of answer as Array<{ block?: string; changes?: Array<[string, string | null]> }>) {
      if (typeof set.block === 'string' && set.block.toLowerCase() !== hash.toLowerCase()) {
        throw new ChainReadError(`state_queryStorageAt answered for block ${set.block}, not ${hash}`, { retryable: true });
      }
      for (const [k, v] of set.changes ?? []) values.set(k.toLowerCase(), v);
    }
  }
  return values;
}

async function readPrices(io: ChainIo, view: RuntimeView, hash: string): Promise<Map<number, number> | undefined> {
  const api = view.runtimeApi(SWAP_API, PRICE_ALL);
  if (!api) return undefined;
  const hex = (await io.send('state_call', [api.callName, '0x', hash])) as string;
  const list = decodeCallResult(view.registry, api.output, hex, api.callName) as unknown as Codec[];
  if (!Array.isArray(list)) throw new ChainDecodeError(`${api.callName}: expected a list, got ${(list as Codec).toRawType()}`);
  const prices = new Map<number, number>();
  for (const entry of list) {
    const get = (k: string) => (entry as unknown as { get(k: string): Codec | undefined }).get(k);
    const netuid = get('netuid');
    const price = get('price');
    if (!netuid || !price) throw new ChainDecodeError(`${api.callName}: entries need netuid and price`);
    // rao per whole alpha -> TAO per alpha
    prices.set(toSmallInt(netuid, `${api.callName} netuid`), Number(toBig(price, `${api.callName} price`)) / 1e9);
  }
  return prices;
}

/** A block's number and time, read from its own state. */
export interface BlockTime {
  blockHash: string;
  blockNumber: number;
  /** Timestamp.Now, Unix ms. */
  timeMs: number;
}

/** System.Number and Timestamp.Now at one block hash, in one storage query (for mapping dates to blocks). */
export async function readBlockTimeAt(io: ChainIo, hash: string): Promise<BlockTime> {
  const view = await io.view(hash);
  const numberItem = requireItem(view, BLOCK_NUMBER);
  const timeItem = requireItem(view, TIMESTAMP);
  const values = await queryStorage(io, [numberItem.key(), timeItem.key()], hash);
  const decode = (item: StorageItemView, what: string) =>
    decodeStorageValue(view.registry, item.meta, values.get(item.key().toLowerCase()) ?? null, what)!;
  return {
    blockHash: hash,
    blockNumber: toSmallInt(decode(numberItem, 'System.Number'), 'System.Number'),
    timeMs: toSmallInt(decode(timeItem, 'Timestamp.Now'), 'Timestamp.Now'),
  };
}

export async function readSnapshotAt(io: ChainIo, hash: string): Promise<ChainSnapshot> {
  const view = await io.view(hash);
  for (const name of REQUIRED_SUBNET_ITEMS) requireItem(view, { pallet: 'SubtensorModule', name });
  const numberItem = requireItem(view, BLOCK_NUMBER);
  const timeItem = requireItem(view, TIMESTAMP);
  const globals = [TAO_WEIGHT, TOTAL_ISSUANCE].map((ref) => view.storageItem(ref.pallet, ref.name));
  const rootItem = requireItem(view, ROOT_STAKE);
  const addedItem = view.storageItem(NETWORKS_ADDED.pallet, NETWORKS_ADDED.name);
  const subnetItems = SUBNET_ITEMS.map((plan) => ({ plan, item: view.storageItem(plan.pallet, plan.name) }))
    .filter((x): x is { plan: (typeof SUBNET_ITEMS)[number]; item: StorageItemView } => x.item !== undefined);

  const [listed, prices] = await Promise.all([listNetuids(io, view, hash), readPrices(io, view, hash)]);
  const candidates = listed.filter((n) => n !== ROOT_NETUID);

  const keys: string[] = [numberItem.key(), timeItem.key(), rootItem.key(ROOT_NETUID)];
  for (const g of globals) if (g) keys.push(g.key());
  for (const n of candidates) {
    if (addedItem) keys.push(addedItem.key(n));
    for (const { item } of subnetItems) keys.push(item.key(n));
  }
  const values = await queryStorage(io, keys, hash);
  const decode = (item: StorageItemView, key: string, what: string) =>
    decodeStorageValue(view.registry, item.meta, values.get(key.toLowerCase()) ?? null, what);

  const blockNumber = toSmallInt(decode(numberItem, numberItem.key(), 'System.Number')!, 'System.Number');
  const nowMs = toSmallInt(decode(timeItem, timeItem.key(), 'Timestamp.Now')!, 'Timestamp.Now');
  const rootStake = toBig(decode(rootItem, rootItem.key(ROOT_NETUID), 'SubnetTAO[0]')!, 'SubnetTAO[0]');
  const [taoWeightItem, issuanceItem] = globals;
  const taoWeight = taoWeightItem ? toU64Fraction(decode(taoWeightItem, taoWeightItem.key(), 'TaoWeight')!, 'TaoWeight') : undefined;
  const totalIssuance = issuanceItem ? toBig(decode(issuanceItem, issuanceItem.key(), 'TotalIssuance')!, 'TotalIssuance') : undefined;

  const subnets: SubnetState[] = [];
  for (const netuid of candidates) {
    if (addedItem) {
      const added = decode(addedItem, addedItem.key(netuid), `NetworksAdded[${netuid}]`);
      if (!added || !toBool(added, `NetworksAdded[${netuid}]`)) continue;
    }
    const sn: Record<string, unknown> = { netuid };
    for (const { plan, item } of subnetItems) {
      const what = `${plan.pallet}.${plan.name}[${netuid}]`;
      const v = plan.convert(decode(item, item.key(netuid), what), what);
      if (v !== undefined) sn[plan.field] = v;
    }
    const state = sn as unknown as SubnetState;
    state.price = prices?.get(netuid) ?? curvePrice(state);
    subnets.push(state);
  }

  const snapshot: Snapshot = { block: blockNumber, time: chainTimeText(nowMs), subnets, rootStake };
  if (taoWeight !== undefined) snapshot.taoWeight = taoWeight;
  if (totalIssuance !== undefined) snapshot.blockEmission = blockEmissionFor(totalIssuance);
  return {
    snapshot,
    blockHash: hash,
    blockNumber,
    specVersion: view.specVersion,
    totalIssuance: totalIssuance ?? 0n,
    capabilities: view.capabilities(),
  };
}
