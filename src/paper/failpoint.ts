/**
 * Crash points for testing the commit's crash safety: with DTAO_PAPER_FAILPOINT=<name>:<n> in
 * the environment, the process kills itself with SIGKILL when it reaches point <name> for the
 * n-th time (default the first), exactly as `kill -9` would at that instant. A kill from
 * outside cannot be timed to land between two writes that take microseconds; this can.
 * Without the variable (always, in normal use) a point costs one comparison.
 */
export type FailpointName = 'after-history-append' | 'after-state-write';

const spec = process.env.DTAO_PAPER_FAILPOINT;
const [wanted, nth] = spec ? [spec.split(':')[0], Number(spec.split(':')[1] ?? '1')] : [undefined, 0];
let reached = 0;

export function failpoint(name: FailpointName): void {
  if (wanted !== name) return;
  reached++;
  if (reached !== nth) return;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL cannot be caught; make sure nothing runs while it is delivered.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}
