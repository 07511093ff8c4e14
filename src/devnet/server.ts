/**
 * The devnet node: a WebSocket JSON-RPC server that produces one block per tick from a block
 * source (the market simulator), keeps a window of past blocks, pushes subscriptions (new
 * heads, runtime version, storage) and can inject faults. It binds 127.0.0.1 by default;
 * port 0 picks a free port (see `port` / `url` once started).
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { BlockSource } from './block-state.ts';
import type { BlockRecord } from './block-store.ts';
import { BlockStore } from './block-store.ts';
import type { FaultRule } from './faults.ts';
import { FaultInjector } from './faults.ts';
import { NodeRpc } from './node-rpc.ts';
import { RpcError, invalidParams } from './rpc-error.ts';
import type { RuntimeScheduleEntry } from './runtime-schedule.ts';
import { RuntimeSchedule } from './runtime-schedule.ts';

export interface DevnetOptions {
  source: BlockSource;
  host?: string;
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  /** Milliseconds between blocks; 0 produces blocks only through `produceBlocks()`. Default 12000. */
  blockTimeMs?: number;
  /** Blocks whose state is kept (older ones answer "State already discarded"). Default 4096. */
  stateWindow?: number;
  /** Blocks whose headers are kept. Default 16 x stateWindow. */
  headerWindow?: number;
  /** Runtime versions by block; default: the spec-424 runtime throughout. */
  runtimes?: RuntimeScheduleEntry[];
  chainName?: string;
  /** Makes the genesis hash, and so the chain's identity, depend on e.g. scenario and seed. */
  genesisLabel?: string;
  /** Faults active from the start (more can be added with `injectFault`). */
  faults?: FaultRule[];
  /** Called after each new block. */
  onBlock?: (block: { number: number; hash: string; specVersion: number }) => void;
  /** Called when the block source throws; block production stops. */
  onError?: (err: unknown) => void;
}

export interface DevnetServer {
  readonly host: string;
  readonly port: number;
  /** ws://host:port */
  readonly url: string;
  readonly bestNumber: number;
  readonly bestHash: string;
  readonly genesisHash: string;
  /** Steps the source and appends `count` blocks now (also works while the timer runs). */
  produceBlocks(count?: number): { number: number; hash: string };
  blockHash(number: number): string | undefined;
  injectFault(rule: FaultRule): () => void;
  clearFaults(): void;
  /** Closes every client connection abruptly, as a network drop would. */
  dropConnections(): void;
  /** Number of open client connections. */
  readonly connections: number;
  /** Requests received so far, by JSON-RPC method (for tests and benchmarks). */
  requestCounts(): Record<string, number>;
  close(): Promise<void>;
}

type SubscriptionKind = 'newHead' | 'finalizedHead' | 'allHead' | 'runtimeVersion' | 'storage';

interface Subscription {
  id: string;
  kind: SubscriptionKind;
  socket: WebSocket;
  keys?: string[];
  lastValues?: Map<string, string | null>;
  lastSpec?: number;
}

const SUBSCRIBE: Record<string, [SubscriptionKind, string]> = {
  chain_subscribeNewHead: ['newHead', 'chain_newHead'],
  chain_subscribeNewHeads: ['newHead', 'chain_newHead'],
  subscribe_newHead: ['newHead', 'chain_newHead'],
  chain_subscribeFinalizedHeads: ['finalizedHead', 'chain_finalizedHead'],
  chain_subscribeFinalisedHeads: ['finalizedHead', 'chain_finalizedHead'],
  chain_subscribeAllHeads: ['allHead', 'chain_allHead'],
  state_subscribeRuntimeVersion: ['runtimeVersion', 'state_runtimeVersion'],
  chain_subscribeRuntimeVersion: ['runtimeVersion', 'state_runtimeVersion'],
  state_subscribeStorage: ['storage', 'state_storage'],
};

const NOTIFICATION: Record<SubscriptionKind, string> = {
  newHead: 'chain_newHead',
  finalizedHead: 'chain_finalizedHead',
  allHead: 'chain_allHead',
  runtimeVersion: 'state_runtimeVersion',
  storage: 'state_storage',
};

const UNSUBSCRIBE = new Set([
  'chain_unsubscribeNewHead', 'chain_unsubscribeNewHeads', 'unsubscribe_newHead',
  'chain_unsubscribeFinalizedHeads', 'chain_unsubscribeFinalisedHeads', 'chain_unsubscribeAllHeads',
  'state_unsubscribeRuntimeVersion', 'chain_unsubscribeRuntimeVersion', 'state_unsubscribeStorage',
]);

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: number | string | null;
  method?: unknown;
  params?: unknown;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

