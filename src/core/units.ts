/**
 * Units and exact amounts.
 *
 * Every balance and every fill is an integer number of rao (1 TAO = 1e9 rao; alpha has the same
 * 9 decimals, "alpha-rao"), held as a bigint. Floats appear only for market observations
 * (prices, ratios) and for derived statistics, never for money that is added up.
 */

export const RAO_PER_TAO = 1_000_000_000n;
export const DECIMALS = 9;

/** Thrown for text that is not a valid amount; callers add file/line/field context. */
export class AmountFormatError extends Error {}

const MAX_SAFE_WHOLE = 9_007_199; // whole units below which whole*1e9 + frac stays an exact double

/**
 * Parses a non-negative decimal amount in whole units ("12.5", "0.000000001", 3) into rao.
 * At most 9 decimals, no exponent, no sign: the on-disk rule of dtao-snapshots/1.
 * A JSON number is accepted if its shortest decimal form obeys the same rule.
 */
export function parseAmount(value: string | number): bigint {
  const text = typeof value === 'number' ? numberText(value) : value;
  const rao = parseAmountRao(text);
  if (rao >= 0) return BigInt(rao);
  // 2^53 rao or more: go through bigint to stay exact.
  const dot = text.indexOf('.');
  const wholeText = dot < 0 ? text : text.slice(0, dot);
  const fracText = dot < 0 ? '' : text.slice(dot + 1);
  return BigInt(wholeText) * RAO_PER_TAO + BigInt(fracText.padEnd(DECIMALS, '0'));
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new AmountFormatError(`not a finite number: ${value}`);
  return numberToPlainString(value);
}

/**
 * The same rules as parseAmount, returning rao as an exact double (no BigInt made), or -1
 * when the amount is 2^53 rao or more (about 9M TAO), where a double is no longer exact.
 */
export function parseAmountRao(value: string | number): number {
  const s = typeof value === 'number' ? numberText(value) : value;
  const n = s.length;
  if (n === 0) throw new AmountFormatError('empty amount');
  let i = 0;
  let whole = 0;
  let wholeDigits = 0;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */) throw new AmountFormatError(`negative amount: ${s}`);
  while (i < n) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    whole = whole * 10 + (c - 48);
    wholeDigits++;
    i++;
  }
  if (wholeDigits === 0) throw new AmountFormatError(`not a decimal amount: ${JSON.stringify(s)}`);
  let frac = 0;
  let fracDigits = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46 /* . */) throw new AmountFormatError(`not a decimal amount: ${JSON.stringify(s)}`);
    i++;
    while (i < n) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) throw new AmountFormatError(`not a decimal amount: ${JSON.stringify(s)}`);
      if (fracDigits === DECIMALS) throw new AmountFormatError(`more than 9 decimals: ${s}`);
      frac = frac * 10 + (c - 48);
      fracDigits++;
      i++;
    }
    if (fracDigits === 0) throw new AmountFormatError(`not a decimal amount: ${JSON.stringify(s)}`);
  }
  if (whole >= MAX_SAFE_WHOLE) return -1;
  return whole * 1e9 + frac * POW10[DECIMALS - fracDigits]!;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Like parseAmount but allows a leading minus sign (for signed flows and deltas). */
export function parseSignedAmount(value: string | number): bigint {
  const s = typeof value === 'number' ? numberToPlainString(value) : value;
  if (s.startsWith('-')) return -parseAmount(s.slice(1));
  return parseAmount(s);
}

/** Canonical text of an amount: whole units, trailing zeros stripped, no exponent ("1.5", "0", "-2"). */
export function formatAmount(rao: bigint): string {
  const neg = rao < 0n;
  const abs = neg ? -rao : rao;
  const whole = abs / RAO_PER_TAO;
  const frac = abs % RAO_PER_TAO;
  let out = whole.toString();
  if (frac !== 0n) {
    out += '.' + frac.toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  }
  return neg ? '-' + out : out;
}

/** Amount with exactly `decimals` places (rounded toward zero), for aligned tables. */
export function formatAmountFixed(rao: bigint, decimals = 4): string {
  const neg = rao < 0n;
  const abs = neg ? -rao : rao;
  const whole = abs / RAO_PER_TAO;
  const frac = (abs % RAO_PER_TAO).toString().padStart(DECIMALS, '0').slice(0, decimals);
  const text = decimals > 0 ? `${whole}.${frac}` : `${whole}`;
  return neg && abs !== 0n ? '-' + text : text;
}

/** Whole units as a float: for observations and statistics, never for balances. */
export function raoToNumber(rao: bigint): number {
  return Number(rao) / 1e9;
}

/**
 * Converts a user-given amount in whole units to rao, flooring beyond 9 decimals.
 * Numbers go through their shortest decimal text, so 0.1 means exactly 0.1 TAO.
 */
export function toRao(value: string | number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  let s = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  let neg = false;
  if (s.startsWith('-')) {
    neg = true;
    s = s.slice(1);
  }
  const dot = s.indexOf('.');
  if (dot >= 0 && s.length - dot - 1 > DECIMALS) s = s.slice(0, dot + 1 + DECIMALS);
  const rao = parseAmount(s);
  return neg ? -rao : rao;
}

/** Shortest plain (non-exponent) decimal text of a finite number. */
export function numberToPlainString(x: number): string {
  const s = String(x);
  if (!/e/i.test(s)) return s;
  const neg = x < 0;
  const [mant, expText] = (neg ? s.slice(1) : s).toLowerCase().split('e') as [string, string];
  const exp = Number(expText);
  const [intPart, fracPart = ''] = mant.split('.') as [string, string?];
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  out = out.replace(/^0+(?=\d)/, '');
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  return neg ? '-' + out : out;
}

/** Integer floor division for non-negative bigints with a zero-divisor guard. */
export function floorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  return a / b;
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** Decodes an on-chain fixed-point number (U64F64, I96F32, ...) from its raw bits. */
export function fixedToNumber(bits: bigint, fracBits: number): number {
  const scale = 2 ** fracBits;
  const whole = bits >> BigInt(fracBits);
  const frac = bits - (whole << BigInt(fracBits));
  return Number(whole) + Number(frac) / scale;
}

/** u16 fee rate over 65535, as a fraction (33 -> 0.000503548...). */
export function feeRateFraction(feeRate: number): number {
  return feeRate / 65535;
}
