/**
 * One row of `GET /api/dtao/pool/history/v1` mapped to our fields.
 *
 *   netuid         -> netuid
 *   block_number   -> the row's block
 *   timestamp      -> the row's time (ISO-8601; read as UTC when it has no zone)
 *   total_tao      -> tao_in      (rao, integer string)
 *   alpha_in_pool  -> alpha_in    (alpha-rao, integer string)
 *   alpha_staked   -> alpha_out   (alpha-rao; alpha outside the pool)
 *   price          -> price       (TAO per alpha, decimal string)
 *   root_prop      -> root_prop   (fraction)
 *   name           -> name
 * Not carried over: symbol, market_cap, liquidity (= 2 x total_tao), total_alpha
 * (= alpha_in + alpha_out), rank, startup_mode.
 *
 * A row that lacks what a snapshot needs (netuid, block, time, both reserves) is not an
 * error of the whole import: it is skipped and counted, with the first one quoted.
 */
import { curvePrice, type SubnetState } from '../../core/snapshot.ts';
import { PRICE_ERROR_FACTOR } from '../../data/validate.ts';

export interface PoolObservation {
  netuid: number;
  block: number;
  timeMs: number;
  subnet: SubnetState;
}

export type RowVerdict =
  | { ok: true; obs: PoolObservation; priceDropped: boolean; rootPropDropped: boolean }
  | { ok: false; reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  return undefined;
}

/** A rao count: an integer string (a zero fraction such as "12.000" is allowed) or a safe integer. */
export function raoOf(v: unknown): bigint | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)(?:\.0*)?$/.exec(v.trim());
  return m ? BigInt(m[1]!) : undefined;
}

function decimalOf(v: unknown): number | undefined {
  let x: number;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'string' && /^\s*(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) x = Number(v);
  else return undefined;
  return Number.isFinite(x) && x >= 0 ? x : undefined;
}

/** ISO-8601 text (no zone means UTC) or Unix seconds, to epoch milliseconds. */
export function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v * 1000 : undefined;
  if (typeof v !== 'string') return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(v.trim());
  const ms = Date.parse(hasZone ? v : `${v.trim()}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function mapPoolRow(raw: unknown): RowVerdict {
  if (!isObject(raw)) return { ok: false, reason: 'not a JSON object' };
  const netuid = intOf(raw.netuid);
  if (netuid === undefined || netuid > 65535) return { ok: false, reason: `netuid ${JSON.stringify(raw.netuid)} is not an integer 0..65535` };
  const block = intOf(raw.block_number);
  if (block === undefined) return { ok: false, reason: `block_number ${JSON.stringify(raw.block_number)} is not a non-negative integer` };
  const timeMs = timeOf(raw.timestamp);
  if (timeMs === undefined) return { ok: false, reason: `timestamp ${JSON.stringify(raw.timestamp)} is not an ISO-8601 time` };
  const taoIn = raoOf(raw.total_tao);
  if (taoIn === undefined) return { ok: false, reason: `total_tao ${JSON.stringify(raw.total_tao)} is not a rao amount` };
  const alphaIn = raoOf(raw.alpha_in_pool);
  if (alphaIn === undefined) return { ok: false, reason: `alpha_in_pool ${JSON.stringify(raw.alpha_in_pool)} is not a rao amount` };
  const subnet: SubnetState = { netuid, taoIn, alphaIn };
  const alphaOut = raoOf(raw.alpha_staked);
  if (alphaOut !== undefined) subnet.alphaOut = alphaOut;
  let priceDropped = false;
  const price = decimalOf(raw.price);
  if (price !== undefined) {
    // A price the reserves cannot explain would stop the validator; keep the reserves, drop the price.
    const curve = curvePrice(subnet);
    const ratio = curve > 0 ? price / curve : 1;
    if ((curve > 0 && price === 0) || ratio > PRICE_ERROR_FACTOR || ratio < 1 / PRICE_ERROR_FACTOR) priceDropped = true;
    else subnet.price = price;
  }
  let rootPropDropped = false;
  const rootProp = decimalOf(raw.root_prop);
  if (rootProp !== undefined) {
    if (rootProp <= 1) subnet.rootProp = rootProp;
    else rootPropDropped = true;
  }
  if (typeof raw.name === 'string' && raw.name.length > 0) subnet.name = raw.name;
  return { ok: true, obs: { netuid, block, timeMs, subnet }, priceDropped, rootPropDropped };
}