class Devnet implements DevnetServer {
  readonly host: string;
  port = 0;
  private readonly store: BlockStore;
  private readonly schedule: RuntimeSchedule;
  private readonly rpc: NodeRpc;
  private readonly faults = new FaultInjector();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly sockets = new Set<WebSocket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextSubscription = 1;
  private readonly counts = new Map<string, number>();
  private ticker: NodeJS.Timeout | undefined;
  private wss: WebSocketServer | undefined;
  private closed = false;

  constructor(private readonly opts: DevnetOptions) {
    this.host = opts.host ?? '127.0.0.1';
    const stateWindow = opts.stateWindow ?? 4096;
    this.store = new BlockStore({
      genesisLabel: opts.genesisLabel ?? 'default',
      stateWindow,
      headerWindow: opts.headerWindow ?? stateWindow * 16,
    });
    this.schedule = new RuntimeSchedule(opts.runtimes);
    this.rpc = new NodeRpc(this.store, this.schedule, {
      chainName: opts.chainName ?? 'dtao-lab devnet',
      nodeName: 'dtao-lab devnet',
      nodeVersion: '0.1.0',
    });
    for (const f of opts.faults ?? []) this.faults.add(f);
    this.appendCurrent();
  }

  async listen(port: number): Promise<void> {
    const wss = new WebSocketServer({ host: this.host, port });
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    this.port = (wss.address() as AddressInfo).port;
    wss.on('connection', (socket) => this.accept(socket));
    const blockTime = this.opts.blockTimeMs ?? 12_000;
    if (blockTime > 0) this.ticker = setInterval(() => this.tick(), blockTime);
  }

