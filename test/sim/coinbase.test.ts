import { describe, expect, it } from 'vitest';
import { injectionTerms, runCoinbase } from '../../src/sim/coinbase.ts';
import { emptyHoldings, emptyLedger, sumHoldings, type SubnetSim } from '../../src/sim/state.ts';
import { nextHalvingIssuance } from '../../src/sim/halving.ts';

const TAO = 1_000_000_000n;

function subnet(taoIn: bigint, alphaIn: bigint, alphaOut: bigint): SubnetSim {
  const holdings = emptyHoldings();
  holdings.staker = alphaOut;
  return {
    netuid: 1, serial: 0, name: 't', nextPhase: 0, registeredAt: 0, firstEmissionBlock: 1, feeRate: 33, tempo: 360,
    emissionEnabled: true, minerBurned: 0, taoIn, alphaIn, alphaOut, holdings, stakerFloor: 0n, movingPrice: 0.01, traderRef: 0.01,
    plan: { group: 't', flows: { drift: 0, volatility: 0, momentum: 0, momentumDays: 1, jumpRate: 0, jumpSize: 0 }, phases: [], minerSell: 1, minerSellHalflifeBlocks: 7200 },
    flows: { drift: 0, volatility: 0, momentum: 0, momentumDays: 1, jumpRate: 0, jumpSize: 0 },
    last: { taoIn: 0n, alphaIn: 0n, alphaOut: 0n, excessTao: 0n },
    alphaHalvingAt: nextHalvingIssuance(alphaIn + alphaOut),
  };
}

function clone(s: SubnetSim): SubnetSim {
  return { ...s, holdings: { ...s.holdings }, last: { ...s.last } };
}

describe('injection terms (mechanics §2.5)', () => {
  // Pool 1000 TAO / 100000 alpha: p = 0.01 TAO per alpha.
  const y = 1000n * TAO;
  const x = 100_000n * TAO;

  it('caps alpha_in at root_prop * alpha emission and sends the rest of T to the chain buy', () => {
    // T = 0.01 TAO wants 1 alpha; the cap is 0.15 * 1 alpha = 0.15 alpha, worth 0.0015 TAO.
    const t = injectionTerms(y, x, 10_000_000n, 0.15, TAO);
    expect(t).toEqual({ alphaIn: 150_000_000n, taoIn: 1_500_000n, excess: 8_500_000n });
  });

  it('injects all of T when T / p is under the cap', () => {
    // T = 0.001 TAO wants 0.1 alpha < 0.15 alpha.
    expect(injectionTerms(y, x, 1_000_000n, 0.15, TAO)).toEqual({ alphaIn: 100_000_000n, taoIn: 1_000_000n, excess: 0n });
  });

  it('injects nothing into a subnet that gets no TAO', () => {
    expect(injectionTerms(y, x, 0n, 0.15, TAO)).toEqual({ alphaIn: 0n, taoIn: 0n, excess: 0n });
  });
});

