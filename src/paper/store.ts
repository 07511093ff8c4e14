/**
 * The state file through lowdb. Every write replaces the whole file atomically: the JSON goes
 * to a temp file beside it, which is fsynced and renamed over the old one, and the directory is
 * fsynced so the rename itself survives a power cut (lowdb's default adapter renames without
 * fsync, enough for a killed process but not for a lost machine). A reader therefore sees the
 * previous state or the new one, never a mix.
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LowSync, type SyncAdapter } from 'lowdb';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../data/atomic.ts';
import { paperStateSchema, tickSequenceProblem, type PaperStateJson } from './state.ts';

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse to fsync a directory; the rename has happened either way.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Parses and checks a state file's text; errors name the file and the field. */
export function parsePaperState(path: string, text: string): PaperStateJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message}); this is not a dtao paper state file (move it away, or start over with --reset)`);
  }
  if (raw && typeof raw === 'object' && (raw as { format?: unknown }).format !== 'dtao-paper/1') {
    throw new UserError(`${path}: not a dtao paper state file (format is ${JSON.stringify((raw as { format?: unknown }).format)}, expected "dtao-paper/1"); choose another --state`);
  }
  const parsed = paperStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
    throw new UserError(`${path}: damaged paper state (${issues.join('; ')}); move it away, or start over with --reset`);
  }
  // The checked object as read, not zod's copy: fields a newer version added are kept.
  const state = raw as PaperStateJson;
  const problem = tickSequenceProblem(state.ticks);
  if (problem) throw new UserError(`${path}: damaged paper state (${problem}); move it away, or start over with --reset`);
  return state;
}

/** lowdb adapter: JSON text, atomic and durable replacement on write. */
export class DurableStateFile implements SyncAdapter<PaperStateJson | null> {
  constructor(readonly path: string) {}

  read(): PaperStateJson | null {
    if (!existsSync(this.path)) return null;
    return parsePaperState(this.path, readFileSync(this.path, 'utf8'));
  }

  write(data: PaperStateJson | null): void {
    if (data === null) return;
    const text = `${JSON.stringify(data, null, 1)}\n`;
    writeFileAtomic(this.path, (w) => w(text));
    fsyncDir(dirname(this.path));
  }
}

export type StateStore = LowSync<PaperStateJson | null>;

/** Opens (and reads) the state at `path`; `data` is null when there is none yet. */
export function openStateStore(path: string): StateStore {
  const db = new LowSync<PaperStateJson | null>(new DurableStateFile(path), null);
  db.read();
  return db;
}

/** Reads a state file without opening it for writing (status, reports). */
export function readPaperState(path: string): PaperStateJson {
  if (!existsSync(path)) throw new UserError(`paper state not found: ${path} (start one with \`dtao paper --state ${path} ...\`)`);
  return parsePaperState(path, readFileSync(path, 'utf8'));
}

/**
 * Removes temp files a killed writer left beside the state (`.<name>.<pid>.<ms>.tmp`). Only
 * called by the process that holds the state's lock, so no live writer owns them.
 */
export function removeStaleTempFiles(path: string): number {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.tmp') && /^\d+\.\d+$/.test(name.slice(prefix.length, -4))) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
