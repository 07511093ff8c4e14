/**
 * A snapshot packed into typed arrays, so the devnet can keep thousands of past blocks of a
 * 128-subnet market (about 14 kB a block instead of about 50 kB of objects). Packing is
 * lossless: `unpackSnapshot(packSnapshot(s))` gives back every field, absent ones included.
 */
import type { Snapshot, SubnetState } from '../core/snapshot.ts';

const AMOUNT_FIELDS = ['taoIn', 'alphaIn', 'alphaOut', 'taoInEmission', 'alphaInEmission', 'alphaOutEmission', 'excessTao'] as const;
const FLOAT_FIELDS = ['price', 'movingPrice', 'rootProp', 'quoteWeight'] as const;
const SMALL_FIELDS = ['feeRate', 'tempo'] as const;
const U64_MAX = (1n << 64n) - 1n;
const ABSENT_SMALL = -1;

export interface PackedSnapshot {
  readonly block: number;
  readonly time: string;
  readonly rootStake?: bigint;
  readonly taoWeight?: number;
  readonly blockEmission?: bigint;
  readonly netuids: Uint16Array;
  /** AMOUNT_FIELDS per subnet, row-major. */
  readonly amounts: BigUint64Array;
  /** Bit i set: AMOUNT_FIELDS[i] present. */
  readonly amountPresent: Uint8Array;
  /** FLOAT_FIELDS per subnet; NaN marks an absent value. */
  readonly floats: Float64Array;
  /** SMALL_FIELDS per subnet; -1 marks an absent value. */
  readonly small: Int32Array;
  /** emissionEnabled: 0 false, 1 true, 2 absent. */
  readonly enabled: Uint8Array;
  readonly names: ReadonlyArray<string | undefined>;
}

export function packSnapshot(s: Snapshot): PackedSnapshot {
  const n = s.subnets.length;
  const netuids = new Uint16Array(n);
  const amounts = new BigUint64Array(n * AMOUNT_FIELDS.length);
  const amountPresent = new Uint8Array(n);
  const floats = new Float64Array(n * FLOAT_FIELDS.length);
  const small = new Int32Array(n * SMALL_FIELDS.length);
  const enabled = new Uint8Array(n);
  const names: Array<string | undefined> = new Array(n);
  s.subnets.forEach((sn, i) => {
    if (!Number.isInteger(sn.netuid) || sn.netuid < 0 || sn.netuid > 0xffff) throw new RangeError(`netuid ${sn.netuid} is not a u16`);
    netuids[i] = sn.netuid;
    AMOUNT_FIELDS.forEach((f, j) => {
      const v = sn[f];
      if (v === undefined) return;
      // The chain stores these as u64; a value outside that range cannot be served.
      if (v < 0n || v > U64_MAX) throw new RangeError(`subnet ${sn.netuid}: ${f} = ${v} does not fit a u64`);
      amounts[i * AMOUNT_FIELDS.length + j] = v;
      amountPresent[i] |= 1 << j;
    });
    FLOAT_FIELDS.forEach((f, j) => {
      floats[i * FLOAT_FIELDS.length + j] = sn[f] ?? Number.NaN;
    });
    SMALL_FIELDS.forEach((f, j) => {
      small[i * SMALL_FIELDS.length + j] = sn[f] ?? ABSENT_SMALL;
    });
    enabled[i] = sn.emissionEnabled === undefined ? 2 : sn.emissionEnabled ? 1 : 0;
    names[i] = sn.name;
  });
  return {
    block: s.block, time: s.time, rootStake: s.rootStake, taoWeight: s.taoWeight, blockEmission: s.blockEmission,
    netuids, amounts, amountPresent, floats, small, enabled, names,
  };
}

export function unpackSnapshot(p: PackedSnapshot): Snapshot {
  const subnets: SubnetState[] = [];
  for (let i = 0; i < p.netuids.length; i++) {
    const sn: Record<string, unknown> = { netuid: p.netuids[i] };
    AMOUNT_FIELDS.forEach((f, j) => {
      if (p.amountPresent[i]! & (1 << j)) sn[f] = p.amounts[i * AMOUNT_FIELDS.length + j];
    });
    FLOAT_FIELDS.forEach((f, j) => {
      const v = p.floats[i * FLOAT_FIELDS.length + j]!;
      if (!Number.isNaN(v)) sn[f] = v;
    });
    SMALL_FIELDS.forEach((f, j) => {
      const v = p.small[i * SMALL_FIELDS.length + j]!;
      if (v !== ABSENT_SMALL) sn[f] = v;
    });
    if (p.enabled[i] !== 2) sn.emissionEnabled = p.enabled[i] === 1;
    if (p.names[i] !== undefined) sn.name = p.names[i];
    subnets.push(sn as unknown as SubnetState);
  }
  const out: Snapshot = { block: p.block, time: p.time, subnets };
  if (p.rootStake !== undefined) out.rootStake = p.rootStake;
  if (p.taoWeight !== undefined) out.taoWeight = p.taoWeight;
  if (p.blockEmission !== undefined) out.blockEmission = p.blockEmission;
  return out;
}
