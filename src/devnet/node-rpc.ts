/**
 * The devnet's JSON-RPC methods (the request/response ones; subscriptions live in the server):
 * what a Substrate node answers for chain, state, system and rpc calls, from the block store
 * and the runtime schedule. Answers have the node's JSON shapes, so the unmodified
 * @polkadot/api client works against them.
 */
import { hexToU8a, isHex, u8aToHex } from '@polkadot/util';
import type { BlockRecord, BlockStore, HeaderJson } from './block-store.ts';
import type { BlockState } from './block-state.ts';
import { CLIENT_ERROR, INVALID_COUNT, METHOD_NOT_FOUND, RpcError, invalidParams } from './rpc-error.ts';
import type { RuntimeSchedule } from './runtime-schedule.ts';
import type { RuntimeVersionJson } from './runtime/runtime.ts';

export interface ChainInfo {
  chainName: string;
  nodeName: string;
  nodeVersion: string;
}

export const MAX_KEYS_PAGE = 1000;
const INVALID_TRANSACTION = 1010;

/** The subscription methods the server handles itself; listed here so rpc_methods reports them. */
export const SUBSCRIPTION_METHODS = [
  'chain_subscribeNewHead', 'chain_subscribeNewHeads', 'chain_unsubscribeNewHead', 'chain_unsubscribeNewHeads',
  'subscribe_newHead', 'unsubscribe_newHead',
  'chain_subscribeFinalizedHeads', 'chain_unsubscribeFinalizedHeads', 'chain_subscribeFinalisedHeads', 'chain_unsubscribeFinalisedHeads',
  'chain_subscribeAllHeads', 'chain_unsubscribeAllHeads',
  'state_subscribeRuntimeVersion', 'state_unsubscribeRuntimeVersion', 'chain_subscribeRuntimeVersion', 'chain_unsubscribeRuntimeVersion',
  'state_subscribeStorage', 'state_unsubscribeStorage',
];

/** Runtime calls that need only the code, not the block's market state. */
const CODE_ONLY_CALLS = new Set(['Core_version', 'Metadata_metadata', 'Metadata_metadata_at_version', 'Metadata_metadata_versions']);

type Handler = (params: unknown[]) => unknown;

function optionalHash(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !isHex(v) || v.length !== 66) throw invalidParams(`${what} must be a 32-byte hex block hash`);
  return v.toLowerCase();
}

function hexParam(v: unknown, what: string): string {
  if (typeof v !== 'string' || !isHex(v)) throw invalidParams(`${what} must be hex`);
  return v.toLowerCase();
}

