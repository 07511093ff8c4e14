/**
 * What a snapshot is made of on chain: every storage item the adapter reads, the snapshot
 * field it fills and how its value converts (mechanics §5.2), plus the runtime APIs it calls
 * (§5.3). Items a block's runtime lacks are left out of that block's snapshot.
 */
import type { Codec } from '@polkadot/types/types';
import type { SubnetState } from '../core/snapshot.ts';
import { toBig, toBool, toFixed, toQuoteWeight, toSmallInt, toSubnetName } from './codec-values.ts';

export interface ItemRef {
  pallet: string;
  name: string;
}

type SubnetField = Exclude<keyof SubnetState, 'netuid' | 'price'>;

export interface SubnetItem extends ItemRef {
  field: SubnetField;
  /** Converts the decoded value (undefined: an Optional item that holds nothing). */
  convert(value: Codec | undefined, what: string): SubnetState[SubnetField] | undefined;
}

const big = (v: Codec | undefined, what: string) => (v === undefined ? undefined : toBig(v, what));
const fixed32 = (v: Codec | undefined, what: string) => (v === undefined ? undefined : toFixed(v, 32, what));
const small = (v: Codec | undefined, what: string) => (v === undefined ? undefined : toSmallInt(v, what));
const bool = (v: Codec | undefined, what: string) => (v === undefined ? undefined : toBool(v, what));

const SUBTENSOR = 'SubtensorModule';

/** Per-subnet items, keyed by netuid. The first two are required: without them there is no pool. */
export const SUBNET_ITEMS: SubnetItem[] = [
  { pallet: SUBTENSOR, name: 'SubnetTAO', field: 'taoIn', convert: big },
  { pallet: SUBTENSOR, name: 'SubnetAlphaIn', field: 'alphaIn', convert: big },
  { pallet: SUBTENSOR, name: 'SubnetAlphaOut', field: 'alphaOut', convert: big },
  { pallet: SUBTENSOR, name: 'SubnetMovingPrice', field: 'movingPrice', convert: fixed32 }, // I96F32
  { pallet: SUBTENSOR, name: 'RootProp', field: 'rootProp', convert: fixed32 }, // U96F32
  { pallet: SUBTENSOR, name: 'SubnetTaoInEmission', field: 'taoInEmission', convert: big },
  { pallet: SUBTENSOR, name: 'SubnetAlphaInEmission', field: 'alphaInEmission', convert: big },
  { pallet: SUBTENSOR, name: 'SubnetAlphaOutEmission', field: 'alphaOutEmission', convert: big },
  { pallet: SUBTENSOR, name: 'SubnetExcessTao', field: 'excessTao', convert: big },
  { pallet: 'Swap', name: 'FeeRate', field: 'feeRate', convert: small },
  { pallet: SUBTENSOR, name: 'Tempo', field: 'tempo', convert: small },
  { pallet: SUBTENSOR, name: 'SubnetEmissionEnabled', field: 'emissionEnabled', convert: bool },
  { pallet: SUBTENSOR, name: 'SubnetIdentitiesV3', field: 'name', convert: (v, what) => toSubnetName(v, what) },
  { pallet: 'Swap', name: 'SwapBalancer', field: 'quoteWeight', convert: (v, what) => (v === undefined ? undefined : toQuoteWeight(v, what)) },
];

export const REQUIRED_SUBNET_ITEMS = ['SubnetTAO', 'SubnetAlphaIn'];

/** Lists the subnets: a key per existing netuid, value true. */
export const NETWORKS_ADDED: ItemRef = { pallet: SUBTENSOR, name: 'NetworksAdded' };
export const BLOCK_NUMBER: ItemRef = { pallet: 'System', name: 'Number' };
export const TIMESTAMP: ItemRef = { pallet: 'Timestamp', name: 'Now' };
export const TAO_WEIGHT: ItemRef = { pallet: SUBTENSOR, name: 'TaoWeight' };
/** SubtensorModule's issuance drives the halvings (not Balances.TotalIssuance). */
export const TOTAL_ISSUANCE: ItemRef = { pallet: SUBTENSOR, name: 'TotalIssuance' };
/** SubnetTAO[0]: TAO staked on root. */
export const ROOT_STAKE: ItemRef = { pallet: SUBTENSOR, name: 'SubnetTAO' };
export const ROOT_NETUID = 0;

export const SWAP_API = 'SwapRuntimeApi';
export const PRICE_ALL = 'current_alpha_price_all';
export const SIM_BUY = 'sim_swap_tao_for_alpha';
export const SIM_SELL = 'sim_swap_alpha_for_tao';
