/**
 * The chain's own quote for a stake or unstake: `SwapRuntimeApi.sim_swap_tao_for_alpha` /
 * `sim_swap_alpha_for_tao`, which run the real swap on the block's state and roll it back.
 * Runtimes without these calls give no quote (undefined), not an error.
 */
import type { Codec } from '@polkadot/types/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { ChainDecodeError, decodeCallResult, toBig } from './codec-values.ts';
import { SIM_BUY, SIM_SELL, SWAP_API } from './read-plan.ts';
import type { ChainIo } from './snapshot-reader.ts';

export interface ChainQuote {
  netuid: number;
  blockHash: string;
  /** 'stake': TAO in, alpha out. 'unstake': alpha in, TAO out. */
  side: 'stake' | 'unstake';
  amountIn: bigint;
  /** Stake: net TAO that reached the pool (input minus fee). Unstake: TAO out. */
  taoAmount: bigint;
  /** Stake: alpha out. Unstake: net alpha that reached the pool. */
  alphaAmount: bigint;
  taoFee: bigint;
  alphaFee: bigint;
  taoSlippage: bigint;
  alphaSlippage: bigint;
}

const RESULT_FIELDS = ['taoAmount', 'alphaAmount', 'taoFee', 'alphaFee', 'taoSlippage', 'alphaSlippage'] as const;

export async function quoteAt(io: ChainIo, hash: string, side: 'stake' | 'unstake', netuid: number, amount: bigint): Promise<ChainQuote | undefined> {
  const view = await io.view(hash);
  const api = view.runtimeApi(SWAP_API, side === 'stake' ? SIM_BUY : SIM_SELL);
  if (!api) return undefined;
  if (api.inputs.length !== 2) throw new ChainDecodeError(`${api.callName}: expected (netuid, amount) inputs, found ${api.inputs.length}`);
  const args = u8aConcat(
    view.registry.createTypeUnsafe(api.inputs[0]!.type, [netuid]).toU8a(),
    view.registry.createTypeUnsafe(api.inputs[1]!.type, [amount]).toU8a(),
  );
  const hex = (await io.send('state_call', [api.callName, u8aToHex(args), hash])) as string;
  const result = decodeCallResult(view.registry, api.output, hex, api.callName);
  const get = (k: string) => (result as unknown as { get?(k: string): Codec | undefined }).get?.(k);
  const out: Record<string, bigint> = {};
  for (const f of RESULT_FIELDS) {
    const v = get(f);
    if (!v) throw new ChainDecodeError(`${api.callName}: the answer has no ${f}`);
    out[f] = toBig(v, `${api.callName}.${f}`);
  }
  return { netuid, blockHash: hash, side, amountIn: amount, ...(out as Record<(typeof RESULT_FIELDS)[number], bigint>) };
}
