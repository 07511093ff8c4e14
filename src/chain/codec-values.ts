/**
 * Turning SCALE values read from the chain into the snapshot's numbers. Storage values are
 * decoded with the types the block's own metadata declares; the helpers below then take the
 * numbers out, checking the shape they expect so that a changed type fails loudly instead of
 * giving a wrong number. Fixed-point types arrive as `{ bits }` (I96F32, U96F32: bits / 2^32).
 */
import type { Codec, Registry } from '@polkadot/types/types';
import type { StorageEntryMetadataLatest } from '@polkadot/types/interfaces';
import { hexToU8a, u8aToString } from '@polkadot/util';
import { fixedToNumber } from '../core/units.ts';
import { ChainReadError } from './errors.ts';

export class ChainDecodeError extends ChainReadError {
  constructor(message: string) {
    super(message, { retryable: false });
    this.name = 'ChainDecodeError';
  }
}

function valueTypeOf(registry: Registry, meta: StorageEntryMetadataLatest): string {
  const id = meta.type.isPlain ? meta.type.asPlain : meta.type.asMap.value;
  return registry.createLookupType(id);
}

/**
 * Decodes a storage value (hex, or null when the key holds nothing). An absent value of a
 * `Default` item is its declared default; of an `Optional` item, undefined.
 */
export function decodeStorageValue(registry: Registry, meta: StorageEntryMetadataLatest, hex: string | null, what: string): Codec | undefined {
  if (hex === null && meta.modifier.isOptional) return undefined;
  const bytes = hex === null ? meta.fallback.toU8a(true) : hexToU8a(hex);
  let codec: Codec;
  try {
    codec = registry.createTypeUnsafe(valueTypeOf(registry, meta), [bytes]);
  } catch (err) {
    throw new ChainDecodeError(`${what}: cannot decode ${hex}: ${(err as Error).message}`);
  }
  if (codec.encodedLength !== bytes.length) {
    throw new ChainDecodeError(`${what}: value has ${bytes.length} bytes, its type ${codec.toRawType()} takes ${codec.encodedLength}`);
  }
  return codec;
}

/** Decodes a runtime API answer with the output type the metadata declares. */
export function decodeCallResult(registry: Registry, type: string, hex: string, what: string): Codec {
  const bytes = hexToU8a(hex);
  let codec: Codec;
  try {
    codec = registry.createTypeUnsafe(type, [bytes]);
  } catch (err) {
    throw new ChainDecodeError(`${what}: cannot decode the answer: ${(err as Error).message}`);
  }
  if (codec.encodedLength !== bytes.length) {
    throw new ChainDecodeError(`${what}: answer has ${bytes.length} bytes, its type ${codec.toRawType()} takes ${codec.encodedLength}`);
  }
  return codec;
}

function field(codec: Codec, name: string, what: string): Codec {
  const get = (codec as unknown as { get?: (k: string) => Codec | undefined }).get;
  const v = typeof get === 'function' ? get.call(codec, name) : undefined;
  if (!v) throw new ChainDecodeError(`${what}: expected a struct with field "${name}", got ${codec.toRawType()}`);
  return v;
}

/** An unsigned or signed integer codec (u16, u64, i128, Perquintill, ...) as a bigint. */
export function toBig(codec: Codec, what: string): bigint {
  const fn = (codec as unknown as { toBigInt?: () => bigint }).toBigInt;
  if (typeof fn !== 'function') throw new ChainDecodeError(`${what}: expected an integer, got ${codec.toRawType()}`);
  return fn.call(codec);
}

export function toSmallInt(codec: Codec, what: string): number {
  const v = toBig(codec, what);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ChainDecodeError(`${what}: ${v} is too large`);
  return Number(v);
}

export function toBool(codec: Codec, what: string): boolean {
  const v = (codec as unknown as { isTrue?: boolean }).isTrue;
  if (typeof v !== 'boolean') throw new ChainDecodeError(`${what}: expected a bool, got ${codec.toRawType()}`);
  return v;
}

/** A substrate_fixed value `{ bits }` with `fracBits` fractional bits, as a number. */
export function toFixed(codec: Codec, fracBits: number, what: string): number {
  return fixedToNumber(toBig(field(codec, 'bits', what), what), fracBits);
}

const U64_MAX = Number((1n << 64n) - 1n);

/** A u64 that stands for a fraction of u64::MAX (TaoWeight). */
export function toU64Fraction(codec: Codec, what: string): number {
  return Number(toBig(codec, what)) / U64_MAX;
}

/** Swap.SwapBalancer `{ quote: Perquintill }`: the TAO-side weight, parts per 1e18. */
export function toQuoteWeight(codec: Codec, what: string): number {
  return Number(toBig(field(codec, 'quote', what), what)) / 1e18;
}

/** SubnetIdentitiesV3's subnet_name (UTF-8 bytes); undefined when unset or empty. */
export function toSubnetName(codec: Codec | undefined, what: string): string | undefined {
  if (codec === undefined) return undefined;
  const raw = field(codec, 'subnetName', what).toU8a(true);
  const name = u8aToString(raw);
  return name.length ? name : undefined;
}
