/**
 * A lock file holding the owner's pid, created with O_EXCL so that of two processes starting
 * together exactly one gets it. A lock whose process no longer exists (killed, crashed) is
 * taken over. Used by every writer of a growing file and by the paper loop's state.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { UserError } from '../core/errors.ts';

export interface PidLock {
  readonly path: string;
  /** Pid of a dead owner whose lock was taken over, if any. */
  readonly tookOverFrom: number | undefined;
  /** Removes the lock file if it is still ours. */
  release(): void;
}

export interface PidLockMessages {
  /** Why the lock cannot be had: another live process (`pid`) holds it. */
  held(pid: number): string;
  /** The lock file keeps reappearing (a race that three attempts did not settle). */
  stuck(): string;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquirePidLock(path: string, messages: PidLockMessages): PidLock {
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
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) throw new UserError(messages.held(pid));
    tookOverFrom = Number.isInteger(pid) && pid > 0 ? pid : undefined;
    rmSync(path, { force: true });
  }
  throw new UserError(messages.stuck());
}
