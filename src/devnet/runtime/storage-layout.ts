/**
 * The storage items the devnet serves: for each, its metadata entry (pallet, name, key hasher,
 * key and value types, default) as subtensor spec 424 declares it, and how its value at a
 * block follows from the block's market state. Items a runtime version does not have are
 * switched off by its features.
 */
import { Decimal } from 'decimal.js';
import type { SubnetState } from '../../core/snapshot.ts';
import type { BlockState } from '../block-state.ts';
import { ROOT_NETUID } from '../block-state.ts';
import type { SubtensorTypes } from './subtensor-types.ts';

export type StorageHasher = 'Identity' | 'Twox64Concat' | 'Blake2_128Concat';

export interface RuntimeFeatures {
  /** Swap.SwapBalancer and the weighted pool (spec 423+). */
  swapBalancer: boolean;
  /** SwapRuntimeApi (current_alpha_price(_all), sim_swap_*). */
  swapRuntimeApi: boolean;
}

interface ItemCommon {
  pallet: string;
  name: string;
  modifier: 'Default' | 'Optional';
  /** SCALE bytes of the value a read returns when the key is absent (spec 424's defaults). */
  fallback: string;
  value: number;
  docs: string[];
  feature?: keyof RuntimeFeatures;
}

export interface PlainItem extends ItemCommon {
  kind: 'plain';
  read(s: BlockState): unknown;
}

export interface MapItem extends ItemCommon {
  kind: 'map';
  hasher: StorageHasher;
  key: number;
  /** Keys present at this block, ascending. */
  keys(s: BlockState): number[];
  /** Value at a key, or undefined when absent. */
  read(s: BlockState, key: number): unknown;
}

export type StorageItem = PlainItem | MapItem;

const ZERO_U64 = '0x0000000000000000';
const ZERO_FIXED128 = '0x00000000000000000000000000000000';

/** x as fixed point with `fracBits` fractional bits, rounded to the nearest step. */
export function toFixedBits(x: number, fracBits: number): bigint {
  return BigInt(new Decimal(x).times(new Decimal(2).pow(fracBits)).toFixed(0, Decimal.ROUND_HALF_EVEN));
}

const U64_MAX = (1n << 64n) - 1n;

/** A fraction in [0, 1] as u64 parts of u64::MAX (TaoWeight's encoding). */
export function toU64Fraction(x: number): bigint {
  const v = BigInt(new Decimal(x).times(U64_MAX.toString()).toFixed(0, Decimal.ROUND_HALF_EVEN));
  return v < 0n ? 0n : v > U64_MAX ? U64_MAX : v;
}

/** A fraction in [0, 1] as a Perquintill (parts per 1e18). */
export function toPerquintill(x: number): bigint {
  return BigInt(new Decimal(x).times('1e18').toFixed(0, Decimal.ROUND_HALF_EVEN));
}

function subnetKeys(s: BlockState, has: (sn: SubnetState) => boolean): number[] {
  const out: number[] = [];
  for (const [netuid, sn] of s.subnets) if (has(sn)) out.push(netuid);
  return out.sort((a, b) => a - b);
}

/** A per-subnet u64/u16/bool/fixed value; `root` gives netuid 0's value where it has one. */
function subnetMap(
  t: SubtensorTypes,
  name: string,
  value: number,
  fallback: string,
  docs: string,
  pick: (sn: SubnetState) => unknown,
  root?: (s: BlockState) => unknown,
): MapItem {
  return {
    kind: 'map', pallet: 'SubtensorModule', name, modifier: 'Default', hasher: 'Identity', key: t.u16, value, fallback, docs: [docs],
    keys(s) {
      const keys = subnetKeys(s, (sn) => pick(sn) !== undefined);
      if (root && root(s) !== undefined) keys.unshift(ROOT_NETUID);
      return keys;
    },
    read(s, netuid) {
      if (netuid === ROOT_NETUID) return root ? root(s) : undefined;
      const sn = s.subnets.get(netuid);
      return sn ? pick(sn) : undefined;
    },
  };
}

