/**
 * Seeded, counter-based random numbers. A draw is a pure function of (seed, stream, purpose,
 * counter), not of how many draws came before it. That is what lets the per-block simulator
 * and the batch generator see the very same trades although they walk the blocks differently:
 * the trade of subnet #s at flow tick #t uses draw (seed, s, FLOW, t) in both.
 */

/** What a draw is for; keeps the streams of one subnet apart. */
export const Purpose = {
  param: 1,
  flowNoise: 2,
  jumpChance: 3,
  jumpSize: 4,
  shuffle: 5,
  name: 6,
} as const;

/** 32-bit finaliser (a bijective avalanche mix). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function combine(h: number, v: number): number {
  return fmix32((h ^ Math.imul(v >>> 0, 0x9e3779b1)) + 0x7f4a7c15);
}

/** Splits a non-negative safe integer seed into two 32-bit words. */
function seedWords(seed: number): [number, number] {
  const lo = seed % 0x1_0000_0000;
  const hi = Math.floor(seed / 0x1_0000_0000);
  return [lo >>> 0, hi >>> 0];
}

/** A 32-bit hash of the key. */
export function hash32(seed: number, stream: number, purpose: number, counter: number, salt = 0): number {
  const [lo, hi] = seedWords(seed);
  let h = combine(0x243f6a88, lo);
  h = combine(h, hi);
  h = combine(h, stream);
  h = combine(h, purpose);
  h = combine(h, counter % 0x1_0000_0000);
  h = combine(h, Math.floor(counter / 0x1_0000_0000));
  return combine(h, salt);
}

/** Uniform in the open interval (0, 1), with 53 random bits. */
export function uniform(seed: number, stream: number, purpose: number, counter: number): number {
  const a = hash32(seed, stream, purpose, counter, 1) >>> 5; // 27 bits
  const b = hash32(seed, stream, purpose, counter, 2) >>> 6; // 26 bits
  return (a * 67108864 + b + 0.5) / 9007199254740992;
}

/** Standard normal draw (Box–Muller on two independent uniforms). */
export function normal(seed: number, stream: number, purpose: number, counter: number): number {
  const u1 = uniform(seed, stream, purpose, 2 * counter);
  const u2 = uniform(seed, stream, purpose, 2 * counter + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Uniform in [lo, hi]. */
export function between(u: number, lo: number, hi: number): number {
  return lo + (hi - lo) * u;
}

/** Log-uniform in [lo, hi] (both > 0): equal odds for each factor of ten. */
export function logBetween(u: number, lo: number, hi: number): number {
  return lo * Math.pow(hi / lo, u);
}
