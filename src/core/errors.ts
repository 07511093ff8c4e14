/**
 * An error the user can fix: bad input, a bad flag, a missing file. The CLI prints its
 * message alone (no stack trace) and exits non-zero. Messages say what is wrong, where
 * (file, line, field) and how to fix it.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Location-tagged input error: `file:line: field: message`. */
export function inputError(file: string, line: number | undefined, field: string | undefined, message: string): UserError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new UserError(field ? `${where}: ${field}: ${message}` : `${where}: ${message}`);
}