describe('one block of coinbase', () => {
  it('buys with the excess fee-free, then injects, then mints alpha_out into the pending maps', () => {
    const y = 1000n * TAO;
    const x = 100_000n * TAO;
    const out0 = 400_000n * TAO;
    const s = subnet(y, x, out0);
    const ledger = emptyLedger();
    // w*R / (w*R + A) with w = 0.18, R = 100000 TAO, A = 500000 alpha: 18000 / 518000.
    const rootStake = 100_000n * TAO;
    const rp = (0.18 * 100_000e9) / (0.18 * 100_000e9 + 500_000e9);
    const T = 10_000_000n;
    runCoinbase(s, { tao: T, rootStake, taoWeight: 0.18, rootSellFlag: true }, 1, ledger);

    const cap = BigInt(Math.floor(rp * 1e9));
    const taoIn = (cap * y) / x;
    const excess = T - taoIn;
    const bought = (x * excess) / (y + excess); // x*y = k, no fee
    expect(s.taoIn).toBe(y + excess + taoIn);
    expect(s.alphaIn).toBe(x - bought + cap);
    expect(s.alphaOut).toBe(out0 + TAO + bought);
    expect(s.last).toEqual({ taoIn, alphaIn: cap, alphaOut: TAO, excessTao: excess });

    // Owner 11796/65535, miners and validators half each of the rest, root_prop of validators' half to root.
    const owner = (TAO * 11_796n) / 65_535n;
    const server = (TAO - owner) / 2n;
    const half = TAO - owner - server;
    const root = BigInt(Math.floor(Number(half) * rp));
    expect(s.holdings.pendingOwner).toBe(owner);
    expect(s.holdings.pendingServer).toBe(server);
    expect(s.holdings.pendingRoot).toBe(root);
    expect(s.holdings.pendingValidator).toBe(half - root);
    expect(s.holdings.protocol).toBe(bought);
    expect(sumHoldings(s.holdings)).toBe(s.alphaOut);
    expect(ledger.taoEmitted).toBe(ledger.taoInjected + ledger.taoChainBuys);
  });

  it('recycles the root share when the root sell flag is off', () => {
    const s = subnet(1000n * TAO, 100_000n * TAO, 400_000n * TAO);
    const ledger = emptyLedger();
    runCoinbase(s, { tao: 0n, rootStake: 100_000n * TAO, taoWeight: 0.18, rootSellFlag: false }, 1, ledger);
    expect(s.holdings.pendingRoot).toBe(0n);
    expect(ledger.alphaRecycled).toBeGreaterThan(0n);
    expect(s.alphaOut - 400_000n * TAO).toBe(TAO - ledger.alphaRecycled);
  });

  it('a run of 60 blocks lands within a rao per block of 60 single blocks', () => {
    // A thin pool with a large chain buy, where the price moves most within the run.
    const a = subnet(500n * TAO, 100_000n * TAO, 300_000n * TAO);
    const b = clone(a);
    const terms = { tao: 5_000_000n, rootStake: 4_500_000n * TAO, taoWeight: 0.18, rootSellFlag: true };
    const la = emptyLedger();
    const lb = emptyLedger();
    for (let i = 0; i < 60; i++) runCoinbase(a, terms, 1, la);
    runCoinbase(b, terms, 60, lb);
    const near = (u: bigint, v: bigint, tol: bigint) => expect(u > v ? u - v : v - u).toBeLessThanOrEqual(tol);
    near(a.taoIn, b.taoIn, 60n);
    near(a.alphaIn, b.alphaIn, 60n * 1000n); // alpha-rao at 0.005 TAO/alpha: one rao of TAO is 200 alpha-rao
    near(a.alphaOut, b.alphaOut, 60n * 1000n);
    expect(lb.alphaOutMinted).toBe(la.alphaOutMinted);
    expect(lb.taoEmitted).toBe(la.taoEmitted);
    // Terms taken at the run's start instead of its midpoint would be off by far more: the
    // chain buys lift the price within the run, which moves the cap's TAO value block by block.
    const start = subnet(500n * TAO, 100_000n * TAO, 300_000n * TAO);
    const rp = (0.18 * 4_500_000e9) / (0.18 * 4_500_000e9 + 400_000e9);
    const naive = injectionTerms(start.taoIn, start.alphaIn, terms.tao, rp, TAO);
    const naiveInjected = 60n * naive.taoIn;
    const injected = la.taoInjected;
    const naiveGap = naiveInjected > injected ? naiveInjected - injected : injected - naiveInjected;
    expect(naiveGap).toBeGreaterThan(1000n);
    near(lb.taoInjected, la.taoInjected, 60n);
  });

  it('halves the alpha emission exactly at 10.5M alpha issued, also inside a run', () => {
    const threshold = 10_500_000n * TAO;
    // Issuance 2.5 alpha below the threshold and no TAO: it grows by exactly 1 alpha a block,
    // so blocks 1-3 start below the threshold (1 alpha each) and blocks 4-10 above it (0.5 each).
    const start = threshold - 2_500_000_000n;
    const a = subnet(1000n * TAO, 100_000n * TAO, start - 100_000n * TAO);
    const b = clone(a);
    const terms = { tao: 0n, rootStake: 4_500_000n * TAO, taoWeight: 0.18, rootSellFlag: true };
    const la = emptyLedger();
    const lb = emptyLedger();
    runCoinbase(a, terms, 10, la);
    for (let i = 0; i < 10; i++) runCoinbase(b, terms, 1, lb);
    expect(la.alphaOutMinted).toBe(3n * TAO + 7n * (TAO / 2n));
    expect(lb.alphaOutMinted).toBe(la.alphaOutMinted);
    expect(a.last.alphaOut).toBe(TAO / 2n);
  });
});
