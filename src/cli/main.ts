/**
 * The `dtao` command line: parses arguments, hands them to one command module each, and
 * turns errors into one clear line and an exit code. No logic of its own lives here.
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../core/errors.ts';
import { commands } from './commands/index.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('dtao')
    .description('Backtest and paper-trade Bittensor dTAO staking strategies (root vs subnet alpha).')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    writeOut: (s) => process.stdout.write(s),
  });
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander already printed the message (or the help/version text).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UserError) {
    process.stderr.write(`dtao: error: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && e.code === 'EPIPE') return 0;
  // An unexpected error is a bug in dtao-lab, not a user mistake: show everything.
  process.stderr.write(`dtao: internal error: ${e?.stack ?? String(err)}\n`);
  return 70;
}
