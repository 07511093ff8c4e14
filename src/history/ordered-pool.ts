/**
 * Runs numbered tasks a few at a time and hands their results on strictly in task order (a
 * reorder buffer), so whatever consumes them, e.g. an append to a file, sees a prefix of the
 * sequence at every moment. A task never starts more than `window` places ahead of the next
 * result to hand on, which bounds the buffer when one task is slow.
 *
 * On the first failure no new task starts; the tasks under way finish, every result before the
 * failed task is still handed on, and the failure of the lowest-numbered task is thrown. An
 * abort signal stops it the same way, without an error.
 */

export interface OrderedPoolOptions<T> {
  /** Tasks are numbered 0 .. count-1. */
  count: number;
  /** Most tasks running at once (>= 1). */
  concurrency: number;
  /** Furthest a task may start ahead of the next result to hand on (default 4 x concurrency). */
  window?: number;
  run(index: number): Promise<T>;
  /** Receives results in index order; an exception here stops the pool and is thrown. */
  deliver(index: number, value: T): void;
  signal?: AbortSignal;
}

export interface OrderedPoolResult {
  /** Results handed on (tasks 0 .. delivered-1). */
  delivered: number;
  /** True when the signal stopped the pool before every task ran. */
  aborted: boolean;
}

export function runOrdered<T>(opts: OrderedPoolOptions<T>): Promise<OrderedPoolResult> {
  const { count, signal } = opts;
  const concurrency = Math.max(1, Math.floor(opts.concurrency));
  const window = Math.max(concurrency, opts.window ?? concurrency * 4);
  return new Promise<OrderedPoolResult>((resolve, reject) => {
    const ready = new Map<number, T>();
    let nextToStart = 0;
    let delivered = 0;
    let running = 0;
    let failure: { index: number; error: unknown } | undefined;
    let deliverError: { error: unknown } | undefined;
    let settled = false;

    const pump = (): void => {
      if (settled) return;
      while (!deliverError && ready.has(delivered)) {
        const value = ready.get(delivered)!;
        ready.delete(delivered);
        try {
          opts.deliver(delivered, value);
        } catch (error) {
          deliverError = { error };
          break;
        }
        delivered++;
      }
      const stopping = failure !== undefined || deliverError !== undefined || signal?.aborted === true;
      if (!stopping) {
        while (running < concurrency && nextToStart < count && nextToStart < delivered + window) start(nextToStart++);
      }
      if (running === 0 && (stopping || delivered === count)) {
        settled = true;
        signal?.removeEventListener('abort', pump);
        if (deliverError) reject(deliverError.error);
        else if (failure) reject(failure.error);
        else resolve({ delivered, aborted: delivered < count });
      }
    };

    const start = (index: number): void => {
      running++;
      Promise.resolve()
        .then(() => opts.run(index))
        .then(
          (value) => {
            ready.set(index, value);
          },
          (error: unknown) => {
            if (!failure || index < failure.index) failure = { index, error };
          },
        )
        .finally(() => {
          running--;
          pump();
        });
    };

    signal?.addEventListener('abort', pump);
    pump();
  });
}
