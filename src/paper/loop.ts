/**
 * The paper loop: one tick now (`once`), or one per tick of a node-cron schedule until the
 * signal aborts. Ticks never overlap: a tick falling due while the previous one still runs is
 * skipped and logged. On abort, scheduling stops, a running tick gets `stopTimeoutMs` to finish
 * (else it is abandoned: nothing of it is saved), and the session is closed (lock released).
 */
import cron from 'node-cron';
import { checkSchedule } from '../chain/recorder.ts';
import { PaperSession, type PaperLog, type SessionOptions, type TickOutcome } from './session.ts';

/**
 * Hourly, at minute 0. A subnet's tempo (360 blocks) is 72 minutes, which no cron expression
 * can follow; hourly is the nearest regular schedule that still sees every epoch's result.
 */
export const DEFAULT_PAPER_SCHEDULE = '0 * * * *';

export interface PaperRunOptions extends Omit<SessionOptions, 'schedule'> {
  /** Cron expression: 5 fields, or 6 with seconds first. */
  schedule?: string;
  once?: boolean;
  signal?: AbortSignal;
  /** How long a running tick may take to finish once stopping (default 20 s). */
  stopTimeoutMs?: number;
  /** Aborted while stopping: abandon the running tick now instead of waiting (a second Ctrl-C). */
  abandonSignal?: AbortSignal;
  /** Called after every tick, whatever its outcome (progress for tests and the CLI). */
  onTick?: (outcome: TickOutcome) => void;
}

export interface PaperSummary {
  ticked: number;
  skipped: number;
  /** Ticks whose read or strategy failed. */
  failed: number;
  /** The outcome of the last tick tried (the only one with `once`). */
  last: TickOutcome | undefined;
  ticks: number;
}

function count(summary: PaperSummary, o: TickOutcome): void {
  summary.last = o;
  if (o.kind === 'ticked') summary.ticked++;
  else if (o.kind === 'not-newer' || o.kind === 'abandoned') summary.skipped++;
  else summary.failed++;
}

function cronLogger(log: PaperLog) {
  return {
    info: (m: string) => log.debug({}, `cron: ${m}`),
    warn: (m: string) => log.warn({}, `cron: ${m}`),
    error: (m: string | Error) => log.error({}, `cron: ${m instanceof Error ? m.message : m}`),
    debug: (m: string | Error) => log.debug({}, `cron: ${m instanceof Error ? m.message : m}`),
  };
}

export async function runPaper(opts: PaperRunOptions): Promise<PaperSummary> {
  const schedule = opts.once ? null : checkSchedule(opts.schedule ?? DEFAULT_PAPER_SCHEDULE);
  const session = PaperSession.open({ ...opts, schedule });
  const summary: PaperSummary = { ticked: 0, skipped: 0, failed: 0, last: undefined, ticks: session.state.ticks.length };
  const { log } = opts;

  if (!schedule) {
    try {
      const o = await session.tick();
      count(summary, o);
      opts.onTick?.(o);
      return { ...summary, ticks: session.state.ticks.length };
    } finally {
      session.close();
    }
  }

  return new Promise<PaperSummary>((resolve, reject) => {
    let running: Promise<void> | undefined;
    let stopping = false;
    let abandoned = false;
    const stop = async (err?: unknown) => {
      if (stopping) return;
      stopping = true;
      opts.signal?.removeEventListener('abort', onAbort);
      await task.stop();
      await task.destroy();
      if (running) {
        const limit = opts.stopTimeoutMs ?? 20_000;
        let timer: NodeJS.Timeout | undefined;
        let onAbandon: (() => void) | undefined;
        const finished = await Promise.race([
          running.then(() => 'finished' as const, () => 'finished' as const),
          new Promise<'late'>((r) => {
            timer = setTimeout(() => r('late'), limit);
          }),
          new Promise<'abandoned'>((r) => {
            onAbandon = () => r('abandoned');
            if (opts.abandonSignal?.aborted) onAbandon();
            else opts.abandonSignal?.addEventListener('abort', onAbandon);
          }),
        ]);
        clearTimeout(timer);
        if (onAbandon) opts.abandonSignal?.removeEventListener('abort', onAbandon);
        if (finished !== 'finished') {
          abandoned = true;
          log.warn(
            { waitedMs: finished === 'late' ? limit : undefined },
            finished === 'late' ? 'the running tick did not finish in time; abandoned (nothing of it is saved)' : 'the running tick is abandoned (nothing of it is saved)',
          );
        }
      }
      const ticks = session.state.ticks.length;
      session.close();
      log.info({ ticked: summary.ticked, skipped: summary.skipped, failed: summary.failed, ticks }, 'paper loop stopped');
      if (err === undefined) resolve({ ...summary, ticks });
      else reject(err);
    };
    const onAbort = () => void stop();
    const task = cron.schedule(
      schedule,
      async () => {
        if (stopping) return;
        if (running) {
          log.warn({}, 'the previous tick is still running; this one is skipped');
          return;
        }
        running = (async () => {
          const o = await session.tick(() => abandoned);
          count(summary, o);
          opts.onTick?.(o);
        })();
        try {
          await running;
        } catch (err) {
          log.error({ err: (err as Error)?.message ?? String(err) }, 'tick failed unexpectedly; stopping');
          void stop(err);
        } finally {
          running = undefined;
        }
      },
      { name: 'dtao-paper', logger: cronLogger(log) },
    );
    log.info({ schedule, next: task.getNextRun()?.toISOString() }, 'waiting for the schedule');
    if (opts.signal?.aborted) void stop();
    else opts.signal?.addEventListener('abort', onAbort);
  });
}
