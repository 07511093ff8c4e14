/**
 * Mapping a time to a block by reading block timestamps (Timestamp.Now), which only ever
 * increase along a chain. The first read is where 12-second blocks would put the time; each
 * later read re-aims from the last one the same way (interpolation), so on a chain that keeps
 * its pace two or three reads settle it, all near the answer (a recent date resolves even on a
 * node that keeps only recent state). Should the pace be far off, it finishes by bisection.
 */
import { BLOCK_SECONDS } from '../core/snapshot.ts';

/** Time of a block, Unix ms. */
export type TimeOfBlock = (block: number) => Promise<number>;

export interface KnownBlock {
  number: number;
  timeMs: number;
}

/** The two blocks either side of a time: `before` is the last block earlier than it. */
export interface TimeBracket {
  /** Last block with time < target; `firstBlock - 1` when no block is that early. */
  before: number;
  /** The block after `before` and its time (>= target); undefined when `before` is the head. */
  after: KnownBlock | undefined;
  /** Timestamps read. */
  reads: number;
}

export interface BracketOptions {
  /** Lowest block that has a time (default 1: the genesis block's timestamp is unset). */
  firstBlock?: number;
  /** Expected milliseconds per block, for aiming (default 12 000). */
  blockMs?: number;
  /** Aimed reads before plain bisection takes over (default 8). */
  aimedReads?: number;
}

/**
 * Finds the last block whose time is before `targetMs`, between `firstBlock` and `head`
 * (whose time is given). Timestamps must not decrease with the block number.
 */
export async function bracketTime(timeOf: TimeOfBlock, targetMs: number, head: KnownBlock, opts: BracketOptions = {}): Promise<TimeBracket> {
  const first = opts.firstBlock ?? 1;
  const blockMs = opts.blockMs ?? BLOCK_SECONDS * 1000;
  const times = new Map<number, number>([[head.number, head.timeMs]]);
  let reads = 0;
  const time = async (n: number): Promise<number> => {
    let t = times.get(n);
    if (t === undefined) {
      t = await timeOf(n);
      reads++;
      times.set(n, t);
    }
    return t;
  };
  if (head.timeMs < targetMs) return { before: head.number, after: undefined, reads };

  // Invariants: lo is first - 1 (a sentinel before every block) or a block earlier than the
  // target; hi is a block at or after the target, with a known time. Each read lies strictly
  // between them, so the gap shrinks every time.
  let lo = first - 1;
  let hi = head.number;
  // Where the first block at or after the target should be, seen from block n at time t.
  const aim = (n: number, t: number) => (t >= targetMs ? n - Math.floor((t - targetMs) / blockMs) : n + Math.ceil((targetMs - t) / blockMs));
  let guess = aim(hi, head.timeMs);
  for (let left = opts.aimedReads ?? 8; hi - lo > 1 && left > 0; left--) {
    const n = Math.min(hi - 1, Math.max(lo + 1, guess));
    const t = await time(n);
    if (t < targetMs) lo = n;
    else hi = n;
    guess = aim(n, t);
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if ((await time(mid)) < targetMs) lo = mid;
    else hi = mid;
  }
  return { before: lo, after: { number: hi, timeMs: await time(hi) }, reads };
}
