/**
 * Locates the read-only real data and fixtures beside the checkout (`../shared`). CI has it; a
 * fresh user clone does not, and tests that need it say so plainly and skip.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = process.env.DTAO_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');

export const REAL_DATA_FILE = resolve(SHARED_DIR, 'data', 'dtao-2026-07-19_2026-08-21_hourly.jsonl');
export const METADATA_424_FILE = resolve(SHARED_DIR, 'fixtures', 'subtensor-metadata-spec424.scale');

export const hasRealData = existsSync(REAL_DATA_FILE);
export const hasMetadata424 = existsSync(METADATA_424_FILE);

/** Prints once, plainly, why a group of tests is skipped. */
export function announceSkip(what: string, path: string): void {
  console.warn(`SKIPPED: ${what}: ${path} not found (it exists beside the checkout in CI; set DTAO_SHARED_DIR to point elsewhere).`);
}

export const REPO_ROOT = repoRoot;
