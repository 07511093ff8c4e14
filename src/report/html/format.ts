/** How the report page writes numbers: TAO with thousands separators, percentages, ratios. */
import { tao } from '../table.ts';

export const DASH = '–';

/** A decimal TAO string shown with `digits` decimals (truncated) and thousands separators. */
export function fmtTao(s: string, digits = 3): string {
  const t = tao(s, digits);
  const neg = t.startsWith('-');
  const [w, f] = (neg ? t.slice(1) : t).split('.');
  const grouped = w!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${f === undefined ? '' : `.${f}`}`;
}

export function fmtPct(x: number | null, digits = 2, signed = false): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  const s = (x * 100).toFixed(digits);
  return `${signed && x > 0 ? '+' : ''}${s}%`;
}

export function fmtRatio(x: number | null, digits = 2): string {
  return x === null || !Number.isFinite(x) ? DASH : x.toFixed(digits);
}

/** Days as "3.2 d", or hours below a day; null means it never breaks even. */
export function fmtDays(x: number | null): string {
  if (x === null) return 'never';
  return x < 1 ? `${(x * 24).toFixed(1)} h` : `${x.toFixed(1)} d`;
}

export function fmtWhole(x: number | null): string {
  return x === null || !Number.isFinite(x) ? DASH : Math.round(x).toLocaleString('en-US');
}
