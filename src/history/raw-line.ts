/**
 * One raw snapshot record (as grouped from CSV rows, or parsed from a JSON line) written back
 * as one JSON line, at the text level: keys in the order of the field table (the order the
 * canonical writer uses), values exactly as they came (an amount's digits are never re-
 * formatted). Keys the format does not know are left out.
 */
import { SNAPSHOT_FIELDS, SUBNET_FIELDS } from '../data/fields.ts';

const SNAPSHOT_KEYS = SNAPSHOT_FIELDS.map((f) => f.key);
const SUBNET_KEYS = SUBNET_FIELDS.map((f) => f.key);

function ordered(raw: Record<string, unknown>, keys: string[]): string[] {
  const parts: string[] = [];
  for (const k of keys) {
    const v = raw[k];
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
  }
  return parts;
}

export function rawSnapshotLine(raw: Record<string, unknown>): string {
  const parts = ordered(raw, SNAPSHOT_KEYS);
  const subnets = (raw.subnets as Record<string, unknown>[] | undefined) ?? [];
  parts.push(`"subnets":[${subnets.map((s) => `{${ordered(s, SUBNET_KEYS).join(',')}}`).join(',')}]`);
  return `{${parts.join(',')}}`;
}
