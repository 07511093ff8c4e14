/** The record of one executed (or refused) order, and its JSON form for trades files and state. */
import { formatAmount, parseSignedAmount } from '../core/units.ts';

export type FillType = 'stake' | 'unstake' | 'move' | 'claim' | 'deregister';
export type Token = 'tao' | 'alpha';

export interface Fill {
  step: number;
  block: number;
  time: string;
  type: FillType;
  /** Subnet of a stake/unstake/claim/deregister; origin and destination of a move. */
  netuid?: number;
  from?: number;
  to?: number;
  status: 'filled' | 'partial' | 'rejected';
  reason?: string;
  /** Amount taken from the portfolio (gross, fee included). */
  input: bigint;
  inputToken: Token;
  /** Amount received. */
  output: bigint;
  outputToken: Token;
  /** Swap fee in the token it was charged in, and its TAO value at spot. */
  fee: bigint;
  feeToken: Token;
  feeTao: bigint;
  /** Loss against the spot price from moving the pool, TAO. */
  slippageTao: bigint;
  txFee: bigint;
  spotBefore: number;
  spotAfter: number;
  /** For a move: the TAO that passed between the two pools (or into/out of root). */
  viaTao?: bigint;
}

export interface FillJson {
  step: number;
  block: number;
  time: string;
  type: FillType;
  netuid?: number;
  from?: number;
  to?: number;
  status: Fill['status'];
  reason?: string;
  input: string;
  input_token: Token;
  output: string;
  output_token: Token;
  fee: string;
  fee_token: Token;
  fee_tao: string;
  slippage_tao: string;
  tx_fee: string;
  spot_before: number;
  spot_after: number;
  via_tao?: string;
}

export function fillToJSON(f: Fill): FillJson {
  const j: FillJson = {
    step: f.step, block: f.block, time: f.time, type: f.type, status: f.status,
    input: formatAmount(f.input), input_token: f.inputToken, output: formatAmount(f.output), output_token: f.outputToken,
    fee: formatAmount(f.fee), fee_token: f.feeToken, fee_tao: formatAmount(f.feeTao), slippage_tao: formatAmount(f.slippageTao),
    tx_fee: formatAmount(f.txFee), spot_before: f.spotBefore, spot_after: f.spotAfter,
  };
  if (f.netuid !== undefined) j.netuid = f.netuid;
  if (f.from !== undefined) j.from = f.from;
  if (f.to !== undefined) j.to = f.to;
  if (f.reason !== undefined) j.reason = f.reason;
  if (f.viaTao !== undefined) j.via_tao = formatAmount(f.viaTao);
  return j;
}

/** The exact inverse of fillToJSON (JSON turns NaN prices into null; they come back as NaN). */
export function fillFromJSON(j: FillJson): Fill {
  const price = (x: number | null) => (x === null ? NaN : x);
  const f: Fill = {
    step: j.step, block: j.block, time: j.time, type: j.type, status: j.status,
    input: parseSignedAmount(j.input), inputToken: j.input_token, output: parseSignedAmount(j.output), outputToken: j.output_token,
    fee: parseSignedAmount(j.fee), feeToken: j.fee_token, feeTao: parseSignedAmount(j.fee_tao), slippageTao: parseSignedAmount(j.slippage_tao),
    txFee: parseSignedAmount(j.tx_fee), spotBefore: price(j.spot_before as number | null), spotAfter: price(j.spot_after as number | null),
  };
  if (j.netuid !== undefined) f.netuid = j.netuid;
  if (j.from !== undefined) f.from = j.from;
  if (j.to !== undefined) f.to = j.to;
  if (j.reason !== undefined) f.reason = j.reason;
  if (j.via_tao !== undefined) f.viaTao = parseSignedAmount(j.via_tao);
  return f;
}
