/** Turning the file-system failures a user can fix (full disk, missing folder) into one clear line. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';

/** ENOSPC (disk full), EDQUOT (quota), EFBIG (file-size limit): all mean "no room to write". */
export function isNoSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG';
}

/** A UserError for a write that ran out of room; `state` says what the file holds now. */
export function noSpaceError(path: string, err: unknown, state: string): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'EFBIG' ? 'the file-size limit was reached' : code === 'EDQUOT' ? 'the disk quota is used up' : 'no space left on the device';
  return new UserError(`cannot write ${path}: ${why} (${code}); ${state}. Free some space and run the command again.`, { cause: err });
}

/** Checks that the folder an output file goes into exists. */
export function checkOutputFolder(path: string, flag: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${flag} ${path}: the folder ${dir} does not exist; create it first or choose another path`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UserError(`${flag} ${path} is a folder; give a file name`);
  }
}
