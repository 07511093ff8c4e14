/**
 * Which blocks `dtao fetch-history` reads: `--from` and `--to` (block numbers, or times mapped
 * to blocks through the chain's timestamps) checked against each other and against the
 * finalized head, and the sampling grid from, from + every, ... <= to.
 */
import type { BlockRef } from '../chain/client.ts';
import type { BlockTime } from '../chain/snapshot-reader.ts';
import { chainTimeText } from '../chain/snapshot-reader.ts';
import { UserError } from '../core/errors.ts';
import type { KnownBlock } from './block-dates.ts';
import { bracketTime } from './block-dates.ts';

/** `--from`: a block, or the first block at or after a time. */
export type FromBound = { block: number } | { atOrAfterMs: number; text: string };
/** `--to`: a block, the last block before a time (an exclusive end), or the finalized head. */
export type ToBound = { block: number } | { beforeMs: number; text: string } | 'head';

export interface BlockTimeSource {
  readBlockTime(at: BlockRef): Promise<BlockTime>;
}

/** Turns a failed chain read of `block` into the error to throw (the caller knows the endpoint and the file). */
export type ReadFailure = (err: unknown, block: number | 'finalized', doing: string) => Error;

export interface ResolvedRange {
  from: number;
  to: number;
  head: KnownBlock;
  /** Timestamps read to map times to blocks (the head's read included). */
  timeReads: number;
}

/** Text of a bound for messages: the flag's own words. */
export function boundText(b: FromBound | ToBound): string {
  if (b === 'head') return 'head';
  return 'block' in b ? String(b.block) : b.text;
}

function at(k: KnownBlock): string {
  return `block ${k.number} at ${chainTimeText(k.timeMs)}`;
}

/** Resolves `--from` and `--to` to block numbers with 1 <= from <= to <= the finalized head. */
export async function resolveRange(src: BlockTimeSource, from: FromBound, to: ToBound, fail: ReadFailure): Promise<ResolvedRange> {
  let reads = 0;
  const headRead = await src.readBlockTime('finalized').catch((err: unknown) => {
    throw fail(err, 'finalized', 'reading the finalized head');
  });
  reads++;
  const head: KnownBlock = { number: headRead.blockNumber, timeMs: headRead.timeMs };
  const timeOf = (flag: string, text: string) => async (n: number): Promise<number> => {
    try {
      return (await src.readBlockTime(n)).timeMs;
    } catch (err) {
      throw fail(err, n, `looking for the block of ${flag} ${text}`);
    }
  };
  let fromBlock: number;
  if ('block' in from) {
    fromBlock = from.block;
    if (!Number.isSafeInteger(fromBlock) || fromBlock < 1) {
      throw new UserError(`--from ${fromBlock}: block 0 is the genesis block, which holds no market state; start at block 1 or later`);
    }
    if (fromBlock > head.number) throw new UserError(`--from ${fromBlock} is after the finalized head (${at(head)}); give an earlier block`);
  } else {
    const b = await bracketTime(timeOf('--from', from.text), from.atOrAfterMs, head);
    reads += b.reads;
    if (!b.after) throw new UserError(`--from ${from.text} is after the finalized head (${at(head)}); give an earlier time`);
    if (b.before === 0 && b.after.timeMs > from.atOrAfterMs) {
      throw new UserError(`--from ${from.text} is before the chain's first block (${at(b.after)}); give a later time`);
    }
    fromBlock = b.after.number;
  }

  let toBlock: number;
  if (to === 'head') {
    toBlock = head.number;
  } else if ('block' in to) {
    toBlock = to.block;
    if (!Number.isSafeInteger(toBlock) || toBlock < 1) throw new UserError(`--to ${toBlock}: give a block of 1 or more`);
    if (toBlock > head.number) {
      throw new UserError(`--to ${toBlock} is after the finalized head (${at(head)}); give an earlier block, or leave --to out to fetch up to the head`);
    }
  } else {
    const b = await bracketTime(timeOf('--to', to.text), to.beforeMs, head);
    reads += b.reads;
    if (!b.after) {
      throw new UserError(
        `--to ${to.text} is after the finalized head (${at(head)}): the chain has not got there yet; give an earlier time, or leave --to out to fetch up to the head`,
      );
    }
    // before = 0: even block 1 (then b.after) is not earlier than the time
    if (b.before === 0) throw new UserError(`--to ${to.text} is before the chain's first block (${at(b.after)}); give a later time`);
    toBlock = b.before;
  }

  if (fromBlock > toBlock) {
    throw new UserError(
      `--from ${boundText(from)} (block ${fromBlock}) is after --to ${boundText(to)} (block ${toBlock}): nothing to fetch; give the earlier one as --from`,
    );
  }
  return { from: fromBlock, to: toBlock, head, timeReads: reads };
}

/** The sampled blocks from, from + every, ... <= to: `to` itself only when it falls on that grid. */
export interface Grid {
  from: number;
  every: number;
  to: number;
}

/** How many sampled blocks lie in from..to. */
export function gridCount(g: Grid): number {
  return g.to < g.from ? 0 : Math.floor((g.to - g.from) / g.every) + 1;
}

/** The first sampled block after `lastBlock` (the grid's first block when nothing is written yet). */
export function nextOnGrid(g: Grid, lastBlock: number | undefined): number {
  if (lastBlock === undefined || lastBlock < g.from) return g.from;
  return g.from + (Math.floor((lastBlock - g.from) / g.every) + 1) * g.every;
}
