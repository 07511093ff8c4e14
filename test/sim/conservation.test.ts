/**
 * Conservation, checked exactly in rao: TAO emitted = TAO injected + TAO spent on chain buys;
 * every TAO in pools and root is accounted for by emission and the trades that brought it in
 * or took it out; every alpha minted is in a pool or held by someone; no reserve or holding
 * goes negative; every swap's fill is the constant-product curve's, computed here independently.
 */
import { describe, expect, it } from 'vitest';
import type { MarketEngine } from '../../src/sim/engine.ts';
import { sumHoldings } from '../../src/sim/state.ts';
import type { SwapRecord } from '../../src/sim/swap-log.ts';
import { engineFor, smallMarket, TAO } from './helpers.ts';

// Prices high enough that the EMA prices sum above 1, so root dividends accrue and get claimed.
const established = { ...((smallMarket().groups as Record<string, unknown>[])[0]), price: [0.2, 0.4] };
const scenario = smallMarket({
  subnets: 6,
  chain: {
    total_issuance: '10600000', root_stake: '4500000', subnet_limit: 'initial', immunity_days: 0,
    root_claim_swap: 0.5, root_drift: 100, emission_gate: { quantile: 0.75, exponent: 3 },
  },
  groups: [
    established,
    { name: 'fresh', count: 0, pool_tao: [500, 1000], price: [0.01, 0.02], flows: { drift: 0.05, volatility: 0.1, jump_rate: 2, jump_size: 0.2 },
      phases: [{ after_days: 0.2, emission_enabled: true }] },
  ],
  registrations: { group: 'fresh', at_days: [0.25, 0.5, 1.5], start_call_delay_days: 0.1 },
});

function checkTao(e: MarketEngine): void {
  const L = e.state.ledger;
  expect(L.taoEmitted).toBe(L.taoInjected + L.taoChainBuys);
  expect(e.totalIssuance - 10_600_000n * TAO).toBe(L.taoEmitted);
  const pools = e.state.subnets.reduce((a, s) => a + s.taoIn, 0n);
  const accounted = e.initial.poolTao + e.initial.rootStake + L.taoEmitted
    + (L.stakeTaoGross - L.stakeFeeTao) - L.unstakeTaoOut - L.authorTaoFromSells
    + L.registrationTao - L.prunePayoutTao + L.rootDriftTao;
  expect(pools + e.state.rootStake).toBe(accounted);
}

function checkAlpha(e: MarketEngine): void {
  const L = e.state.ledger;
  let issued = 0n;
  for (const s of e.state.subnets) {
    expect(sumHoldings(s.holdings)).toBe(s.alphaOut);
    issued += s.alphaIn + s.alphaOut;
  }
  expect(issued + L.pruneAlphaDestroyed).toBe(e.initial.alphaIssuance + L.alphaInjected + L.alphaOutMinted - L.alphaRecycled + L.registrationAlpha);
}

function checkNonNegative(e: MarketEngine): void {
  for (const s of e.state.subnets) {
    expect(s.taoIn).toBeGreaterThan(0n);
    expect(s.alphaIn).toBeGreaterThan(0n);
    for (const v of Object.values(s.holdings)) expect(v).toBeGreaterThanOrEqual(0n);
  }
  expect(e.state.rootStake).toBeGreaterThan(0n);
}

/** The fill of one swap, recomputed from the reserves before it with x * y = k; '' if it agrees. */
function swapProblem(r: SwapRecord): string {
  const bad: string[] = [];
  const want = (what: string, got: bigint, expected: bigint) => {
    if (got !== expected) bad.push(`${what} ${got} != ${expected}`);
  };
  if ('buy' in r) {
    const b = r.buy;
    const { taoIn: y, alphaIn: x, feeRate } = b.before;
    const fee = r.kind === 'chain-buy' ? 0n : (b.taoSpent * BigInt(feeRate)) / 65_535n;
    want('fee', b.fee, fee);
    const net = b.taoSpent - fee;
    want('alpha out', b.alphaOut, (x * net) / (y + net));
    want('tao after', b.after.taoIn, y + net);
    want('alpha after', b.after.alphaIn, x - b.alphaOut);
    // Flooring the output only ever leaves the pool a little richer: k never falls.
    if (b.after.taoIn * b.after.alphaIn < x * y) bad.push('k fell');
  } else {
    const s = r.sell;
    const { taoIn: y, alphaIn: x, feeRate } = s.before;
    const fee = r.kind === 'root-claim' ? 0n : (s.alphaSpent * BigInt(feeRate)) / 65_535n;
    want('fee', s.fee, fee);
    const net = s.alphaSpent - fee;
    const out = (y * net) / (x + net);
    want('tao out', s.taoOut, out);
    want('author', s.authorTao, fee > 0n ? ((y - out) * fee) / (x + net + fee) : 0n);
    want('tao after', s.after.taoIn, y - s.taoOut - s.authorTao);
    want('alpha after', s.after.alphaIn, x + s.alphaSpent);
    if (s.after.taoIn * s.after.alphaIn < x * y) bad.push('k fell');
  }
  return bad.length ? `${r.kind} on ${r.netuid} at ${r.block}: ${bad.join(', ')}` : '';
}

