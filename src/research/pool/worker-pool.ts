/**
 * Runs a list of independent tasks on worker threads and returns their results in task order,
 * so the outcome is the same whatever the number of workers. Tasks are handed out one at a time
 * to whichever worker is free. `workers: 0` runs them in this thread, through the same handler.
 * The first error stops every worker and rejects; the workers are always ended before returning.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { UserError } from '../../core/errors.ts';
import { deserialiseError, makeHandler, type HandlerKind, type LocalResources, type SerialisedError } from './handlers.ts';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export interface PoolOptions {
  /** Worker threads; 0 = in this thread. */
  workers: number;
  onProgress?: (done: number, total: number) => void;
  /** For the in-process mode: objects to use instead of loading them from the setup. */
  local?: LocalResources;
}

/** The default number of workers: the machine's cores. */
export function defaultWorkers(): number {
  return availableParallelism();
}

export function workersFlag(value: string | undefined): number {
  if (value === undefined) return defaultWorkers();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 256) throw new UserError(`--workers ${value}: expected a whole number from 0 to 256 (0 runs everything in the main thread)`);
  return n;
}

export async function runTasks<T, R>(kind: HandlerKind, setup: object, tasks: readonly T[], opts: PoolOptions): Promise<R[]> {
  const total = tasks.length;
  const results = new Array<R>(total);
  if (total === 0) return results;
  if (opts.workers <= 0) {
    const run = await makeHandler(kind, setup, opts.local);
    for (let i = 0; i < total; i++) {
      results[i] = (await run(tasks[i])) as R;
      opts.onProgress?.(i + 1, total);
    }
    return results;
  }
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let settled = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        reject(e);
      };
      const feed = (w: Worker) => {
        if (next < total) {
          const id = next++;
          w.postMessage({ id, task: tasks[id] });
        }
      };
      for (let k = 0; k < Math.min(opts.workers, total); k++) {
        const w = new Worker(ENTRY, { workerData: { kind, setup } });
        workers.push(w);
        w.on('message', (m: { id: number; result?: unknown; error?: SerialisedError }) => {
          if (settled) return;
          if (m.error) return fail(deserialiseError(m.error));
          results[m.id] = m.result as R;
          done++;
          opts.onProgress?.(done, total);
          if (done === total) {
            settled = true;
            resolve();
          } else feed(w);
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (!settled) fail(new Error(`a worker thread stopped (exit code ${code}) before its tasks were done`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
