/**
 * Every subcommand, one module each. A module exports `register(program)` that adds its
 * command to the program. Add a new command by adding one line here.
 */
import type { Command } from 'commander';
import { register as backtest } from './backtest.ts';
import { register as convert } from './convert.ts';
import { register as compare } from './compare.ts';
import { register as devnet } from './devnet.ts';
import { register as fetchHistory } from './fetch-history.ts';
import { register as importCommand } from './import.ts';
import { register as inspect } from './inspect.ts';
import { register as lookaheadCheck } from './lookahead-check.ts';
import { register as paper } from './paper.ts';
import { register as quote } from './quote.ts';
import { register as record } from './record.ts';
import { register as status } from './status.ts';
import { register as strategies } from './strategies.ts';
import { register as sweep } from './sweep.ts';
import { register as synth } from './synth.ts';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  backtest,
  convert,
  compare,
  devnet,
  fetchHistory,
  importCommand,
  inspect,
  lookaheadCheck,
  paper,
  quote,
  record,
  status,
  strategies,
  sweep,
  synth,
];
