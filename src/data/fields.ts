/**
 * The fields of `dtao-snapshots/1`, in canonical order, with their kinds. The reader, the
 * writer, the CSV form and the validator all work from this one table.
 */

/** amount: decimal string (or JSON number) in whole units, at most 9 decimals, >= 0.
 *  number: a ratio or price (decimal string or JSON number). int/bool/string: as named. */
export type FieldKind = 'amount' | 'number' | 'int' | 'bool' | 'string';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  required?: boolean;
  /** Short meaning, for docs and `dtao inspect`. */
  doc: string;
}

export const SNAPSHOT_FIELDS: FieldSpec[] = [
  { key: 'block', kind: 'int', required: true, doc: 'block number; strictly increasing' },
  { key: 'time', kind: 'string', required: true, doc: 'ISO-8601 UTC time of the block' },
  { key: 'root_stake', kind: 'amount', doc: 'TAO staked on root (SubnetTAO[0])' },
  { key: 'tao_weight', kind: 'number', doc: 'TaoWeight as a fraction (default 0.18)' },
  { key: 'block_emission', kind: 'amount', doc: 'TAO emitted per block' },
];

export const SUBNET_FIELDS: FieldSpec[] = [
  { key: 'netuid', kind: 'int', required: true, doc: 'subnet id' },
  { key: 'tao_in', kind: 'amount', required: true, doc: 'pool TAO reserve (SubnetTAO)' },
  { key: 'alpha_in', kind: 'amount', required: true, doc: 'pool alpha reserve (SubnetAlphaIn)' },
  { key: 'alpha_out', kind: 'amount', doc: 'alpha outside the pool (SubnetAlphaOut)' },
  { key: 'price', kind: 'number', doc: 'TAO per alpha (default: from the pool curve)' },
  { key: 'moving_price', kind: 'number', doc: 'EMA price (SubnetMovingPrice)' },
  { key: 'root_prop', kind: 'number', doc: 'root proportion (RootProp)' },
  { key: 'tao_in_emission', kind: 'amount', doc: 'TAO injected into the pool per block' },
  { key: 'alpha_in_emission', kind: 'amount', doc: 'alpha injected into the pool per block' },
  { key: 'alpha_out_emission', kind: 'amount', doc: 'alpha emitted to participants per block' },
  { key: 'excess_tao', kind: 'amount', doc: 'TAO spent on the chain buy per block' },
  { key: 'fee_rate', kind: 'int', doc: 'swap fee, u16 over 65535 (default 33)' },
  { key: 'tempo', kind: 'int', doc: 'blocks per epoch (default 360)' },
  { key: 'emission_enabled', kind: 'bool', doc: 'SubnetEmissionEnabled' },
  { key: 'name', kind: 'string', doc: 'subnet name' },
  { key: 'quote_weight', kind: 'number', doc: 'weighted pool: TAO-side weight w_q (default 0.5)' },
];
