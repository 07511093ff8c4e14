/**
 * How a block's TAO emission is split across subnets (mechanics §2.4, spec 425, plus the
 * reported spec-440 gate when a scenario turns it on): EMA-price shares over the subnets that
 * have started, scaled by (1 - MinerBurned), optionally gated, then zero for subnets with
 * emission disabled and renormalised over the rest.
 */

export interface ShareInput {
  /** start_call has happened (FirstEmissionBlockNumber set). */
  eligible: boolean;
  movingPrice: number;
  minerBurned: number;
  emissionEnabled: boolean;
}

function normalise(w: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i]!;
  if (sum > 0) for (let i = 0; i < w.length; i++) w[i]! /= sum;
  return sum;
}

/** EMA-price shares scaled by (1 - MinerBurned), renormalised (falls back to plain shares if all are burned). */
export function burnScaledShares(subnets: ShareInput[]): Float64Array {
  const n = subnets.length;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = subnets[i]!;
    s[i] = x.eligible && x.movingPrice > 0 ? x.movingPrice : 0;
  }
  if (normalise(s) === 0) return s;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = s[i]! * (1 - Math.min(Math.max(subnets[i]!.minerBurned, 0), 1));
  if (normalise(w) === 0) return s;
  return w;
}

/**
 * The gate bar θ: sort the shares in descending order and take the share of the subnet at
 * which the running total first reaches `quantile`.
 */
export function gateBar(weights: Float64Array, quantile: number): number {
  const sorted = Array.from(weights).filter((x) => x > 0).sort((a, b) => b - a);
  let cum = 0;
  for (const w of sorted) {
    cum += w;
    if (cum >= quantile) return w;
  }
  return sorted.length ? sorted[sorted.length - 1]! : 0;
}

/** Final per-subnet fractions of the block emission (sum 1 over receiving subnets, or all 0). */
export function emissionFractions(subnets: ShareInput[], bar: number, exponent: number): Float64Array {
  const w = burnScaledShares(subnets);
  let g = w;
  if (bar > 0) {
    g = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) {
      const x = w[i]!;
      g[i] = x > 0 ? x / (1 + Math.pow(bar / x, exponent)) : 0;
    }
    if (normalise(g) === 0) g = w;
  }
  let anyDisabled = false;
  for (const x of subnets) if (x.eligible && !x.emissionEnabled) anyDisabled = true;
  if (anyDisabled) {
    const out = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = subnets[i]!.emissionEnabled ? g[i]! : 0;
    normalise(out);
    return out;
  }
  return g;
}

/** Root sell flag: root dividends accrue only while the EMA prices of started subnets sum above 1. */
export function rootSellFlag(subnets: ShareInput[]): boolean {
  let sum = 0;
  for (const x of subnets) if (x.eligible) sum += x.movingPrice;
  return sum > 1;
}

/** TAO for each subnet this block: floor(E * fraction). The floors' dust is not emitted. */
export function taoPerSubnet(blockEmission: bigint, fractions: Float64Array): bigint[] {
  const e = Number(blockEmission);
  const out: bigint[] = new Array(fractions.length);
  for (let i = 0; i < fractions.length; i++) {
    const f = fractions[i]!;
    out[i] = f > 0 ? BigInt(Math.floor(e * f)) : 0n;
  }
  return out;
}
