/**
 * Why a chain read failed. A failed read is reported whole (the caller skips that tick); no
 * read ever returns a half-built snapshot. `retryable` says whether trying again may help
 * (a timeout, a dropped connection, a node error) or not (a pruned block, a runtime that
 * lacks what a snapshot needs).
 */
export class ChainReadError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChainReadError';
    this.retryable = options.retryable;
  }
}

/** The node no longer has (or never had) the state of the block asked for. */
export class BlockUnavailableError extends ChainReadError {
  constructor(message: string, cause?: unknown) {
    super(message, { retryable: false, cause });
    this.name = 'BlockUnavailableError';
  }
}

/** A request got no answer in time. */
export class ChainTimeoutError extends ChainReadError {
  constructor(message: string) {
    super(message, { retryable: true });
    this.name = 'ChainTimeoutError';
  }
}

// Substrate's wording for state a node has pruned or never had.
const UNAVAILABLE = /State already discarded|UnknownBlock|Unknown block|Header was not found|unknown Block|Unable to retrieve header/i;

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

/** First line of an error's message (provider errors append the failed request on a new line). */
export function shortMessage(err: unknown): string {
  return messageOf(err).split('\n')[0]!.trim();
}

/** Wraps whatever a request threw into a ChainReadError that says what was being done. */
export function asChainReadError(err: unknown, doing: string): ChainReadError {
  if (err instanceof ChainReadError) return err;
  const msg = shortMessage(err);
  if (UNAVAILABLE.test(msg)) {
    return new BlockUnavailableError(
      `${doing}: the node does not have this block's state (${msg}); a non-archive node keeps only recent blocks, ` +
        'so read older blocks from an archive node such as wss://archive.chain.opentensor.ai:443',
      err,
    );
  }
  return new ChainReadError(`${doing}: ${msg}`, { retryable: true, cause: err });
}
