/**
 * Finding strategies: built-ins by name (the files in `strategies/`), or a user's own file by
 * path (TypeScript or JavaScript, default-exporting a strategy object). Also parses and checks
 * parameter values against each strategy's declaration.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { UserError } from '../core/errors.ts';
import type { ParamSpec, Strategy } from './types.ts';

export const BUILTIN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'strategies');

export function builtinNames(): string[] {
  if (!existsSync(BUILTIN_DIR)) return [];
  return readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || /\.(m?[jt]s)$/.test(ref);
}

export interface LoadedStrategy {
  /** How the user named it (built-in name or path). */
  ref: string;
  /** Absolute file it came from. */
  file: string;
  strategy: Strategy;
}

export async function loadStrategy(ref: string): Promise<LoadedStrategy> {
  let file: string;
  if (looksLikePath(ref)) {
    file = resolve(ref);
    if (!existsSync(file)) throw new UserError(`strategy file not found: ${ref}`);
  } else {
    file = join(BUILTIN_DIR, `${ref}.ts`);
    if (!existsSync(file)) {
      throw new UserError(`unknown strategy "${ref}"; built-ins: ${builtinNames().join(', ')} (or give a path to your own .ts file)`);
    }
  }
  let mod: Record<string, unknown>;
  try {
    // tsx loads the file as a module wherever it lives, even outside an ESM package.
    mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`could not load strategy ${ref}: ${(e as Error).message}`);
  }
  const s = pickStrategy(mod);
  const problem = checkShape(s);
  if (problem) throw new UserError(`${ref}: ${problem} (a strategy file must \`export default { name, description, params, decide }\`; see strategies/root-only.ts)`);
  return { ref, file, strategy: s as Strategy };
}

/** The strategy object of a module: its default export (also when compiled as CommonJS). */
function pickStrategy(mod: Record<string, unknown>): Partial<Strategy> | undefined {
  const candidates = [mod.default, (mod.default as Record<string, unknown> | undefined)?.default, mod.strategy];
  for (const c of candidates) if (c && typeof c === 'object' && typeof (c as Strategy).decide === 'function') return c as Strategy;
  return (mod.default ?? mod.strategy) as Partial<Strategy> | undefined;
}

function checkShape(s: Partial<Strategy> | undefined): string | undefined {
  if (!s || typeof s !== 'object') return 'no default export';
  if (typeof s.name !== 'string' || !s.name) return 'the strategy has no name';
  if (typeof s.decide !== 'function') return 'the strategy has no decide() function';
  if (s.params !== undefined && (typeof s.params !== 'object' || s.params === null)) return 'params must be an object of parameter declarations';
  for (const [k, spec] of Object.entries(s.params ?? {})) {
    if (!spec || typeof spec !== 'object' || !('type' in spec) || !('default' in spec)) return `param "${k}" needs a type and a default`;
  }
  return undefined;
}

/** Coerces a textual or JSON value to a parameter's type, checking bounds and choices. */
export function coerceParam(strategy: string, key: string, spec: ParamSpec, value: unknown): number | boolean | string {
  const bad = (why: string) => new UserError(`strategy "${strategy}" param ${key}: ${why}`);
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const x = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(x)) throw bad(`expected a number, got ${JSON.stringify(value)}`);
      if (spec.type === 'integer' && !Number.isInteger(x)) throw bad(`expected an integer, got ${JSON.stringify(value)}`);
      if (spec.min !== undefined && x < spec.min) throw bad(`must be >= ${spec.min}, got ${x}`);
      if (spec.max !== undefined && x > spec.max) throw bad(`must be <= ${spec.max}, got ${x}`);
      return x;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw bad(`expected true or false, got ${JSON.stringify(value)}`);
    }
    case 'string': {
      const s = String(value);
      if (spec.choices && !spec.choices.includes(s)) throw bad(`must be one of ${spec.choices.join(', ')}, got ${JSON.stringify(s)}`);
      return s;
    }
  }
}

/** Full parameter values: defaults overlaid with the given ones (unknown keys are errors). */
export function resolveParams(s: Strategy, given: Record<string, unknown>): Record<string, number | boolean | string> {
  const specs = s.params ?? {};
  const out: Record<string, number | boolean | string> = {};
  for (const [k, spec] of Object.entries(specs)) out[k] = spec.default;
  for (const [k, v] of Object.entries(given)) {
    const spec = specs[k];
    if (!spec) {
      const known = Object.keys(specs);
      throw new UserError(`strategy "${s.name}" has no param "${k}"${known.length ? ` (its params: ${known.join(', ')})` : ' (it takes no params)'}`);
    }
    out[k] = coerceParam(s.name, k, spec, v);
  }
  return Object.freeze(out) as Record<string, number | boolean | string>;
}

/**
 * Splits `--param` flags among strategies: "name.key=value" targets one strategy,
 * "key=value" every selected strategy that declares `key` (an error if none does).
 */
export function assignParamFlags(flags: string[], strategies: Strategy[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>(strategies.map((s) => [s.name, {}]));
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UserError(`--param ${flag}: expected key=value (or strategy.key=value)`);
    const lhs = flag.slice(0, eq);
    const value = flag.slice(eq + 1);
    const dot = lhs.lastIndexOf('.');
    if (dot > 0 && out.has(lhs.slice(0, dot))) {
      out.get(lhs.slice(0, dot))![lhs.slice(dot + 1)] = value;
      continue;
    }
    const takers = strategies.length === 1 ? strategies : strategies.filter((s) => s.params && lhs in s.params);
    if (takers.length === 0) throw new UserError(`--param ${flag}: no selected strategy has a param "${lhs}" (run \`dtao strategies\` to see them)`);
    for (const s of takers) out.get(s.name)![lhs] = value;
  }
  return out;
}
