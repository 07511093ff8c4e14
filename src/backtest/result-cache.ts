/**
 * Cache of finished benchmark runs. The benchmarks (hold TAO, 100% root, equal-weight alpha)
 * do not depend on the strategy, so a repeat backtest of the same data reuses them instead of
 * replaying them again. The key covers everything a result depends on: the data's content
 * hash, the model settings, the capital and range, and the source of the code that computes
 * a run (core, engine, backtest driver), so a changed engine never reads an old result.
 * Entries hold exact amounts (decimal strings) and the series as raw doubles, so a cached
 * result gives a byte-identical report.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../data/cache.ts';
import { writeFileAtomicBytes } from '../data/atomic.ts';
import { Portfolio, type PortfolioJson } from '../core/portfolio.ts';
import { formatAmount, parseSignedAmount } from '../core/units.ts';
import { fillFromJSON, fillToJSON, type FillJson } from '../engine/fill.ts';
import type { RunResult, RunSeries, RunSpec } from './run.ts';

const LAYOUT = 1;
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CODE_DIRS = ['core', 'engine', 'backtest', 'data'];

let codeHash: string | undefined;

/** Hash of the source files a run's result depends on (read once per process). */
export function engineCodeHash(): string {
  if (codeHash) return codeHash;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) h.update(p.slice(SRC.length)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  for (const d of CODE_DIRS) if (existsSync(join(SRC, d))) walk(join(SRC, d));
  codeHash = h.digest('hex');
  return codeHash;
}

export function resultKey(parts: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify({ layout: LAYOUT, code: engineCodeHash(), ...parts })).digest('hex');
}

function pathFor(key: string, name: string): string {
  return join(cacheDir(), 'runs', `${key}-${name.replace(/[^a-z0-9#-]/gi, '_')}.bin`);
}

interface Meta {
  spec: { name: string; kind: RunSpec['kind'] };
  initial: string;
  finalSpot: string;
  finalLiquidation: string;
  portfolio: PortfolioJson;
  fills: FillJson[];
  notes: string[];
  length: number;
  alphaNetuids: number[];
}

const SERIES: (keyof Omit<RunSeries, 'alphaValue'>)[] = ['block', 'timeMs', 'equitySpot', 'equityLiquidation', 'rootValue', 'yieldRoot', 'yieldAlpha'];

export function saveResult(key: string, r: RunResult): void {
  const s = r.series;
  const alphaNetuids = [...s.alphaValue.keys()].sort((a, b) => a - b);
  const meta: Meta = {
    spec: { name: r.spec.name, kind: r.spec.kind }, initial: formatAmount(r.initial), finalSpot: formatAmount(r.finalSpot),
    finalLiquidation: formatAmount(r.finalLiquidation), portfolio: r.portfolio.toJSON(), fills: r.fills.map(fillToJSON), notes: r.notes,
    length: s.block.length, alphaNetuids,
  };
  const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt32LE(metaBytes.length, 0);
  const pad = Buffer.alloc((8 - ((8 + metaBytes.length) % 8)) % 8);
  const cols = [...SERIES.map((k) => s[k]), ...alphaNetuids.map((n) => s.alphaValue.get(n)!)];
  try {
    mkdirSync(join(cacheDir(), 'runs'), { recursive: true });
    writeFileAtomicBytes(pathFor(key, r.spec.name), [head, metaBytes, pad, ...cols.map((c) => new Uint8Array(c.buffer, c.byteOffset, c.byteLength))]);
  } catch {
    // Not being able to cache only costs time on the next run.
  }
}

export function loadResult(key: string, spec: RunSpec): RunResult | undefined {
  const path = pathFor(key, spec.name);
  if (!existsSync(path)) return undefined;
  try {
    const buf = readFileSync(path);
    const ab = new ArrayBuffer(buf.length);
    new Uint8Array(ab).set(buf);
    const metaLen = buf.readUInt32LE(0);
    const meta = JSON.parse(buf.toString('utf8', 8, 8 + metaLen)) as Meta;
    let pos = 8 + metaLen;
    pos += (8 - (pos % 8)) % 8;
    const n = meta.length;
    const take = () => {
      const a = new Float64Array(ab, pos, n);
      pos += n * 8;
      return a;
    };
    const series = {} as RunSeries;
    for (const k of SERIES) series[k] = take();
    series.alphaValue = new Map(meta.alphaNetuids.map((netuid) => [netuid, take()]));
    if (pos !== buf.length || meta.spec.name !== spec.name) return undefined;
    return {
      spec, initial: parseSignedAmount(meta.initial), series, fills: meta.fills.map(fillFromJSON), portfolio: Portfolio.fromJSON(meta.portfolio),
      finalSpot: parseSignedAmount(meta.finalSpot), finalLiquidation: parseSignedAmount(meta.finalLiquidation), notes: meta.notes,
    };
  } catch {
    return undefined;
  }
}
