/**
 * Writing `dtao-snapshots/1` JSON Lines in canonical form: fields in the order of
 * `fields.ts`, amounts as decimal strings with trailing zeros stripped, absent fields left
 * out. Whole files are written atomically (temp file + rename), so a crash leaves either the
 * old file or the new one, never half of one.
 */
import { writeFileAtomic } from './atomic.ts';
import type { Snapshot, SubnetState } from '../core/snapshot.ts';
import { SNAPSHOT_FORMAT } from '../core/snapshot.ts';
import { formatAmount, numberToPlainString } from '../core/units.ts';

export interface FileHeader {
  format?: string;
  [key: string]: unknown;
}

export function formatHeaderLine(meta: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: SNAPSHOT_FORMAT, ...meta });
}

function num(x: number): string {
  return numberToPlainString(x);
}

function subnetToJson(s: SubnetState): Record<string, unknown> {
  const o: Record<string, unknown> = { netuid: s.netuid, tao_in: formatAmount(s.taoIn), alpha_in: formatAmount(s.alphaIn) };
  if (s.alphaOut !== undefined) o.alpha_out = formatAmount(s.alphaOut);
  if (s.price !== undefined) o.price = num(s.price);
  if (s.movingPrice !== undefined) o.moving_price = num(s.movingPrice);
  if (s.rootProp !== undefined) o.root_prop = num(s.rootProp);
  if (s.taoInEmission !== undefined) o.tao_in_emission = formatAmount(s.taoInEmission);
  if (s.alphaInEmission !== undefined) o.alpha_in_emission = formatAmount(s.alphaInEmission);
  if (s.alphaOutEmission !== undefined) o.alpha_out_emission = formatAmount(s.alphaOutEmission);
  if (s.excessTao !== undefined) o.excess_tao = formatAmount(s.excessTao);
  if (s.feeRate !== undefined) o.fee_rate = s.feeRate;
  if (s.tempo !== undefined) o.tempo = s.tempo;
  if (s.emissionEnabled !== undefined) o.emission_enabled = s.emissionEnabled;
  if (s.name !== undefined) o.name = s.name;
  if (s.quoteWeight !== undefined) o.quote_weight = num(s.quoteWeight);
  return o;
}

/** One snapshot as one canonical JSON line (no trailing newline). */
export function formatSnapshotLine(snap: Snapshot): string {
  const o: Record<string, unknown> = { block: snap.block, time: snap.time };
  if (snap.rootStake !== undefined) o.root_stake = formatAmount(snap.rootStake);
  if (snap.taoWeight !== undefined) o.tao_weight = num(snap.taoWeight);
  if (snap.blockEmission !== undefined) o.block_emission = formatAmount(snap.blockEmission);
  o.subnets = snap.subnets.map(subnetToJson);
  return JSON.stringify(o);
}

/**
 * Writes a whole file atomically: header line, then one line per snapshot.
 * `snapshots` may be any iterable, so a generator can stream a large file.
 */
export function writeSnapshotsFile(path: string, snapshots: Iterable<Snapshot>, header: Record<string, unknown> = {}): void {
  writeFileAtomic(path, (write) => {
    write(formatHeaderLine(header) + '\n');
    for (const s of snapshots) write(formatSnapshotLine(s) + '\n');
  });
}

export { writeFileAtomic };
