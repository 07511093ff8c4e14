/**
 * Durations as users write them on the command line ("12h", "7d", "2w") and as the research
 * outputs print them. Times in the data are Unix milliseconds, so durations are too.
 */
import { UserError } from '../core/errors.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const UNITS: Record<string, number> = { h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };

/** "7d" -> 604800000. `flag` names the option in the error message. */
export function parseDuration(flag: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([hdw])\s*$/i.exec(text);
  if (!m) throw new UserError(`${flag} ${JSON.stringify(text)}: expected a duration such as 12h, 7d or 2w (h = hours, d = days, w = weeks)`);
  const ms = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  if (!(ms > 0)) throw new UserError(`${flag} ${text}: the duration must be more than 0`);
  return Math.round(ms);
}

/** A comma-separated list of durations ("7d,30d"), keeping the order given, without repeats. */
export function parseDurationList(flag: string, text: string): { label: string; ms: number }[] {
  const out: { label: string; ms: number }[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const ms = parseDuration(flag, part);
    if (out.some((d) => d.ms === ms)) continue;
    out.push({ label: part.trim().toLowerCase(), ms });
  }
  if (out.length === 0) throw new UserError(`${flag} ${JSON.stringify(text)}: give at least one duration, e.g. 7d,30d`);
  return out;
}

/** Short human text of a duration in days ("6.9d") or hours ("5.0h") below a day. */
export function formatDays(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return ms < DAY_MS ? `${(ms / HOUR_MS).toFixed(1)}h` : `${(ms / DAY_MS).toFixed(1)}d`;
}
