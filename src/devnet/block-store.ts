/**
 * The devnet's chain: a genesis block and the blocks produced since, each with a real
 * Substrate header (hash = blake2-256 of its SCALE encoding, as every client computes it).
 * Like a non-archive node it keeps the state of only the last `stateWindow` blocks and the
 * headers of the last `headerWindow`; older ones are pruned.
 */
import { TypeRegistry } from '@polkadot/types';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a } from '@polkadot/util-crypto';
import type { Snapshot, SubnetState } from '../core/snapshot.ts';
import { formatSnapshotLine } from '../data/writer.ts';
import type { BlockState } from './block-state.ts';
import type { PackedSnapshot } from './packed-snapshot.ts';
import { packSnapshot, unpackSnapshot } from './packed-snapshot.ts';

export interface HeaderJson {
  parentHash: string;
  number: string;
  stateRoot: string;
  extrinsicsRoot: string;
  digest: { logs: string[] };
}

export interface BlockRecord {
  number: number;
  hash: string;
  header: HeaderJson;
  timeMs: number;
  totalIssuance: bigint;
  /** Absent for the genesis block and once the state is pruned. */
  packed?: PackedSnapshot;
}

export interface BlockStoreOptions {
  /** Distinguishes one devnet chain from another (its genesis hash depends on it). */
  genesisLabel: string;
  stateWindow: number;
  headerWindow: number;
}

/** Root of an empty extrinsics trie. */
const EMPTY_TRIE_ROOT = blake2AsHex(new Uint8Array([0]), 256);
const UNPACKED_CACHE = 8;

export class BlockStore {
  readonly genesis: BlockRecord;
  private readonly registry = new TypeRegistry();
  private readonly byHashMap = new Map<string, BlockRecord>();
  private readonly byNumberMap = new Map<number, BlockRecord>();
  private readonly order: BlockRecord[] = [];
  private bestRecord: BlockRecord | undefined;
  private readonly unpacked = new Map<string, BlockState>();

  constructor(private readonly opts: BlockStoreOptions) {
    if (!(opts.stateWindow >= 1) || !(opts.headerWindow >= opts.stateWindow)) {
      throw new RangeError(`block window: need 1 <= state window (${opts.stateWindow}) <= header window (${opts.headerWindow})`);
    }
    const stateRoot = blake2AsHex(stringToU8a(`dtao-lab devnet genesis: ${opts.genesisLabel}`), 256);
    this.genesis = this.makeRecord(0, '0x' + '00'.repeat(32), stateRoot, 0, 0n);
    this.byHashMap.set(this.genesis.hash, this.genesis);
  }

  private makeRecord(number: number, parentHash: string, stateRoot: string, timeMs: number, totalIssuance: bigint): BlockRecord {
    const header: HeaderJson = {
      parentHash, number: '0x' + number.toString(16), stateRoot, extrinsicsRoot: EMPTY_TRIE_ROOT, digest: { logs: [] },
    };
    const encoded = this.registry.createType('Header', { ...header, number }).toU8a();
    return { number, hash: blake2AsHex(encoded, 256), header, timeMs, totalIssuance };
  }

  /** Adds the next block; the first one may start at any number (its parent is then unknown). */
  append(snapshot: Snapshot, timeMs: number, totalIssuance: bigint, specVersion: number): BlockRecord {
    const prev = this.bestRecord;
    if (prev && snapshot.block !== prev.number + 1) {
      throw new RangeError(`the block source went from block ${prev.number} to ${snapshot.block}; blocks must follow one another`);
    }
    if (!prev && snapshot.block < 1) throw new RangeError(`the first block must be numbered 1 or more, got ${snapshot.block}`);
    const parentHash = prev ? prev.hash : snapshot.block === 1 ? this.genesis.hash : this.anchor(snapshot.block - 1).hash;
    // Not a trie root, but a hash that commits to everything the state serves.
    const stateRoot = u8aToHex(blake2AsU8a(u8aConcat(
      stringToU8a(formatSnapshotLine(snapshot)),
      stringToU8a(`|${timeMs}|${totalIssuance}|${specVersion}`),
    ), 256));
    const record = this.makeRecord(snapshot.block, parentHash, stateRoot, timeMs, totalIssuance);
    record.packed = packSnapshot(snapshot);
    this.byHashMap.set(record.hash, record);
    this.byNumberMap.set(record.number, record);
    this.order.push(record);
    this.bestRecord = record;
    this.prune();
    return record;
  }

  /**
   * The block before the first one the source produced: a header without state, so that the
   * first block has a known parent (clients read a block's runtime version at its parent).
   */
  private anchor(number: number): BlockRecord {
    const grandparent = number === 1 ? this.genesis.hash : u8aToHex(blake2AsU8a(stringToU8a(`${this.genesis.hash}:${number - 1}`), 256));
    const stateRoot = u8aToHex(blake2AsU8a(stringToU8a(`${this.genesis.hash}:state:${number}`), 256));
    const record = this.makeRecord(number, grandparent, stateRoot, 0, 0n);
    this.byHashMap.set(record.hash, record);
    this.byNumberMap.set(record.number, record);
    this.order.push(record);
    return record;
  }

  private prune(): void {
    const n = this.order.length;
    const stale = this.order[n - 1 - this.opts.stateWindow];
    if (stale) {
      stale.packed = undefined;
      this.unpacked.delete(stale.hash);
    }
    if (n > this.opts.headerWindow) {
      const gone = this.order.shift()!;
      this.byHashMap.delete(gone.hash);
      this.byNumberMap.delete(gone.number);
    }
  }

  get best(): BlockRecord {
    if (!this.bestRecord) throw new Error('the devnet has no block yet');
    return this.bestRecord;
  }

  byHash(hash: string): BlockRecord | undefined {
    return this.byHashMap.get(hash.toLowerCase());
  }

  byNumber(n: number): BlockRecord | undefined {
    return n === 0 ? this.genesis : this.byNumberMap.get(n);
  }

  /** The market state after a block, or undefined when the block has no state (pruned, genesis). */
  stateOf(record: BlockRecord): BlockState | undefined {
    if (!record.packed) return undefined;
    const cached = this.unpacked.get(record.hash);
    if (cached) return cached;
    const snapshot = unpackSnapshot(record.packed);
    const subnets = new Map<number, SubnetState>();
    for (const sn of snapshot.subnets) subnets.set(sn.netuid, sn);
    const state: BlockState = {
      number: record.number,
      hash: record.hash,
      parentHash: record.header.parentHash,
      timeMs: record.timeMs,
      totalIssuance: record.totalIssuance,
      snapshot,
      subnets,
      blockHash: (n) => this.byNumber(n)?.hash,
    };
    this.unpacked.set(record.hash, state);
    if (this.unpacked.size > UNPACKED_CACHE) this.unpacked.delete(this.unpacked.keys().next().value!);
    return state;
  }
}
