/**
 * Timeouts and retries for chain requests. Backoff is deterministic (no jitter), so a run's
 * behaviour does not depend on chance.
 */
import { ChainReadError, ChainTimeoutError } from './errors.ts';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with ChainTimeoutError when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  if (!(ms > 0) || !Number.isFinite(ms)) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainTimeoutError(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface RetryPolicy {
  /** Total attempts, at least 1. */
  attempts: number;
  /** Delay before the second attempt; doubles after each failure. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export function retryDelay(policy: RetryPolicy, failedAttempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs or the attempts run out; the
 * last error is rethrown. `onRetry` hears about each failure that will be retried.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  onRetry?: (err: ChainReadError, attemptNumber: number, delayMs: number) => void,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const retryable = err instanceof ChainReadError ? err.retryable : false;
      if (!retryable || n >= policy.attempts) throw err;
      const delay = retryDelay(policy, n);
      onRetry?.(err as ChainReadError, n, delay);
      await sleep(delay);
    }
  }
}
