/**
 * The identity of a paper account: strategy (name and file content), parameters, market model,
 * capital and chain. Ticks taken under one identity and continued under another would describe
 * no real account, so a state file is only continued by the same identity.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { formatAmount } from '../core/units.ts';
import type { ModelConfig } from '../engine/model.ts';
import { modelToJson } from '../report/report-json.ts';
import type { PaperIdentity } from './state.ts';

export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export interface IdentityParts {
  strategyName: string;
  strategyFile: string;
  params: Readonly<Record<string, number | boolean | string>>;
  model: ModelConfig;
  capital: bigint;
  genesisHash: string;
}

/** Keys sorted, so the identity's JSON does not depend on the order flags were given in. */
function sorted<T>(o: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
}

export function identityOf(p: IdentityParts): PaperIdentity {
  return {
    strategy: p.strategyName,
    strategy_sha256: fileSha256(p.strategyFile),
    params: sorted(p.params),
    model: modelToJson(p.model),
    capital: formatAmount(p.capital),
    genesis_hash: p.genesisHash,
  };
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function diffRecord(what: string, a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(`${what} ${k}: ${show(a[k] ?? '(unset)')} in the state, ${show(b[k] ?? '(unset)')} now`);
  }
  return out;
}

/** What differs between the state's identity and this run's, one phrase each; empty if they match. */
export function identityDifferences(state: PaperIdentity, now: PaperIdentity): string[] {
  const out: string[] = [];
  if (state.strategy !== now.strategy) out.push(`strategy: "${state.strategy}" in the state, "${now.strategy}" now`);
  else {
    if (state.strategy_sha256 !== now.strategy_sha256) out.push(`strategy file: the code of "${now.strategy}" has changed since the state was started`);
    // Params of another strategy differ anyway; name them only for the same strategy.
    out.push(...diffRecord('param', state.params, now.params));
  }
  out.push(...diffRecord('model', state.model, now.model));
  if (state.capital !== now.capital) out.push(`capital: ${state.capital} TAO in the state, ${now.capital} TAO now`);
  if (state.genesis_hash !== now.genesis_hash) out.push(`chain: genesis ${state.genesis_hash} in the state, ${now.genesis_hash} at the endpoint`);
  return out;
}
