/**
 * Storage keys built in the tests from Substrate's rules, independently of the code under
 * test: twox128(pallet) ++ twox128(item) ++ hasher(SCALE key).
 */
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';

export type Hasher = 'Identity' | 'Twox64Concat' | 'Blake2_128Concat';

export function u16le(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, n >> 8]);
}

export function u32le(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]);
}

export function storageKey(pallet: string, item: string, hasher?: Hasher, arg?: Uint8Array): string {
  const prefix = u8aConcat(xxhashAsU8a(pallet, 128), xxhashAsU8a(item, 128));
  if (!hasher) return u8aToHex(prefix);
  const hash = hasher === 'Identity' ? new Uint8Array() : hasher === 'Twox64Concat' ? xxhashAsU8a(arg!, 64) : blake2AsU8a(arg!, 128);
  return u8aToHex(u8aConcat(prefix, hash, arg!));
}

/** Little-endian hex of an unsigned integer of `bytes` bytes (its SCALE encoding). */
export function leHex(value: bigint | number, bytes: number): string {
  let v = BigInt(value);
  let out = '0x';
  for (let i = 0; i < bytes; i++) {
    out += (v & 0xffn).toString(16).padStart(2, '0');
    v >>= 8n;
  }
  return out;
}
