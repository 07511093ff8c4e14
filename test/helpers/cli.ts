/** Runs the real `dtao` command in a child process (as a user would). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function dtao(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'dtao.mjs'), ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, DTAO_NO_PROGRESS: '1', ...opts.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** True when stderr shows a stack trace (which a user mistake must never print). */
export function hasStack(stderr: string): boolean {
  return /\n\s+at .+:\d+:\d+/.test(stderr);
}