function swapProblems(swaps: SwapRecord[]): string[] {
  return swaps.map(swapProblem).filter(Boolean).slice(0, 5);
}

describe('conservation, stepping block by block', () => {
  it('holds after every block, with registrations, dissolutions, claims and trades', () => {
    const e = engineFor(scenario, 11);
    const swaps: SwapRecord[] = [];
    e.onSwap = (r) => swaps.push(r);
    let checkedBlocks = 0;
    const mismatches: number[] = [];
    for (let i = 0; i < 2 * 7200; i++) {
      const before = e.totalIssuance;
      const events = e.events.length;
      e.stepBlock();
      if (i % 97 === 0) {
        checkTao(e);
        checkAlpha(e);
        checkNonNegative(e);
      }
      if (e.events.length === events) {
        // This block's TAO emission is exactly what the subnets show as injected plus chain-bought.
        let shown = 0n;
        for (const s of e.state.subnets) if (s.firstEmissionBlock <= e.block) shown += s.last.taoIn + s.last.excessTao;
        if (e.totalIssuance - before !== shown) mismatches.push(e.block);
        checkedBlocks++;
      }
    }
    checkTao(e);
    checkAlpha(e);
    expect(checkedBlocks).toBeGreaterThan(14_000);
    expect(mismatches).toEqual([]);
    expect(e.state.ledger.registrations).toBe(3);
    expect(e.state.ledger.prunes).toBe(3);
    const kinds = new Set(swaps.map((s) => s.kind));
    for (const k of ['chain-buy', 'stake', 'unstake', 'miner-sell', 'root-claim']) expect(kinds).toContain(k);
    expect(swapProblems(swaps)).toEqual([]);
  });
});

describe('conservation, batched', () => {
  it('holds at every sample of a batched run', () => {
    const e = engineFor(scenario, 12);
    const swaps: SwapRecord[] = [];
    e.onSwap = (r) => swaps.push(r);
    for (let k = 1; k <= 48; k++) {
      e.advanceTo(e.startBlock + k * 300);
      checkTao(e);
      checkAlpha(e);
      checkNonNegative(e);
    }
    expect(e.state.ledger.prunes).toBe(3);
    expect(swaps.length).toBeGreaterThan(1000);
    expect(swapProblems(swaps)).toEqual([]);
  });

  it('at the limit, a registration dissolves the lowest-EMA subnet and pays out exactly its pool TAO', () => {
    // Twin markets, identical until the first registration (end of block start + 1800).
    const later = { ...scenario, registrations: { group: 'fresh', at_days: [5] } };
    const a = engineFor(scenario, 13);
    const b = engineFor(later, 13);
    const regBlock = a.startBlock + 1800;
    a.advanceTo(regBlock);
    b.advanceTo(regBlock);
    const victim = [...b.state.subnets].sort((p, q) => p.movingPrice - q.movingPrice)[0]!;
    const prune = a.events.find((x) => x.kind === 'prune')!;
    expect(prune.block).toBe(regBlock);
    expect(prune.netuid).toBe(victim.netuid);
    expect(prune.payoutTao).toBe(victim.taoIn);
    // Pro rata to the alpha each holder had outside the pool; the shares add up to the pot.
    const by = prune.payoutByHolder!;
    expect(by.staker).toBe((victim.taoIn * victim.holdings.staker) / victim.alphaOut);
    expect(by.owner).toBe((victim.taoIn * victim.holdings.owner) / victim.alphaOut);
    expect(Object.values(by).reduce((x, y) => x + y, 0n)).toBe(victim.taoIn);
    expect(a.state.ledger.pruneAlphaDestroyed).toBe(victim.alphaIn + victim.alphaOut);
    const reg = a.events.find((x) => x.kind === 'register')!;
    expect(reg.netuid).toBe(victim.netuid);
    const fresh = a.subnet(reg.netuid)!;
    expect(fresh.name).toBe('fresh 1');
    expect(fresh.alphaOut).toBe(0n);
    expect(fresh.movingPrice).toBe(0);
    expect(fresh.emissionEnabled).toBe(false);
    expect(a.state.subnets.length).toBe(6);
  });
});

describe('outside accounts (the devnet\'s users)', () => {
  it('stake and unstake move the pool by the curve with the fee and keep the books', () => {
    const e = engineFor(scenario, 14);
    const s = e.state.subnets[0]!;
    const y = s.taoIn;
    const x = s.alphaIn;
    const r = e.stake(s.netuid, 10n * TAO);
    const fee = (10n * TAO * 33n) / 65_535n;
    expect(r.fee).toBe(fee);
    expect(r.alphaOut).toBe((x * (10n * TAO - fee)) / (y + 10n * TAO - fee));
    expect(s.holdings.external).toBe(r.alphaOut);
    const back = e.unstake(s.netuid, r.alphaOut);
    expect(back.status).toBe('filled');
    expect(back.taoOut).toBeLessThan(10n * TAO);
    expect(s.holdings.external).toBe(0n);
    checkTao(e);
    checkAlpha(e);
    expect(() => e.unstake(s.netuid, 1n)).toThrow(/exceeds/);
  });
});
