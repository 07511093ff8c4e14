/**
 * The connection to a subtensor node through the real @polkadot/api (ApiPromise + WsProvider).
 *
 * ApiPromise connects, follows runtime upgrades and fetches the metadata of any block's
 * runtime (getBlockRegistry); the reads themselves go out as plain JSON-RPC requests on its
 * provider, so that each one has our timeout, is never served from a cache of earlier
 * failures, and is pinned to one block hash. The provider reconnects by itself after a drop;
 * a read made meanwhile fails and is retried with backoff.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { Header } from '@polkadot/types/interfaces';
import type { Metadata } from '@polkadot/types';
import { hexToU8a, isHex } from '@polkadot/util';
import { UserError } from '../core/errors.ts';
import { ChainReadError, asChainReadError, shortMessage } from './errors.ts';
import type { ChainQuote } from './quotes.ts';
import { quoteAt } from './quotes.ts';
import { RuntimeView } from './runtime-view.ts';
import type { BlockTime, ChainIo, ChainSnapshot } from './snapshot-reader.ts';
import { readBlockTimeAt, readSnapshotAt } from './snapshot-reader.ts';
import type { RetryPolicy } from './timing.ts';
import { withRetry, withTimeout } from './timing.ts';

/** The subset of a pino logger the adapter uses. */
export interface ChainLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface ChainClientOptions {
  /** ws:// or wss:// URL of a subtensor node. */
  endpoint: string;
  /** Give up connecting after this long (default 30 s). */
  connectTimeoutMs?: number;
  /** Give up connecting after this many failed attempts in a row (default 3). */
  connectAttempts?: number;
  /** Timeout of each request (default 30 s). */
  requestTimeoutMs?: number;
  /** Retries of a failed read (default: 3 attempts, 500 ms doubling to at most 8 s). */
  retry?: Partial<RetryPolicy>;
  /** Wait between reconnection attempts after a drop (default 2.5 s). */
  reconnectDelayMs?: number;
  log?: ChainLog;
}

/** Where to read: the best or finalized head, a block number or a block hash. */
export type BlockRef = 'best' | 'finalized' | number | string;

export interface HeadInfo {
  number: number;
  hash: string;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 8000 };
// The provider's response cache would also keep a failed answer for its whole lifetime;
// a 1 ms lifetime turns it off, so a retry really asks the node again.
const PROVIDER_CACHE_TTL_MS = 1;

const silent: ChainLog = { info: () => {}, warn: () => {}, debug: () => {} };

export function checkEndpoint(endpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:') || !url.hostname) {
    throw new UserError(
      `endpoint "${endpoint}" is not a WebSocket URL; give ws://host:port or wss://host:port ` +
        '(e.g. wss://entrypoint-finney.opentensor.ai:443, or ws://127.0.0.1:9944 for a local devnet)',
    );
  }
  return endpoint;
}

export class ChainClient {
  // Keyed by the metadata object: ApiPromise updates its default registry in place when the
  // runtime is upgraded, but every metadata object stays what it was.
  private readonly views = new WeakMap<Metadata, RuntimeView>();
  private readonly policy: RetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly log: ChainLog;
  private readonly io: ChainIo;
  private readonly offs: Array<() => void> = [];

  constructor(readonly api: ApiPromise, private readonly provider: WsProvider, readonly endpoint: string, opts: ChainClientOptions) {
    this.policy = { ...DEFAULT_RETRY, ...opts.retry };
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.log = opts.log ?? silent;
    this.io = { send: (m, p) => this.send(m, p), view: (h) => this.viewAt(h) };
  }

  get chainName(): string {
    return this.api.runtimeChain.toString();
  }

  get specName(): string {
    return this.api.runtimeVersion.specName.toString();
  }

  /** Spec version of the node's current runtime. */
  get specVersion(): number {
    return this.api.runtimeVersion.specVersion.toNumber();
  }

  get genesisHash(): string {
    return this.api.genesisHash.toHex();
  }

  get isConnected(): boolean {
    return this.provider.isConnected;
  }

  /** One raw JSON-RPC request with a timeout; any failure becomes a ChainReadError. */
  private async send(method: string, params: unknown[]): Promise<unknown> {
    try {
      return await withTimeout(this.provider.send(method, params, false), this.requestTimeoutMs, method);
    } catch (err) {
      throw asChainReadError(err, method);
    }
  }

  private async viewAt(hash: string): Promise<RuntimeView> {
    let block;
    try {
      block = await withTimeout(this.api.getBlockRegistry(hexToU8a(hash)), this.requestTimeoutMs, 'runtime metadata');
    } catch (err) {
      throw asChainReadError(err, `runtime at ${hash}`);
    }
    let view = this.views.get(block.metadata);
    if (!view) {
      view = new RuntimeView(block.registry, block.metadata, block.runtimeVersion.specName.toString(), block.runtimeVersion.specVersion.toNumber());
      this.views.set(block.metadata, view);
    }
    return view;
  }

