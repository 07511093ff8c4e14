/**
 * Notices a strategy reading the data file itself (or its cached copy): a way to see the future
 * that no truncation of the engine's data can reveal, since the file on disk stays whole.
 *
 * While the watch is on, the file-opening functions of `node:fs` and `node:fs/promises` are
 * wrapped, and the named ESM exports are re-synced so `import { readFileSync } from 'node:fs'`
 * in a strategy sees the wrapper too. A call that names a watched file is recorded with the phase
 * the check was in (loading the strategy, or deciding at a block). A detector, not a proof: a
 * strategy can still reach the file by other means (a child process, a copy elsewhere).
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FileRead {
  api: string;
  path: string;
  phase: string;
}

const SYNC = ['readFileSync', 'openSync', 'createReadStream', 'readFile', 'open'] as const;
const PROMISES = ['readFile', 'open'] as const;

function pathOf(arg: unknown): string | undefined {
  try {
    if (typeof arg === 'string') return resolve(arg.startsWith('file:') ? fileURLToPath(arg) : arg);
    if (arg instanceof URL) return resolve(fileURLToPath(arg));
    if (Buffer.isBuffer(arg)) return resolve(arg.toString());
  } catch {
    // not a path we can read: not one of ours
  }
  return undefined;
}

function canonical(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return path;
  }
}

export interface FileWatch {
  /** What the check is doing now, recorded with each read. */
  phase: string;
  readonly reads: FileRead[];
  stop(): void;
}

export function watchFileReads(paths: readonly string[]): FileWatch {
  const targets = new Set<string>();
  for (const p of paths) {
    targets.add(resolve(p));
    targets.add(canonical(resolve(p)));
  }
  const watch: FileWatch = { phase: 'setup', reads: [], stop };
  const restore: (() => void)[] = [];
  let stopped = false;
  let depth = 0; // readFileSync opens the file itself: count the outer call only
  const wrap = (obj: Record<string, unknown>, name: string, label: string) => {
    const original = obj[name] as (...a: unknown[]) => unknown;
    if (typeof original !== 'function') return;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      if (!stopped && depth === 0) {
        const p = pathOf(args[0]);
        if (p !== undefined && (targets.has(p) || targets.has(canonical(p)))) watch.reads.push({ api: label, path: p, phase: watch.phase });
      }
      depth++;
      try {
        return original.apply(this, args);
      } finally {
        depth--;
      }
    };
    obj[name] = wrapped;
    restore.push(() => {
      obj[name] = original;
    });
  };
  for (const n of SYNC) wrap(fs as unknown as Record<string, unknown>, n, `fs.${n}`);
  for (const n of PROMISES) wrap(fs.promises as unknown as Record<string, unknown>, n, `fs.promises.${n}`);
  syncBuiltinESMExports();
  function stop(): void {
    if (stopped) return;
    stopped = true;
    for (const r of restore.reverse()) r();
    syncBuiltinESMExports();
  }
  return watch;
}
