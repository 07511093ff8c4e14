/**
 * The kinds of work the research pool runs, each a factory that turns a setup (plain data that
 * can cross to a worker thread) into a function from one task to its result. The same factory
 * serves the worker threads and the in-process mode, so both run identical code.
 */
import { UserError } from '../../core/errors.ts';
import { StrategyError } from '../../engine/engine.ts';
import type { Dataset } from '../../data/dataset.ts';
import type { Strategy } from '../../strategy/types.ts';

export type HandlerKind = 'backtest-run' | 'compare-subnet';

export type TaskHandler = (task: unknown) => unknown;

/** Objects the in-process mode hands over directly instead of loading them again. */
export interface LocalResources {
  dataset?: Dataset;
  strategy?: Strategy;
}

export interface TaskMessage {
  id: number;
  task: unknown;
}

export interface SerialisedError {
  user: boolean;
  message: string;
  stack?: string;
}

export async function makeHandler(kind: HandlerKind, setup: unknown, local: LocalResources = {}): Promise<TaskHandler> {
  switch (kind) {
    case 'backtest-run': return (await import('../sweep/run-task.ts')).makeRunHandler(setup as never, local);
    case 'compare-subnet': return (await import('../compare/subnet-task.ts')).makeCompareHandler(setup as never, local);
    default: throw new Error(`unknown research task kind ${JSON.stringify(kind)}`);
  }
}

export function serialiseError(e: unknown): SerialisedError {
  if (e instanceof UserError || e instanceof StrategyError) return { user: true, message: e.message };
  const err = e as Error;
  return { user: false, message: err?.message ?? String(e), stack: err?.stack };
}

export function deserialiseError(s: SerialisedError): Error {
  if (s.user) return new UserError(s.message);
  const e = new Error(`in a worker thread: ${s.message}`);
  if (s.stack) e.stack = `Error: in a worker thread: ${s.stack}`;
  return e;
}
