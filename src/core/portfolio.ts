/**
 * A staker's holdings and running totals, exact to the rao: free TAO, TAO staked on root,
 * alpha per subnet, and root dividends accrued but not yet claimed. Plain data plus
 * (de)serialisation, so the paper loop can persist it and the backtester can clone it.
 */
import { formatAmount, parseSignedAmount } from './units.ts';

export interface Totals {
  /** Swap fees paid, valued in TAO at the spot price of the moment. */
  feesTao: bigint;
  /** Loss against the spot price from moving the pool (price impact), in TAO. */
  slippageTao: bigint;
  /** Per-extrinsic transaction fees, TAO. */
  txFees: bigint;
  /** Root dividends received, TAO (claimed by swap) or TAO value at claim (keep). */
  yieldRoot: bigint;
  /** Alpha dividends received, valued in TAO at the spot price when credited. */
  yieldAlpha: bigint;
  /** TAO-value of everything traded (buys and sells). */
  turnover: bigint;
  /** TAO paid out by subnets that were deregistered while held. */
  deregistrationPayouts: bigint;
}

export function zeroTotals(): Totals {
  return { feesTao: 0n, slippageTao: 0n, txFees: 0n, yieldRoot: 0n, yieldAlpha: 0n, turnover: 0n, deregistrationPayouts: 0n };
}

export class Portfolio {
  free: bigint;
  root = 0n;
  readonly alpha = new Map<number, bigint>();
  /** Root dividends per subnet, in that subnet's alpha, waiting for the next claim. */
  readonly claimable = new Map<number, bigint>();
  /** Alpha earned per subnet (units), for the yield split. */
  readonly alphaEarned = new Map<number, bigint>();
  totals: Totals = zeroTotals();
  /** Block of the last root-dividend claim. */
  lastClaimBlock = -1;

  constructor(free: bigint) {
    this.free = free;
  }

  alphaOf(netuid: number): bigint {
    return this.alpha.get(netuid) ?? 0n;
  }

  addAlpha(netuid: number, delta: bigint): void {
    const before = this.alpha.get(netuid);
    const v = (before ?? 0n) + delta;
    if (v < 0n) throw new RangeError(`alpha position on netuid ${netuid} would go negative`);
    if (v === 0n) {
      if (before !== undefined) this.held = undefined;
      this.alpha.delete(netuid);
    } else {
      if (before === undefined) this.held = undefined;
      this.alpha.set(netuid, v);
    }
    this.alphaMarks[netuid] = Number(v) / 1e9;
  }

  /** Whole alpha held per netuid as doubles, for marks (kept in step with `alpha` by addAlpha). */
  private readonly alphaMarks: number[] = [];

  /** Alpha held on a subnet as a double (whole alpha): for marks, not for bookkeeping. */
  alphaMark(netuid: number): number {
    return this.alphaMarks[netuid] ?? 0;
  }

  /** Sorted netuids of the positions, kept until a position opens or closes. */
  private held: readonly number[] | undefined;

  /** Netuids with a position, ascending (deterministic iteration order). Do not modify. */
  heldNetuids(): readonly number[] {
    return (this.held ??= Object.freeze([...this.alpha.keys()].sort((a, b) => a - b)));
  }

  clone(): Portfolio {
    const p = new Portfolio(this.free);
    p.root = this.root;
    for (const [k, v] of this.alpha) p.addAlpha(k, v);
    for (const [k, v] of this.claimable) p.claimable.set(k, v);
    for (const [k, v] of this.alphaEarned) p.alphaEarned.set(k, v);
    p.totals = { ...this.totals };
    p.lastClaimBlock = this.lastClaimBlock;
    return p;
  }

  toJSON(): PortfolioJson {
    const map = (m: Map<number, bigint>) => Object.fromEntries([...m.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), formatAmount(v)]));
    const totals = Object.fromEntries(Object.entries(this.totals).map(([k, v]) => [k, formatAmount(v as bigint)])) as Record<keyof Totals, string>;
    return {
      free: formatAmount(this.free), root: formatAmount(this.root), alpha: map(this.alpha), claimable: map(this.claimable),
      alpha_earned: map(this.alphaEarned), totals, last_claim_block: this.lastClaimBlock,
    };
  }

  static fromJSON(j: PortfolioJson): Portfolio {
    const p = new Portfolio(parseSignedAmount(j.free));
    p.root = parseSignedAmount(j.root);
    const fill = (m: Map<number, bigint>, o: Record<string, string>) => {
      for (const [k, v] of Object.entries(o)) m.set(Number(k), parseSignedAmount(v));
    };
    for (const [k, v] of Object.entries(j.alpha)) p.addAlpha(Number(k), parseSignedAmount(v));
    fill(p.claimable, j.claimable);
    fill(p.alphaEarned, j.alpha_earned);
    const t = zeroTotals();
    for (const k of Object.keys(t) as (keyof Totals)[]) if (j.totals[k] !== undefined) t[k] = parseSignedAmount(j.totals[k]);
    p.totals = t;
    p.lastClaimBlock = j.last_claim_block;
    return p;
  }
}

export interface PortfolioJson {
  free: string;
  root: string;
  alpha: Record<string, string>;
  claimable: Record<string, string>;
  alpha_earned: Record<string, string>;
  totals: Record<keyof Totals, string>;
  last_claim_block: number;
}