export class NodeRpc {
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly store: BlockStore,
    private readonly schedule: RuntimeSchedule,
    private readonly info: ChainInfo,
  ) {
    const h = (names: string[], fn: Handler) => names.forEach((n) => this.handlers.set(n, fn));
    h(['rpc_methods'], () => ({ version: 1, methods: this.methods() }));

    h(['system_chain'], () => this.info.chainName);
    h(['system_name'], () => this.info.nodeName);
    h(['system_version'], () => this.info.nodeVersion);
    h(['system_chainType'], () => 'Development');
    h(['system_properties'], () => ({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' }));
    h(['system_health'], () => ({ peers: 0, isSyncing: false, shouldHavePeers: false }));
    h(['system_peers'], () => []);
    h(['system_nodeRoles'], () => ['Full']);
    h(['system_localPeerId'], () => '12D3KooWDtaoLabDevnetLocalNode');
    h(['system_syncState'], () => ({ startingBlock: this.store.best.number, currentBlock: this.store.best.number, highestBlock: this.store.best.number }));
    h(['system_accountNextIndex'], () => 0);

    h(['chain_getBlockHash', 'chain_getHead'], ([n]) => this.blockHash(n));
    h(['chain_getHeader'], ([hash]) => this.findRecord(optionalHash(hash, 'hash'))?.header ?? null);
    h(['chain_getBlock'], ([hash]) => {
      const r = this.findRecord(optionalHash(hash, 'hash'));
      return r ? { block: { header: r.header, extrinsics: [] }, justifications: null } : null;
    });
    h(['chain_getFinalizedHead', 'chain_getFinalisedHead'], () => this.store.best.hash);

    h(['state_getRuntimeVersion', 'chain_getRuntimeVersion'], ([at]) => this.runtimeVersionAt(this.codeRecord(optionalHash(at, 'at'))));
    h(['state_getMetadata'], ([at]) => this.schedule.codeAt(this.codeRecord(optionalHash(at, 'at')).number).metadataHex);
    h(['state_call', 'state_callAt'], ([method, data, at]) => this.call(method, data, optionalHash(at, 'at')));
    h(['state_getStorage', 'state_getStorageAt'], ([key, at]) => {
      const { record, state } = this.stateAt(optionalHash(at, 'at'));
      return this.schedule.executing(record.number).storage.get(hexParam(key, 'key'), state);
    });
    h(['state_queryStorageAt'], ([keys, at]) => {
      if (!Array.isArray(keys)) throw invalidParams('keys must be a list of hex storage keys');
      const { record, state } = this.stateAt(optionalHash(at, 'at'));
      const storage = this.schedule.executing(record.number).storage;
      return [{ block: record.hash, changes: keys.map((k, i) => [k, storage.get(hexParam(k, `keys[${i}]`), state)]) }];
    });
    h(['state_getKeysPaged', 'state_getKeysPagedAt'], ([prefix, count, startKey, at]) => {
      const n = Number(count);
      if (!Number.isInteger(n) || n < 0) throw invalidParams('count must be a non-negative integer');
      if (n > MAX_KEYS_PAGE) throw new RpcError(INVALID_COUNT, `count exceeds maximum value. value: ${n}, max: ${MAX_KEYS_PAGE}`);
      const { record, state } = this.stateAt(optionalHash(at, 'at'));
      const start = startKey === undefined || startKey === null ? undefined : hexParam(startKey, 'startKey');
      return this.schedule.executing(record.number).storage.keysPaged(hexParam(prefix ?? '0x', 'prefix'), n, start, state);
    });

    h(['author_submitExtrinsic', 'author_submitAndWatchExtrinsic'], () => {
      throw new RpcError(INVALID_TRANSACTION, 'Invalid Transaction', 'the dtao-lab devnet is read-only: it serves a simulated market and accepts no extrinsics');
    });
    h(['author_pendingExtrinsics'], () => []);
  }

  methods(): string[] {
    return [...this.handlers.keys(), ...SUBSCRIPTION_METHODS].sort();
  }

  handle(method: string, params: unknown[]): unknown {
    const fn = this.handlers.get(method);
    if (!fn) throw new RpcError(METHOD_NOT_FOUND, 'Method not found');
    return fn(params);
  }

  // ---- helpers shared with the subscriptions ----

  headerOf(record: BlockRecord): HeaderJson {
    return record.header;
  }

  runtimeVersionAt(record: BlockRecord): RuntimeVersionJson {
    return this.schedule.codeAt(record.number).version;
  }

  storageValues(keys: string[], record: BlockRecord): Array<[string, string | null]> {
    const state = this.store.stateOf(record);
    if (!state) return keys.map((k) => [k, null]);
    const storage = this.schedule.executing(record.number).storage;
    return keys.map((k) => [k, storage.get(k, state)]);
  }

  // ---- internals ----

  private findRecord(hash: string | undefined): BlockRecord | undefined {
    return hash === undefined ? this.store.best : this.store.byHash(hash);
  }

  private knownRecord(hash: string | undefined): BlockRecord {
    const r = this.findRecord(hash);
    if (!r) throw new RpcError(CLIENT_ERROR, `Client error: UnknownBlock: Header was not found in the database: ${hash}`);
    return r;
  }

  private pruned(record: BlockRecord): RpcError {
    return new RpcError(CLIENT_ERROR, `Client error: UnknownBlock: State already discarded for ${record.hash}`);
  }

  /**
   * A block whose runtime code is asked for. The devnet knows the code of every block from the
   * runtime schedule, so it answers even where the state is pruned (a real pruned node would
   * not); reads of the state itself still fail there.
   */
  private codeRecord(hash: string | undefined): BlockRecord {
    return this.knownRecord(hash);
  }

  private stateAt(hash: string | undefined): { record: BlockRecord; state: BlockState } {
    const record = this.knownRecord(hash);
    const state = this.store.stateOf(record);
    if (!state) throw this.pruned(record);
    return { record, state };
  }

  private blockHash(n: unknown): unknown {
    if (Array.isArray(n)) return n.map((x) => this.blockHash(x));
    if (n === undefined || n === null) return this.store.best.hash;
    const num = typeof n === 'string' && isHex(n) ? Number(BigInt(n)) : Number(n);
    if (!Number.isSafeInteger(num) || num < 0) throw invalidParams('block number must be a non-negative integer');
    return this.store.byNumber(num)?.hash ?? null;
  }

  private call(method: unknown, data: unknown, at: string | undefined): string {
    if (typeof method !== 'string') throw invalidParams('method must be a runtime API function name');
    const bytes = hexToU8a(hexParam(data ?? '0x', 'data'));
    const record = CODE_ONLY_CALLS.has(method) ? this.codeRecord(at) : this.knownRecord(at);
    const runtime = this.schedule.codeAt(record.number);
    return u8aToHex(runtime.call(method, bytes, () => {
      const state = this.store.stateOf(record);
      if (!state) throw this.pruned(record);
      return state;
    }));
  }
}
