/** The chain adapter: subtensor state to snapshots, chain quotes, new heads. */
export { connectChain, checkEndpoint, ChainClient } from './client.ts';
export type { BlockRef, ChainClientOptions, ChainLog, HeadInfo } from './client.ts';
export type { BlockTime, ChainSnapshot } from './snapshot-reader.ts';
export type { ChainQuote } from './quotes.ts';
export { ChainReadError, BlockUnavailableError, ChainTimeoutError } from './errors.ts';
export { ChainDecodeError } from './codec-values.ts';
