/**
 * One paper process per state file: `<state>.lock` holds the owner's pid. It is created with
 * O_EXCL, so of two processes starting together exactly one gets it; a lock whose process no
 * longer exists (killed, crashed) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { UserError } from '../core/errors.ts';

export interface StateLock {
  readonly path: string;
  /** Pid of a dead owner whose lock was taken over, if any. */
  readonly tookOverFrom: number | undefined;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockPathFor(statePath: string): string {
  return `${statePath}.lock`;
}

export function acquireStateLock(statePath: string): StateLock {
  const path = lockPathFor(statePath);
  let tookOverFrom: number | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      let released = false;
      return {
        path,
        tookOverFrom,
        release() {
          if (released) return;
          released = true;
          // Only remove a lock that is still ours.
          try {
            if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) rmSync(path, { force: true });
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let pid = Number.NaN;
    try {
      pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      const who = pid === process.pid ? 'this process' : `process ${pid}`;
      throw new UserError(`${statePath} is in use by another paper process (${who}, lock file ${path}); stop it first, or give another --state`);
    }
    tookOverFrom = Number.isInteger(pid) && pid > 0 ? pid : undefined;
    rmSync(path, { force: true });
  }
  throw new UserError(`cannot take the lock ${path}; if no paper process is running on ${statePath}, remove the lock file`);
}
