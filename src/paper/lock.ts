/**
 * One paper process per state file: `<state>.lock` holds the owner's pid. It is created with
 * O_EXCL, so of two processes starting together exactly one gets it; a lock whose process no
 * longer exists (killed, crashed) is taken over.
 */
import { acquirePidLock, type PidLock } from '../data/pid-lock.ts';

export type StateLock = PidLock;

export function lockPathFor(statePath: string): string {
  return `${statePath}.lock`;
}

export function acquireStateLock(statePath: string): StateLock {
  const path = lockPathFor(statePath);
  return acquirePidLock(path, {
    held: (pid) => `${statePath} is in use by another paper process (${pid === process.pid ? 'this process' : `process ${pid}`}, lock file ${path}); stop it first, or give another --state`,
    stuck: () => `cannot take the lock ${path}; if no paper process is running on ${statePath}, remove the lock file`,
  });
}
