/**
 * The periods Taostats aggregates pool history into (`frequency`), as UTC hours or UTC days.
 * A period is the half-open interval [start, start + length). Rows of one period form one
 * snapshot.
 */
export type Frequency = 'by_hour' | 'by_day';

export const FREQUENCIES: Frequency[] = ['by_hour', 'by_day'];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export function periodMs(f: Frequency): number {
  return f === 'by_hour' ? HOUR_MS : DAY_MS;
}

/** Start of the period holding `ms` (UTC; the Unix epoch starts on a whole hour and day). */
export function periodStart(ms: number, f: Frequency): number {
  const p = periodMs(f);
  return Math.floor(ms / p) * p;
}
