/**
 * An optional observer of every swap the simulator makes, with core's full result (reserves
 * before and after, fee, amounts). Tests use it to check each fill against the pool curve;
 * the devnet or a trace can use it to show what moved a price.
 */
import type { BuyResult, SellResult } from '../core/stake.ts';

export type SwapKind = 'chain-buy' | 'stake' | 'unstake' | 'miner-sell' | 'root-claim' | 'external-stake' | 'external-unstake';

export type SwapRecord =
  | { kind: 'chain-buy' | 'stake' | 'external-stake'; netuid: number; block: number; buy: BuyResult }
  | { kind: 'unstake' | 'miner-sell' | 'root-claim' | 'external-unstake'; netuid: number; block: number; sell: SellResult };

export type SwapObserver = (record: SwapRecord) => void;
