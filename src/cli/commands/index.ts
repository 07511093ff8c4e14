/**
 * Every subcommand, one module each. A module exports `register(program)` that adds its
 * command to the program. Add a new command by adding one line here.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
