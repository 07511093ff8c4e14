/**
 * Storage reads by raw key, as a node answers `state_getStorage` / `state_queryStorageAt` /
 * `state_getKeysPaged`. A key is twox128(pallet) ++ twox128(item) ++ the hashed map key;
 * the reader recognises the item from the first 32 bytes, recovers the map key from the rest
 * (checking its hash), and encodes the value the layout gives for that block. Nothing is
 * materialised per block: a read costs only the keys asked for.
 */
import type { TypeRegistry } from '@polkadot/types';
import { hexToU8a, u8aConcat, u8aEq, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import type { BlockState } from '../block-state.ts';
import type { MapItem, StorageHasher, StorageItem } from './storage-layout.ts';

const PREFIX_HEX_LENGTH = 2 + 64; // "0x" + 32 bytes

function hashLength(hasher: StorageHasher): number {
  return hasher === 'Identity' ? 0 : hasher === 'Twox64Concat' ? 8 : 16;
}

function hashOf(hasher: StorageHasher, data: Uint8Array): Uint8Array {
  if (hasher === 'Identity') return new Uint8Array(0);
  return hasher === 'Twox64Concat' ? xxhashAsU8a(data, 64) : blake2AsU8a(data, 128);
}

export function itemPrefix(pallet: string, name: string): Uint8Array {
  return u8aConcat(xxhashAsU8a(pallet, 128), xxhashAsU8a(name, 128));
}

export class StorageReader {
  private readonly byPrefix = new Map<string, StorageItem>();
  private readonly prefixes = new Map<StorageItem, string>();

  constructor(private readonly registry: TypeRegistry, readonly items: StorageItem[]) {
    for (const item of items) {
      const prefix = u8aToHex(itemPrefix(item.pallet, item.name));
      this.byPrefix.set(prefix, item);
      this.prefixes.set(item, prefix);
    }
  }

  private encodeValue(item: StorageItem, value: unknown): string {
    // SCALE bytes via toU8a: toHex() on a number codec gives its big-endian value instead.
    return u8aToHex(this.registry.createType(this.registry.createLookupType(item.value), value).toU8a());
  }

  private encodeKeyArg(item: MapItem, arg: number): Uint8Array {
    return this.registry.createType(this.registry.createLookupType(item.key), arg).toU8a();
  }

  keyOf(item: StorageItem, arg?: number): string {
    const prefix = this.prefixes.get(item)!;
    if (item.kind === 'plain') return prefix;
    const encoded = this.encodeKeyArg(item, arg!);
    return prefix + u8aToHex(u8aConcat(hashOf(item.hasher, encoded), encoded)).slice(2);
  }

  /** The SCALE value stored at `key` in this block's state, or null where nothing is stored. */
  get(key: string, state: BlockState): string | null {
    const lower = key.toLowerCase();
    const item = this.byPrefix.get(lower.slice(0, PREFIX_HEX_LENGTH));
    if (!item) return null;
    if (item.kind === 'plain') {
      if (lower.length !== PREFIX_HEX_LENGTH) return null;
      const v = item.read(state);
      return v === undefined ? null : this.encodeValue(item, v);
    }
    const rest = hexToU8a('0x' + lower.slice(PREFIX_HEX_LENGTH));
    const hashLen = hashLength(item.hasher);
    const argBytes = rest.subarray(hashLen);
    const codec = this.registry.createType(this.registry.createLookupType(item.key), argBytes);
    if (codec.encodedLength !== argBytes.length) return null;
    if (!u8aEq(rest.subarray(0, hashLen), hashOf(item.hasher, argBytes))) return null;
    const arg = Number((codec as unknown as { toNumber(): number }).toNumber());
    const v = item.read(state, arg);
    return v === undefined ? null : this.encodeValue(item, v);
  }

  /**
   * Keys under `prefix` in ascending byte order, strictly after `startKey`, at most `count`:
   * the paging contract of `state_getKeysPaged`.
   */
  keysPaged(prefix: string, count: number, startKey: string | undefined, state: BlockState): string[] {
    const want = prefix.toLowerCase();
    const after = startKey?.toLowerCase();
    const keys: string[] = [];
    for (const [itemPrefixHex, item] of this.byPrefix) {
      // Only items whose keys can start with the prefix: the prefix is a prefix of the item's,
      // or reaches into the item's map keys.
      if (!itemPrefixHex.startsWith(want) && !want.startsWith(itemPrefixHex)) continue;
      const all = item.kind === 'plain'
        ? (item.read(state) === undefined ? [] : [itemPrefixHex])
        : item.keys(state).map((k) => this.keyOf(item, k));
      for (const k of all) if (k.startsWith(want) && (after === undefined || k > after)) keys.push(k);
    }
    keys.sort();
    return keys.slice(0, count);
  }
}
