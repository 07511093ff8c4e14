/**
 * The generated markets the benchmarks read: deterministic random walks of the pool reserves
 * of `subnets` subnets, priced 0.01 + 0.3/rank TAO per alpha (their sum above 1, so root
 * dividends flow, as on mainnet). Each benchmark turns the reserves into the rows it needs.
 */
export function* reserveWalk(seed: number, subnets: number, snapshots: number): Generator<{ i: number; reserves: [bigint, bigint][]; rnd: () => number }> {
  let state = seed;
  const rnd = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const tao = Array.from({ length: subnets }, (_, k) => 2000 + 200_000 / (k + 1));
  const alpha = tao.map((t, k) => t / (0.01 + 0.3 / (k + 1)));
  for (let i = 0; i < snapshots; i++) {
    const reserves: [bigint, bigint][] = [];
    for (let k = 0; k < subnets; k++) {
      tao[k]! *= 1 + (rnd() - 0.5) * 0.01;
      alpha[k]! *= 1 + (rnd() - 0.5) * 0.01;
      reserves.push([BigInt(Math.round(tao[k]! * 1e9)), BigInt(Math.round(alpha[k]! * 1e9))]);
    }
    yield { i, reserves, rnd };
  }
}
