/** `dtao quote`: what a stake or unstake of a given size returns at one snapshot, through the pool model. */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { DEFAULT_RUN_CONFIG, loadRunConfig } from '../../config/run-config.ts';
import { quoteSwap } from '../../engine/quote.ts';
import { amountFlag, intFlag, loadData } from '../common.ts';
import { renderTable } from '../../report/table.ts';

interface Options {
  data?: string;
  netuid: string;
  tao?: string;
  alpha?: string;
  block?: string;
  json?: boolean;
  config?: string;
}

export function register(program: Command): void {
  program
    .command('quote')
    .description('what staking --tao or unstaking --alpha on a subnet would return at a snapshot: output, fee, spot and execution price, slippage')
    .option('-d, --data <file>', 'dtao-snapshots/1 data (.jsonl or .csv)')
    .requiredOption('-n, --netuid <N>', 'subnet (0 = root, 1:1)')
    .option('--tao <amount>', 'TAO to stake (TAO -> alpha)')
    .option('--alpha <amount>', 'alpha to unstake (alpha -> TAO)')
    .option('-b, --block <B>', 'use the last snapshot at or before block B (default: the last snapshot)')
    .option('-c, --config <file>', 'run configuration (pool curve, default fee rate)')
    .option('--json', 'print one JSON object')
    .action((opts: Options) => {
      process.exitCode = quote(opts);
    });
}

function quote(opts: Options): number {
  if ((opts.tao === undefined) === (opts.alpha === undefined)) throw new UserError('give exactly one of --tao (stake) or --alpha (unstake)');
  const cfg = opts.config ? loadRunConfig(opts.config) : DEFAULT_RUN_CONFIG;
  const netuid = intFlag('--netuid', opts.netuid);
  const { dataset } = loadData(opts.data ?? cfg.data);
  let index = dataset.snapshotCount - 1;
  if (opts.block !== undefined) {
    const b = intFlag('--block', opts.block);
    index = dataset.indexAtOrBefore(b);
    if (index < 0) throw new UserError(`--block ${b} is before the first snapshot (block ${dataset.cols.block[0]})`);
  }
  const q = quoteSwap(dataset, index, netuid, opts.tao !== undefined
    ? { direction: 'stake', amount: amountFlag('--tao', opts.tao) }
    : { direction: 'unstake', amount: amountFlag('--alpha', opts.alpha!) }, cfg.model);
  if (opts.json) {
    process.stdout.write(JSON.stringify(q) + '\n');
    return 0;
  }
  const inTok = q.input_token === 'tao' ? 'TAO' : 'alpha';
  const outTok = q.output_token === 'tao' ? 'TAO' : 'alpha';
  const rows = [
    ['subnet', String(q.netuid) + (q.name ? ` (${q.name})` : '')],
    ['block', String(q.block)],
    ['input', `${q.input} ${inTok}`],
    ['output', `${q.output} ${outTok}`],
    ['fee', `${q.fee} ${inTok}`],
    ['spot price', `${q.spot_price} TAO/alpha`],
    ['execution price', `${q.execution_price} TAO/alpha`],
    ['price after', `${q.spot_price_after} TAO/alpha`],
    ['slippage (incl. fee)', `${(q.slippage * 100).toFixed(4)}%  (${q.slippage_amount} ${outTok})`],
    ['price impact (excl. fee)', `${(q.price_impact * 100).toFixed(4)}%`],
  ];
  if (q.rejected) rows.push(['REJECTED', q.rejected]);
  process.stdout.write(renderTable(['', ''], rows, ['l', 'l']).split('\n').slice(2).join('\n') + '\n');
  return q.rejected ? 1 : 0;
}
