/** The logger of the long-running commands: JSON lines to a file, readable lines to a terminal. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { captureLibraryConsole, createLogger, parseLogLevel } from '../../src/cli/logger.ts';
import { UserError } from '../../src/core/errors.ts';

describe('createLogger', () => {
  it('writes JSON lines to the file and readable lines to the terminal stream', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtao-log-'));
    try {
      const terminal = new PassThrough();
      let shown = '';
      terminal.on('data', (d: Buffer) => {
        shown += d.toString();
      });
      const { logger, close } = createLogger({ name: 'record', file: join(dir, 'sub', 'x.log'), terminal, level: 'info' });
      logger.info({ block: 42 }, 'snapshot appended');
      logger.debug({ block: 43 }, 'not shown at info');
      close();
      const lines = readFileSync(join(dir, 'sub', 'x.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatchObject({ level: 30, name: 'record', block: 42, msg: 'snapshot appended' });
      expect(shown).toMatch(/INFO \(record\): snapshot appended\n\s+block: 42/);
      expect(shown).not.toContain('{"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('routes @polkadot/api console lines into the logger and leaves other console output alone', () => {
    const terminal = new PassThrough();
    let shown = '';
    terminal.on('data', (d: Buffer) => {
      shown += d.toString();
    });
    const { logger } = createLogger({ name: 'record', terminal, level: 'debug' });
    const seen: unknown[][] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => seen.push(a);
    const restore = captureLibraryConsole(logger);
    try {
      console.error('2026-11-26 13:51:33', '          API-WS:', 'disconnected from ws://127.0.0.1:1: 1006:: Abnormal Closure');
      console.error('plain message');
    } finally {
      restore();
      console.error = original;
    }
    expect(shown).toMatch(/DEBUG \(record\): disconnected from ws:\/\/127\.0\.0\.1:1: 1006:: Abnormal Closure\n\s+source: "API-WS"/);
    expect(seen).toEqual([['plain message']]);
  });

  it('refuses an unknown level with a user error', () => {
    expect(parseLogLevel('warn')).toBe('warn');
    expect(() => parseLogLevel('loud')).toThrow(UserError);
  });
});
