/**
 * A parameter grid as users write it: `--grid key=1,2,3` (a list) or `--grid key=1:10:1`
 * (start:stop:step, inclusive), one flag per parameter. Values are checked against the
 * strategy's declaration. Combinations are the cartesian product, the last flag varying
 * fastest; a combination's index is its position in that order.
 */
import { UserError } from '../../core/errors.ts';
import { coerceParam } from '../../strategy/loader.ts';
import type { Strategy } from '../../strategy/types.ts';

export type ParamValue = number | boolean | string;

export interface Grid {
  keys: string[];
  values: ParamValue[][];
}

export const MAX_COMBINATIONS = 100_000;

function rangeValues(flag: string, text: string): number[] {
  const [a, b, c] = text.split(':').map((x) => Number(x.trim()));
  if (![a, b, c].every((x) => Number.isFinite(x))) throw new UserError(`${flag}: ${text} is not start:stop:step with three numbers (e.g. 1:10:1)`);
  if (!(c! > 0)) throw new UserError(`${flag}: the step of ${text} must be more than 0`);
  if (b! < a!) throw new UserError(`${flag}: ${text} stops before it starts (write start:stop:step with start <= stop)`);
  const n = Math.floor((b! - a!) / c! + 1e-9);
  if (n + 1 > MAX_COMBINATIONS) throw new UserError(`${flag}: ${text} has ${n + 1} values; use a larger step`);
  const out: number[] = [];
  // Each value from the start (not by repeated addition), rounded so 0.1 steps stay 0.1, 0.2, 0.3.
  for (let k = 0; k <= n; k++) out.push(Number((a! + k * c!).toPrecision(12)));
  return out;
}

export function parseGrid(flags: readonly string[], strategy: Strategy): Grid {
  const keys: string[] = [];
  const values: ParamValue[][] = [];
  const specs = strategy.params ?? {};
  for (const f of flags) {
    const flag = `--grid ${f}`;
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UserError(`${flag}: expected key=v1,v2,... or key=start:stop:step`);
    const key = f.slice(0, eq).trim();
    const spec = specs[key];
    if (!spec) {
      const known = Object.keys(specs);
      throw new UserError(`${flag}: strategy "${strategy.name}" has no param "${key}"${known.length ? ` (its params: ${known.join(', ')})` : ' (it takes no params, so there is nothing to sweep)'}`);
    }
    if (keys.includes(key)) throw new UserError(`${flag}: "${key}" is already in the grid; give all its values in one --grid flag`);
    const text = f.slice(eq + 1).trim();
    const raw: unknown[] = /^[^,]+:[^,]+:[^,]+$/.test(text) && spec.type !== 'string' ? rangeValues(flag, text) : text.split(',').map((v) => v.trim());
    if (raw.length === 0 || raw.some((v) => v === '')) throw new UserError(`${flag}: a value is empty (write key=v1,v2,v3)`);
    const seen = new Set<string>();
    const vals: ParamValue[] = [];
    for (const v of raw) {
      const c = coerceParam(strategy.name, key, spec, v);
      if (seen.has(String(c))) continue;
      seen.add(String(c));
      vals.push(c);
    }
    keys.push(key);
    values.push(vals);
  }
  const count = values.reduce((n, v) => n * v.length, 1);
  if (count > MAX_COMBINATIONS) throw new UserError(`the grid has ${count} combinations, more than ${MAX_COMBINATIONS}; narrow it`);
  return { keys, values };
}

export function combinationCount(g: Grid): number {
  return g.values.reduce((n, v) => n * v.length, 1);
}

/** Parameter values of combination `index` (0-based; the last key varies fastest). */
export function combination(g: Grid, index: number): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  let rest = index;
  for (let k = g.keys.length - 1; k >= 0; k--) {
    const vals = g.values[k]!;
    out[g.keys[k]!] = vals[rest % vals.length]!;
    rest = Math.floor(rest / vals.length);
  }
  // Keys in the order they were given.
  return Object.fromEntries(g.keys.map((k) => [k, out[k]!]));
}

export function allCombinations(g: Grid): Record<string, ParamValue>[] {
  return Array.from({ length: combinationCount(g) }, (_, i) => combination(g, i));
}
