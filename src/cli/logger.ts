/**
 * The logger of long-running commands (record, devnet, the paper loop): JSON lines to a log
 * file for machines, readable lines on the terminal (stderr) for people. Both are written
 * synchronously, so a line logged before a crash is on disk.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import type { Level, Logger, StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import { UserError } from '../core/errors.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export const LOG_LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export interface LoggerOptions {
  /** Name shown on every line (the command). */
  name: string;
  /** Minimum level (default info). */
  level?: LogLevel;
  /** Append JSON lines to this file. */
  file?: string;
  /** Readable lines on stderr (default true); false for none, or a stream to write them to. */
  terminal?: boolean | NodeJS.WritableStream;
}

export interface AppLogger {
  logger: Logger;
  /** Flushes and closes the log file. */
  close(): void;
}

export function createLogger(opts: LoggerOptions): AppLogger {
  const wanted = opts.level ?? 'info';
  const level: Level = wanted === 'silent' ? 'fatal' : wanted;
  const streams: StreamEntry[] = [];
  let file: ReturnType<typeof pino.destination> | undefined;
  if (opts.file) {
    mkdirSync(dirname(opts.file), { recursive: true });
    file = pino.destination({ dest: opts.file, append: true, sync: true });
    streams.push({ level, stream: file });
  }
  if (opts.terminal !== false && wanted !== 'silent') {
    const destination = opts.terminal === undefined || opts.terminal === true ? process.stderr : opts.terminal;
    const colorize = destination === process.stderr && process.stderr.isTTY === true;
    streams.push({
      level,
      stream: pretty({ destination, colorize, sync: true, ignore: 'pid,hostname', translateTime: 'SYS:yyyy-mm-dd HH:MM:ss' }),
    });
  }
  const logger = streams.length && wanted !== 'silent'
    ? pino({ name: opts.name, level }, pino.multistream(streams))
    : pino({ name: opts.name, level: 'silent' });
  return {
    logger,
    close() {
      if (file) {
        file.flushSync();
        file.end();
      }
    },
  };
}

export function parseLogLevel(text: string, flag = '--log-level'): LogLevel {
  if ((LOG_LEVELS as string[]).includes(text)) return text as LogLevel;
  throw new UserError(`${flag}: unknown level "${text}" (choose ${LOG_LEVELS.join(', ')})`);
}

/** Date + padded "TYPE:" prefix of @polkadot/util's console logger, e.g. "2026-01-01 00:00:00  API-WS:". */
const POLKADOT_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const POLKADOT_TYPE = /^\s*[A-Z][A-Z0-9/_-]*:$/;

/**
 * @polkadot/api writes its own warnings (a dropped socket, a failed RPC) straight to the
 * console. While a long-running command runs, those lines go to our logger at debug level
 * instead, so the terminal shows one readable stream; everything else passes through.
 * Returns the function that restores the console.
 */
export function captureLibraryConsole(logger: Logger): () => void {
  const original = { warn: console.warn, error: console.error, log: console.log };
  const route = (fallback: (...a: unknown[]) => void) => (...args: unknown[]) => {
    if (typeof args[0] === 'string' && POLKADOT_DATE.test(args[0]) && typeof args[1] === 'string' && POLKADOT_TYPE.test(args[1])) {
      logger.debug({ source: args[1].trim().slice(0, -1) }, args.slice(2).map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
      return;
    }
    fallback(...args);
  };
  console.warn = route(original.warn);
  console.error = route(original.error);
  console.log = route(original.log);
  return () => {
    console.warn = original.warn;
    console.error = original.error;
    console.log = original.log;
  };
}