  private retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(this.policy, fn, (err, n, delay) => {
      this.log.warn({ err: err.message, attempt: n, retryInMs: delay }, `${what} failed; retrying`);
    });
  }

  /** The hash of a block reference (best/finalized head, number or hash). */
  async blockHash(at: BlockRef = 'finalized'): Promise<string> {
    if (typeof at === 'string' && at !== 'best' && at !== 'finalized') {
      if (!isHex(at) || at.length !== 66) throw new UserError(`block "${at}" is not a block number or a 32-byte 0x-prefixed hash`);
      return at.toLowerCase();
    }
    const hash = at === 'finalized'
      ? await this.send('chain_getFinalizedHead', [])
      : await this.send('chain_getBlockHash', at === 'best' ? [] : [at]);
    if (typeof hash !== 'string') throw new ChainReadError(`block ${at} is not known to ${this.endpoint}`, { retryable: false });
    return hash;
  }

  /**
   * One snapshot of every subnet at one block (default: the finalized head). Fails whole, as
   * a ChainReadError, after the retries; a block whose state the node no longer has fails at
   * once with a BlockUnavailableError.
   */
  readSnapshot(at: BlockRef = 'finalized'): Promise<ChainSnapshot> {
    return this.retrying('snapshot read', async () => readSnapshotAt(this.io, await this.blockHash(at)));
  }

  /**
   * The number and time (Timestamp.Now) of a block, from its state: one small read, for mapping
   * dates to blocks. Retried like readSnapshot; pruned state fails at once (BlockUnavailableError).
   */
  readBlockTime(at: BlockRef = 'finalized'): Promise<BlockTime> {
    return this.retrying('block time read', async () => readBlockTimeAt(this.io, await this.blockHash(at)));
  }

  /** The chain's quote for staking `taoRao` into a subnet; undefined where the runtime has no quote API. */
  quoteStake(netuid: number, taoRao: bigint, at: BlockRef = 'finalized'): Promise<ChainQuote | undefined> {
    return this.retrying('stake quote', async () => quoteAt(this.io, await this.blockHash(at), 'stake', netuid, taoRao));
  }

  /** The chain's quote for unstaking `alphaRao` from a subnet; undefined where the runtime has no quote API. */
  quoteUnstake(netuid: number, alphaRao: bigint, at: BlockRef = 'finalized'): Promise<ChainQuote | undefined> {
    return this.retrying('unstake quote', async () => quoteAt(this.io, await this.blockHash(at), 'unstake', netuid, alphaRao));
  }

  /**
   * Calls `onHead` for every new head (or every newly finalized one). The subscription
   * survives reconnects. Returns the function that ends it.
   */
  async followHeads(onHead: (head: HeadInfo) => void, opts: { finalized?: boolean } = {}): Promise<() => void> {
    const cb = (h: Header) => onHead({ number: h.number.toNumber(), hash: h.hash.toHex() });
    try {
      const sub = opts.finalized ? this.api.rpc.chain.subscribeFinalizedHeads(cb) : this.api.rpc.chain.subscribeNewHeads(cb);
      return await withTimeout(sub, this.requestTimeoutMs, 'head subscription');
    } catch (err) {
      throw asChainReadError(err, 'head subscription');
    }
  }

  /** Runs `fn` on connection events until disconnect() (used for logging). */
  onConnectionChange(fn: (connected: boolean) => void): void {
    this.offs.push(this.provider.on('disconnected', () => fn(false)), this.provider.on('connected', () => fn(true)));
  }

  async disconnect(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    await this.api.disconnect();
  }
}

/**
 * Connects to a subtensor node. A bad URL, a node that cannot be reached and a chain that is
 * not subtensor are user errors with a one-line message.
 */
export async function connectChain(opts: ChainClientOptions): Promise<ChainClient> {
  const endpoint = checkEndpoint(opts.endpoint);
  const log = opts.log ?? silent;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  const provider = new WsProvider(endpoint, opts.reconnectDelayMs ?? 2500, {}, requestTimeoutMs, undefined, PROVIDER_CACHE_TTL_MS);
  const connectTimeoutMs = opts.connectTimeoutMs ?? 30_000;
  const attempts = opts.connectAttempts ?? 3;
  let failures = 0;
  let lastError = '';
  let giveUp: (why: string) => void = () => {};
  const gaveUp = new Promise<string>((resolve) => {
    giveUp = resolve;
  });
  const offError = provider.on('error', (e: unknown) => {
    failures++;
    lastError = shortMessage(e) || 'connection error';
    if (failures === attempts) giveUp(`${attempts} connection attempts failed (${lastError})`);
  });
  const api = new ApiPromise({ provider, noInitWarn: true });
  // isReadyOrError rejects at the first connection error; the attempts above decide instead.
  api.isReadyOrError.catch(() => {});
  api.on('error', (e: unknown) => {
    lastError = shortMessage(e);
  });
  const timer = setTimeout(() => giveUp(`no answer within ${connectTimeoutMs / 1000} s${lastError ? ` (${lastError})` : ''}`), connectTimeoutMs);
  const outcome = await Promise.race([api.isReady.then(() => undefined), gaveUp]);
  clearTimeout(timer);
  if (outcome !== undefined) {
    offError();
    await api.disconnect().catch(() => {});
    throw new UserError(`cannot connect to ${endpoint}: ${outcome}; check the address and that the node is running`);
  }
  offError();
  const pallets = api.registry.metadata.pallets.map((p) => p.name.toString());
  if (!pallets.includes('SubtensorModule')) {
    const spec = api.runtimeVersion.specName.toString();
    await api.disconnect().catch(() => {});
    throw new UserError(
      `${endpoint} is not a Bittensor subtensor node (chain "${api.runtimeChain.toString()}", runtime "${spec}" has no SubtensorModule); ` +
        'use a subtensor endpoint such as wss://entrypoint-finney.opentensor.ai:443',
    );
  }
  const client = new ChainClient(api, provider, endpoint, opts);
  client.onConnectionChange((up) => (up ? log.info({ endpoint }, 'reconnected') : log.warn({ endpoint }, 'connection lost; reconnecting')));
  log.info({ endpoint, chain: client.chainName, spec: client.specVersion }, 'connected');
  return client;
}