  get url(): string {
    return `ws://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get bestNumber(): number {
    return this.store.best.number;
  }

  get bestHash(): string {
    return this.store.best.hash;
  }

  get genesisHash(): string {
    return this.store.genesis.hash;
  }

  get connections(): number {
    return this.sockets.size;
  }

  blockHash(number: number): string | undefined {
    return this.store.byNumber(number)?.hash;
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  injectFault(rule: FaultRule): () => void {
    return this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  dropConnections(): void {
    for (const s of this.sockets) s.terminate();
  }

  produceBlocks(count = 1): { number: number; hash: string } {
    for (let i = 0; i < count; i++) {
      this.opts.source.stepBlock();
      this.appendCurrent();
    }
    return { number: this.store.best.number, hash: this.store.best.hash };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ticker) clearInterval(this.ticker);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.terminate();
    this.sockets.clear();
    this.subscriptions.clear();
    const wss = this.wss;
    if (wss) await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  // ---- block production ----

  private tick(): void {
    try {
      this.produceBlocks(1);
    } catch (err) {
      if (this.ticker) clearInterval(this.ticker);
      this.ticker = undefined;
      this.opts.onError?.(err);
    }
  }

  private appendCurrent(): void {
    const src = this.opts.source;
    const snapshot = src.snapshot();
    const runtime = this.schedule.executing(snapshot.block);
    const record = this.store.append(snapshot, src.timeMs, src.totalIssuance, runtime.specVersion);
    if (this.wss) this.notifyNewBlock(record);
    this.opts.onBlock?.({ number: record.number, hash: record.hash, specVersion: runtime.specVersion });
  }

  private notifyNewBlock(record: BlockRecord): void {
    for (const sub of this.subscriptions.values()) {
      if (sub.kind === 'runtimeVersion') {
        const version = this.rpc.runtimeVersionAt(record);
        if (version.specVersion !== sub.lastSpec) {
          sub.lastSpec = version.specVersion;
          this.notify(sub, version);
        }
      } else if (sub.kind === 'storage') {
        const values = this.rpc.storageValues(sub.keys!, record);
        const changes = values.filter(([k, v]) => sub.lastValues!.get(k) !== v);
        for (const [k, v] of changes) sub.lastValues!.set(k, v);
        if (changes.length) this.notify(sub, { block: record.hash, changes });
      } else {
        this.notify(sub, this.rpc.headerOf(record));
      }
    }
  }

  // ---- connections and requests ----

  private accept(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('message', (data) => this.onMessage(socket, data));
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const [id, sub] of this.subscriptions) if (sub.socket === socket) this.subscriptions.delete(id);
    });
    socket.on('error', () => socket.terminate());
  }

  private send(socket: WebSocket, payload: unknown): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload, jsonReplacer));
  }

  private notify(sub: Subscription, result: unknown): void {
    this.send(sub.socket, { jsonrpc: '2.0', method: NOTIFICATION[sub.kind], params: { subscription: sub.id, result } });
  }

  private onMessage(socket: WebSocket, data: RawData): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      this.send(socket, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (Array.isArray(parsed)) {
      // A batch is answered as one array, without faults: they are per request.
      const answers = parsed.map((req) => {
        this.count((req as JsonRpcRequest).method);
        return this.answer(socket, req as JsonRpcRequest);
      });
      this.send(socket, answers.map((a) => a.message));
      for (const a of answers) a.after?.();
      return;
    }
    const req = parsed as JsonRpcRequest;
    this.count(req.method);
    const method = typeof req.method === 'string' ? req.method : '';
    const fault = this.faults.take(method);
    if (!fault) {
      this.respond(socket, req);
      return;
    }
    if (fault.hang) return;
    const act = () => {
      if (fault.drop) socket.terminate();
      else if (fault.error) this.send(socket, { jsonrpc: '2.0', id: req.id ?? null, error: fault.error });
      else this.respond(socket, req);
    };
    if (fault.delayMs && fault.delayMs > 0) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        act();
      }, fault.delayMs);
      this.timers.add(t);
    } else act();
  }

  private count(method: unknown): void {
    if (typeof method === 'string') this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
  }

  private respond(socket: WebSocket, req: JsonRpcRequest): void {
    const answer = this.answer(socket, req);
    this.send(socket, answer.message);
    answer.after?.();
  }

  /** The JSON-RPC answer to one request, and what to send right after it (a first notification). */
  private answer(socket: WebSocket, req: JsonRpcRequest): { message: Record<string, unknown>; after?: () => void } {
    const id = req.id ?? null;
    try {
      if (typeof req.method !== 'string') throw new RpcError(-32600, 'Invalid request');
      const params = Array.isArray(req.params) ? req.params : req.params === undefined ? [] : null;
      if (params === null) throw invalidParams('params must be a list');
      const sub = SUBSCRIBE[req.method];
      if (sub) return this.subscribe(socket, id, sub[0], params);
      if (UNSUBSCRIBE.has(req.method)) {
        const subId = String(params[0]);
        const existed = this.subscriptions.get(subId)?.socket === socket;
        if (existed) this.subscriptions.delete(subId);
        return { message: { jsonrpc: '2.0', id, result: existed } };
      }
      return { message: { jsonrpc: '2.0', id, result: this.rpc.handle(req.method, params) } };
    } catch (err) {
      if (err instanceof RpcError) {
        const error: Record<string, unknown> = { code: err.code, message: err.message };
        if (err.data !== undefined) error.data = err.data;
        return { message: { jsonrpc: '2.0', id, error } };
      }
      return { message: { jsonrpc: '2.0', id, error: { code: -32603, message: `Internal error: ${(err as Error)?.message ?? String(err)}` } } };
    }
  }

  /** Registers a subscription; its first notification (the current value) follows the answer. */
  private subscribe(socket: WebSocket, id: unknown, kind: SubscriptionKind, params: unknown[]): { message: Record<string, unknown>; after: () => void } {
    let keys: string[] | undefined;
    if (kind === 'storage') {
      if (!Array.isArray(params[0]) || params[0].some((k) => typeof k !== 'string')) {
        throw invalidParams('state_subscribeStorage needs a list of storage keys');
      }
      keys = (params[0] as string[]).map((k) => k.toLowerCase());
    }
    const subId = `dtao${(this.nextSubscription++).toString(16).padStart(12, '0')}`;
    const sub: Subscription = { id: subId, kind, socket, keys, lastValues: keys ? new Map() : undefined };
    this.subscriptions.set(subId, sub);
    const best = this.store.best;
    const after = () => {
      if (!this.subscriptions.has(subId)) return;
      if (kind === 'runtimeVersion') {
        const version = this.rpc.runtimeVersionAt(best);
        sub.lastSpec = version.specVersion;
        this.notify(sub, version);
      } else if (kind === 'storage') {
        const changes = this.rpc.storageValues(keys!, best);
        for (const [k, v] of changes) sub.lastValues!.set(k, v);
        this.notify(sub, { block: best.hash, changes });
      } else {
        this.notify(sub, this.rpc.headerOf(best));
      }
    };
    return { message: { jsonrpc: '2.0', id, result: subId }, after };
  }
}

/** Starts a devnet and resolves once it listens. */
export async function startDevnet(opts: DevnetOptions): Promise<DevnetServer> {
  const node = new Devnet(opts);
  await node.listen(opts.port ?? 0);
  return node;
}
