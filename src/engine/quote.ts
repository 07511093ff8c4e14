/**
 * A one-off quote at a snapshot (the `quote` command): the same stake operations as the
 * executor, on the snapshot's pool, with nothing applied anywhere.
 */
import type { Dataset } from '../data/dataset.ts';
import { UserError } from '../core/errors.ts';
import { curveByName } from '../core/pool/index.ts';
import { buyAlpha, sellAlpha } from '../core/stake.ts';
import { formatAmount } from '../core/units.ts';
import { MarketView } from './market.ts';
import type { ModelConfig } from './model.ts';

export interface QuoteRequest {
  direction: 'stake' | 'unstake';
  amount: bigint;
}

export interface QuoteResult {
  netuid: number;
  name?: string;
  block: number;
  time: string;
  direction: 'stake' | 'unstake';
  input: string;
  input_token: 'tao' | 'alpha';
  output: string;
  output_token: 'tao' | 'alpha';
  /** Swap fee, in the input token (as on chain). */
  fee: string;
  spot_price: number;
  /** TAO per alpha actually paid or received, fee included. */
  execution_price: number;
  spot_price_after: number;
  /** Shortfall against converting the whole input at spot, fee included, as a fraction. */
  slippage: number;
  /** The same shortfall in the output token (as SimSwapResult's *_slippage). */
  slippage_amount: string;
  /** Shortfall from the price impact alone (fee excluded), as a fraction. */
  price_impact: number;
  rejected?: string;
}

export function quoteSwap(data: Dataset, index: number, netuid: number, req: QuoteRequest, model: ModelConfig): QuoteResult {
  const m = new MarketView(data, curveByName(model.curve), 'transient', model.defaultFeeRate);
  m.moveTo(index);
  const base = { netuid, block: m.block, time: data.meta.timeText[index]!, direction: req.direction };
  if (req.amount <= 0n) throw new UserError('the amount must be more than 0');
  if (netuid === 0) {
    const a = formatAmount(req.amount);
    return {
      ...base, name: 'root', input: a, input_token: 'tao', output: a, output_token: 'tao', fee: '0', spot_price: 1, execution_price: 1,
      spot_price_after: 1, slippage: 0, slippage_amount: '0', price_impact: 0,
    };
  }
  const row = m.row(netuid);
  if (row < 0) {
    const present = [];
    for (let r = data.cols.rowStart[index]!; r < data.cols.rowStart[index + 1]!; r++) present.push(data.cols.netuid[r]);
    throw new UserError(`subnet ${netuid} is not in the snapshot at block ${m.block} (present: ${present.slice(0, 20).join(', ')}${present.length > 20 ? ', ...' : ''})`);
  }
  const nameId = data.cols.nameId[row]!;
  const name = nameId >= 0 ? data.meta.names[nameId] : undefined;
  const pool = m.pool(netuid)!;
  const curve = m.curve;
  const spot = curve.spotPrice(pool);
  if (req.direction === 'stake') {
    const r = buyAlpha(curve, pool, req.amount, { minStake: model.minStake });
    const out = Number(r.alphaOut);
    const ideal = Number(req.amount) / spot;
    const idealNet = Number(r.netTao) / spot;
    return {
      ...base, ...(name ? { name } : {}), input: formatAmount(req.amount), input_token: 'tao', output: formatAmount(r.alphaOut), output_token: 'alpha',
      fee: formatAmount(r.fee), spot_price: spot, execution_price: out > 0 ? Number(r.taoSpent) / out : NaN,
      spot_price_after: curve.spotPrice(r.after), slippage: r.status === 'rejected' ? NaN : 1 - out / ideal,
      slippage_amount: formatAmount(BigInt(Math.max(0, Math.floor(ideal - out)))),
      price_impact: r.status === 'rejected' ? NaN : 1 - out / idealNet,
      ...(r.status === 'rejected' ? { rejected: r.reason } : {}),
    };
  }
  const r = sellAlpha(curve, pool, req.amount, { minStake: model.minStake, remaining: 0n });
  const out = Number(r.taoOut);
  const ideal = Number(req.amount) * spot;
  const idealNet = Number(r.netAlpha) * spot;
  return {
    ...base, ...(name ? { name } : {}), input: formatAmount(req.amount), input_token: 'alpha', output: formatAmount(r.taoOut), output_token: 'tao',
    fee: formatAmount(r.fee), spot_price: spot, execution_price: Number(r.alphaSpent) > 0 ? out / Number(r.alphaSpent) : NaN,
    spot_price_after: curve.spotPrice(r.after), slippage: r.status === 'rejected' ? NaN : 1 - out / ideal,
    slippage_amount: formatAmount(BigInt(Math.max(0, Math.floor(ideal - out)))),
    price_impact: r.status === 'rejected' ? NaN : 1 - out / idealNet,
    ...(r.status === 'rejected' ? { rejected: r.reason } : {}),
  };
}
