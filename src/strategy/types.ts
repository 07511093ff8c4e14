/**
 * The strategy interface: the one contract every driver (backtest, paper) honours.
 *
 * A strategy is a plain object with a name, its parameters and a `decide` function. At each
 * step it receives a read-only context and returns what it wants: target weights of the
 * portfolio, explicit orders, or nothing (hold). It never sees the clock, the file system,
 * the chain or the data file: only what the context offers, and history only up to now.
 */

/** Parameter declaration: its default, its type and what it means (shown by `dtao strategies`). */
export type ParamSpec =
  | { type: 'number'; default: number; description: string; min?: number; max?: number }
  | { type: 'integer'; default: number; description: string; min?: number; max?: number }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'string'; default: string; description: string; choices?: readonly string[] };

export type ParamSpecs = Record<string, ParamSpec>;

/** Parameter values as the strategy sees them, typed from the declaration. */
export type ParamValues<S extends ParamSpecs> = {
  readonly [K in keyof S]: S[K] extends { type: 'boolean' } ? boolean : S[K] extends { type: 'string' } ? string : number;
};

/** An amount in whole TAO/alpha: a decimal string ("12.5"), a number, or exact rao as a bigint. */
export type Amount = string | number | bigint;

/** Limit-price protection, as btcli's safe staking: tolerance 0.005 = 0.5% from spot. */
export interface LimitSpec {
  tolerance: number;
  /** Execute the part that fits within the limit instead of nothing (default false). */
  allowPartial?: boolean;
}

/** Netuid 0 means root (1:1 TAO, no pool). */
export type Order =
  | { type: 'stake'; netuid: number; tao: Amount; limit?: LimitSpec }
  | { type: 'unstake'; netuid: number; alpha: Amount | 'all'; limit?: LimitSpec }
  | { type: 'move'; from: number; to: number; alpha: Amount | 'all'; limit?: LimitSpec };

/**
 * Target weights as fractions of the portfolio's value at spot. `root`: staked on root;
 * `subnets`: netuid -> weight; what is left of 1 stays as free TAO. A subnet held but not
 * named goes to 0.
 */
export interface Targets {
  root?: number;
  subnets?: Record<number, number>;
}

export interface Decision {
  targets?: Targets;
  orders?: Order[];
  /** Rebalance only positions whose weight is off by more than this (default: params.rebalance_band or 0.01). */
  band?: number;
  /** Limit protection for the orders generated from targets. */
  limit?: LimitSpec;
}

/** One subnet as a strategy sees it at the current snapshot (TAO amounts as numbers). */
export interface SubnetView {
  readonly netuid: number;
  readonly name: string | undefined;
  /** Pool TAO reserve, TAO (including the effect of our own trades when impact persists). */
  readonly taoIn: number;
  /** Pool alpha reserve, alpha. */
  readonly alphaIn: number;
  /** Spot price, TAO per alpha (from the effective reserves). */
  readonly price: number;
  readonly movingPrice: number | undefined;
  readonly rootProp: number | undefined;
  readonly emissionEnabled: boolean | undefined;
  /** Share of the block's TAO emission going to this subnet (0..1), given or estimated. */
  readonly emissionShare: number;
  readonly feeRate: number;
  readonly tempo: number;
}

export interface SnapshotView {
  readonly block: number;
  /** Unix milliseconds of the snapshot. */
  readonly timeMs: number;
  readonly subnets: readonly SubnetView[];
  subnet(netuid: number): SubnetView | undefined;
}

/** Per-subnet series over past snapshots up to and including now (oldest first). */
export type SeriesField = 'price' | 'taoIn' | 'alphaIn' | 'movingPrice' | 'rootProp' | 'emissionShare';

export interface HistoryView {
  /** Number of snapshots seen so far, including the current one. */
  readonly length: number;
  /** Blocks of the last `lookback` snapshots (all if omitted), oldest first. */
  blocks(lookback?: number): number[];
  /** A subnet's field over the last `lookback` snapshots; NaN where the subnet was absent. */
  series(netuid: number, field: SeriesField, lookback?: number): number[];
}

export interface PortfolioView {
  /** Free TAO. */
  readonly free: number;
  /** TAO staked on root. */
  readonly root: number;
  /** Alpha held per subnet. */
  alpha(netuid: number): number;
  /** Netuids with a position. */
  readonly held: readonly number[];
  /** Value at spot, TAO (free + root + alpha at spot). */
  readonly valueSpot: number;
  /** Value if everything were unstaked now, TAO. */
  readonly valueLiquidation: number;
  /** Current weight of a subnet (netuid) or of root (0) in the spot value. */
  weight(netuid: number): number;
}

export interface Quote {
  /** Output of the swap (alpha for a stake, TAO for an unstake). */
  output: number;
  /** Fee in the input token. */
  fee: number;
  /** Loss against spot from the price impact, as a fraction of the input value. */
  slippage: number;
  /** Set when the pool would refuse the swap. */
  rejected?: string;
}

export interface QuoteView {
  /** What staking `tao` TAO into a subnet would return now (no state changes). */
  stake(netuid: number, tao: number): Quote;
  /** What unstaking `alpha` would return now. */
  unstake(netuid: number, alpha: number): Quote;
}

/** The model's expected yields from the current snapshot (same model as the accrual). */
export interface YieldView {
  /** Alpha earned per alpha staked per year (simple, not compounded) on a subnet. */
  alphaApr(netuid: number): number;
  /** TAO earned per TAO on root per year, from all subnets' root dividends at spot prices. */
  rootApr(): number;
}

export interface IndicatorView {
  ema(values: number[], period: number): number[];
  sma(values: number[], period: number): number[];
  rsi(values: number[], period: number): number[];
  /** Rate of change over `period` steps, in percent. */
  roc(values: number[], period: number): number[];
}

export interface StrategyContext<P = Record<string, unknown>> {
  readonly snapshot: SnapshotView;
  readonly history: HistoryView;
  readonly portfolio: PortfolioView;
  readonly params: P;
  readonly indicators: IndicatorView;
  readonly quote: QuoteView;
  readonly yields: YieldView;
  /** The strategy's own memory across steps (JSON values only; saved with paper state). */
  readonly state: Record<string, unknown>;
  /** Index of this step (0 for the first snapshot the strategy sees). */
  readonly step: number;
}

export interface Strategy<S extends ParamSpecs = ParamSpecs> {
  name: string;
  description: string;
  params: S;
  decide(ctx: StrategyContext<ParamValues<S>>): Decision | void;
}

/** Identity helper that gives `decide` typed params. */
export function defineStrategy<S extends ParamSpecs>(s: Strategy<S>): Strategy<S> {
  return s;
}
