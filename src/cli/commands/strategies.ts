/** `dtao strategies`: the built-in strategies and their parameters. */
import type { Command } from 'commander';
import { builtinNames, loadStrategy } from '../../strategy/loader.ts';

export function register(program: Command): void {
  program
    .command('strategies')
    .description('list the built-in strategies with their parameters and defaults')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = [];
      for (const name of builtinNames()) list.push((await loadStrategy(name)).strategy);
      if (opts.json) {
        process.stdout.write(JSON.stringify(list.map((s) => ({ name: s.name, description: s.description, params: s.params })), null, 2) + '\n');
        return;
      }
      const out: string[] = [];
      for (const s of list) {
        out.push(`${s.name}\n  ${s.description}`);
        for (const [k, p] of Object.entries(s.params)) {
          const range = 'min' in p || 'max' in p ? ` [${'min' in p && p.min !== undefined ? p.min : ''}..${'max' in p && p.max !== undefined ? p.max : ''}]` : '';
          out.push(`    ${k.padEnd(18)} ${String(p.default).padEnd(8)} ${p.type}${range}: ${p.description}`);
        }
        out.push('');
      }
      out.push('Use a built-in by name (--strategy top-emission) or your own file by path (--strategy ./my-strategy.ts);');
      out.push('set parameters with --param key=value. A strategy file default-exports { name, description, params, decide }.');
      process.stdout.write(out.join('\n') + '\n');
    });
}
