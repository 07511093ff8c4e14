/** Shared pieces of the paper-loop tests: the CLI run in-process, devnets, state reading. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockSource } from '../../src/devnet/block-state.ts';
import { startDevnet, type DevnetOptions, type DevnetServer } from '../../src/devnet/server.ts';
import { createMarketSim } from '../../src/sim/market.ts';
import type { PaperStateJson } from '../../src/paper/state.ts';
import type { PaperLog } from '../../src/paper/session.ts';
import { REPO_ROOT } from '../helpers/shared.ts';
export { dtaoInProcess as dtao } from '../helpers/cli-in-process.ts';

export const FIXTURES = join(REPO_ROOT, 'test', 'paper', 'fixtures');
export const DTAO = join(REPO_ROOT, 'bin', 'dtao.mjs');


export function readState(path: string): PaperStateJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PaperStateJson;
}

/** The market simulator as a devnet block source (4 subnets, fixed seed). */
export function simSource(seed = 11, subnets = 4): BlockSource {
  return createMarketSim({ scenario: 'mixed', seed, subnets });
}

export async function devnetOf(source: BlockSource, opts: Partial<DevnetOptions> = {}): Promise<DevnetServer> {
  return startDevnet({ source, blockTimeMs: 0, ...opts });
}

export interface LogLine {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

/** A logger that keeps what it is told, for assertions. */
export function memoryLog(lines: LogLine[] = []): PaperLog & { lines: LogLine[] } {
  const at = (level: string) => (obj: object, msg: string) => {
    lines.push({ level, obj: obj as Record<string, unknown>, msg });
  };
  return { lines, info: at('info'), warn: at('warn'), debug: at('debug'), error: at('error') };
}

export async function until(cond: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
