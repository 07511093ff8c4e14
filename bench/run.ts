/**
 * `npm run bench`: every benchmark of the project, one after the other, each in its own
 * process (so one's JIT and memory do not colour the next). Prints the machine first.
 * Pass names to run a subset: `npm run bench -- backtest sim`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['backtest', 'sim', 'research', 'history', 'chain', 'fetch-history', 'paper'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;

const cpu = cpus()[0];
console.log(`machine: ${cpus().length} x ${cpu?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`);
let failed = 0;
for (const name of wanted) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    if (!all.includes(name)) console.log(`\n== ${name}: no such benchmark (bench/${name}.ts)`);
    continue;
  }
  console.log(`\n== ${name} (bench/${name}.ts)`);
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', join(here, '..', 'bin', 'run-ts.mjs'), file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