export function storageLayout(t: SubtensorTypes): StorageItem[] {
  const fixedI = (x: number | undefined) => (x === undefined ? undefined : { bits: toFixedBits(x, 32) });
  const rootStake = (s: BlockState) => s.snapshot.rootStake;
  return [
    { kind: 'plain', pallet: 'System', name: 'Number', modifier: 'Default', value: t.u32, fallback: '0x00000000',
      docs: [' The current block number being processed. Set by `execute_block`.'], read: (s) => s.number },
    { kind: 'plain', pallet: 'System', name: 'ParentHash', modifier: 'Default', value: t.h256, fallback: '0x' + '00'.repeat(32),
      docs: [' Hash of the previous block.'], read: (s) => s.parentHash },
    { kind: 'map', pallet: 'System', name: 'BlockHash', modifier: 'Default', hasher: 'Twox64Concat', key: t.u32, value: t.h256,
      fallback: '0x' + '00'.repeat(32), docs: [' Map of block numbers to block hashes.'],
      keys: (s) => {
        const out: number[] = [];
        for (let n = Math.max(0, s.number - 4096); n < s.number; n++) if (s.blockHash(n) !== undefined) out.push(n);
        return out;
      },
      read: (s, n) => (n < s.number && n >= s.number - 4096 ? s.blockHash(n) : undefined) },
    { kind: 'plain', pallet: 'System', name: 'Events', modifier: 'Default', value: t.eventRecords, fallback: '0x00',
      docs: [' Events deposited for the current block.'], read: () => [] },
    { kind: 'plain', pallet: 'Timestamp', name: 'Now', modifier: 'Default', value: t.u64, fallback: ZERO_U64,
      docs: [' The current time for the current block.'], read: (s) => BigInt(s.timeMs) },

    { kind: 'map', pallet: 'SubtensorModule', name: 'NetworksAdded', modifier: 'Default', hasher: 'Identity', key: t.u16, value: t.bool,
      fallback: '0x00', docs: [' --- MAP ( netuid ) --> network_is_added'],
      keys: (s) => [ROOT_NETUID, ...subnetKeys(s, () => true)],
      read: (s, n) => (n === ROOT_NETUID || s.subnets.has(n) ? true : undefined) },
    { kind: 'plain', pallet: 'SubtensorModule', name: 'TotalNetworks', modifier: 'Default', value: t.u16, fallback: '0x0000',
      docs: [' --- ITEM ( total_number_of_existing_networks )'], read: (s) => s.subnets.size + 1 },
    subnetMap(t, 'SubnetMechanism', t.u16, '0x0000', ' --- MAP ( netuid ) --> subnet mechanism', () => 1),
    subnetMap(t, 'SubnetTAO', t.u64, ZERO_U64, ' --- MAP ( netuid ) --> tao_in_subnet | Returns the amount of TAO in the subnet.',
      (sn) => sn.taoIn, rootStake),
    subnetMap(t, 'SubnetAlphaIn', t.u64, ZERO_U64, ' --- MAP ( netuid ) --> alpha_in_pool | Returns the amount of alpha in the pool.',
      (sn) => sn.alphaIn),
    subnetMap(t, 'SubnetAlphaOut', t.u64, ZERO_U64, ' --- MAP ( netuid ) --> alpha_supply_in_subnet | Returns the amount of alpha in the subnet.',
      (sn) => sn.alphaOut, rootStake),
    subnetMap(t, 'SubnetMovingPrice', t.fixedI128, ZERO_FIXED128, ' --- MAP ( netuid ) --> moving_price | The subnet moving price.',
      (sn) => fixedI(sn.movingPrice)),
    subnetMap(t, 'SubnetTaoInEmission', t.u64, ZERO_U64, ' --- MAP ( netuid ) --> tao_in_emission | Returns the amount of tao emitted into the pool.',
      (sn) => sn.taoInEmission),
    subnetMap(t, 'SubnetAlphaInEmission', t.u64, ZERO_U64, ' --- MAP ( netuid ) --> alpha_in_emission | Returns the amount of alph in  emission into the pool per block.',
      (sn) => sn.alphaInEmission),
    subnetMap(t, 'SubnetAlphaOutEmission', t.u64, ZERO_U64, ' --- MAP ( netuid ) --> alpha_out_emission | Returns the amount of alpha out emission into the network per block.',
      (sn) => sn.alphaOutEmission),
    subnetMap(t, 'SubnetExcessTao', t.u64, ZERO_U64, ' --- MAP ( netuid ) --> excess_tao | TAO spent on the chain buy in the last block.',
      (sn) => sn.excessTao),
    subnetMap(t, 'RootProp', t.fixedU128, ZERO_FIXED128, ' --- MAP ( netuid ) --> root_prop | The subnet root proportion.',
      (sn) => fixedI(sn.rootProp)),
    subnetMap(t, 'Tempo', t.u16, '0x6801', ' --- MAP ( netuid ) --> tempo', (sn) => sn.tempo),
    subnetMap(t, 'SubnetEmissionEnabled', t.bool, '0x01', ' --- MAP ( netuid ) --> whether the subnet receives TAO emission',
      (sn) => sn.emissionEnabled),
    { kind: 'plain', pallet: 'SubtensorModule', name: 'TaoWeight', modifier: 'Default', value: t.u64,
      // The runtime's initial value (about 0.0527); mainnet stores 0.18 since the dTAO launch.
      fallback: '0xfc62e03efa3c7c0d', docs: [' --- ITEM --> Global weight'],
      read: (s) => (s.snapshot.taoWeight === undefined ? undefined : toU64Fraction(s.snapshot.taoWeight)) },
    { kind: 'plain', pallet: 'SubtensorModule', name: 'TotalIssuance', modifier: 'Default', value: t.u64, fallback: ZERO_U64,
      docs: [' ==== Staking Variables ===='], read: (s) => s.totalIssuance },
    { kind: 'map', pallet: 'SubtensorModule', name: 'SubnetIdentitiesV3', modifier: 'Optional', hasher: 'Blake2_128Concat', key: t.u16,
      value: t.subnetIdentityV3, fallback: '0x00', docs: [' --- MAP ( netuid ) --> SubnetIdentityOfV3'],
      keys: (s) => subnetKeys(s, (sn) => sn.name !== undefined),
      read: (s, n) => {
        const name = s.subnets.get(n)?.name;
        // A string becomes UTF-8 bytes; a Uint8Array would be read as already length-prefixed.
        return name === undefined ? undefined : { subnetName: name };
      } },

    { kind: 'map', pallet: 'Swap', name: 'FeeRate', modifier: 'Default', hasher: 'Twox64Concat', key: t.u16, value: t.u16, fallback: '0x2100',
      docs: [' The fee rate applied to swaps per subnet, normalized value between 0 and u16::MAX'],
      keys: (s) => subnetKeys(s, (sn) => sn.feeRate !== undefined), read: (s, n) => s.subnets.get(n)?.feeRate },
    { kind: 'map', pallet: 'Swap', name: 'SwapBalancer', modifier: 'Default', hasher: 'Twox64Concat', key: t.u16, value: t.balancer,
      fallback: '0x0000b2d3595bf006', docs: [' Balancer (weighted pool) weights per subnet: the quote (TAO) side weight.'], feature: 'swapBalancer',
      keys: (s) => subnetKeys(s, (sn) => sn.quoteWeight !== undefined),
      read: (s, n) => {
        const w = s.subnets.get(n)?.quoteWeight;
        return w === undefined ? undefined : { quote: toPerquintill(w) };
      } },
  ];
}
