/**
 * A minimal Substrate JSON-RPC node for tests that serves subtensor's REAL spec-424 metadata
 * and a fixed storage map (values SCALE-encoded by the test with that metadata's types). One
 * block only. It lets the adapter, and @polkadot/api itself, be run against mainnet's exact
 * types without a network.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { TypeRegistry } from '@polkadot/types';
import { compactAddLength, u8aConcat, u8aToHex } from '@polkadot/util';

export const GENESIS = `0x${'11'.repeat(32)}`;
export const HEAD = `0x${'22'.repeat(32)}`;
export const PARENT = `0x${'33'.repeat(32)}`;

export interface RealNodeOptions {
  registry: TypeRegistry;
  metadataBytes: Uint8Array;
  /** Runtime version JSON (from the metadata's System.Version constant). */
  version: Record<string, unknown>;
  blockNumber: number;
  /** Hex key -> hex SCALE value. */
  storage: Map<string, string>;
  /** Runtime API name -> handler of its hex input, returning hex output. */
  calls: Record<string, (data: string) => string>;
}

export interface RealNode {
  url: string;
  requests: Array<{ method: string; params: unknown[] }>;
  close(): Promise<void>;
}

export async function startRealMetadataNode(o: RealNodeOptions): Promise<RealNode> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const requests: RealNode['requests'] = [];
  const header = { parentHash: PARENT, number: `0x${o.blockNumber.toString(16)}`, stateRoot: HEAD, extrinsicsRoot: HEAD, digest: { logs: [] } };
  const metadataAtVersion = u8aToHex(u8aConcat(new Uint8Array([1]), compactAddLength(o.metadataBytes)));
  const handle = (method: string, params: unknown[]): unknown => {
    switch (method) {
      case 'rpc_methods':
        return { version: 1, methods: ['chain_getBlockHash', 'chain_getHeader', 'chain_getFinalizedHead', 'state_call', 'state_getRuntimeVersion', 'state_getKeysPaged', 'state_queryStorageAt', 'state_subscribeRuntimeVersion', 'system_chain', 'system_properties', 'system_health'] };
      case 'system_chain': return 'Bittensor';
      case 'system_properties': return { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' };
      case 'system_health': return { peers: 1, isSyncing: false, shouldHavePeers: true };
      case 'chain_getBlockHash': return params[0] === 0 ? GENESIS : HEAD;
      case 'chain_getFinalizedHead': return HEAD;
      case 'chain_getHeader': return header;
      case 'state_getRuntimeVersion': return o.version;
      case 'state_call': {
        const [name, data] = params as [string, string];
        if (name === 'Metadata_metadata_versions') return u8aToHex(o.registry.createType('Vec<u32>', [14, 15, 16]).toU8a());
        if (name === 'Metadata_metadata_at_version') return data === '0x10000000' ? metadataAtVersion : '0x00';
        const fn = o.calls[name];
        if (!fn) throw Object.assign(new Error(`Exported method ${name} is not found`), { code: 4003 });
        return fn(data);
      }
      case 'state_getKeysPaged': {
        const [prefix, count, start] = params as [string, number, string | null];
        return [...o.storage.keys()].filter((k) => k.startsWith(prefix) && (!start || k > start)).sort().slice(0, count);
      }
      case 'state_queryStorageAt': {
        const [keys] = params as [string[]];
        return [{ block: HEAD, changes: keys.map((k) => [k, o.storage.get(k) ?? null]) }];
      }
      default:
        throw Object.assign(new Error('Method not found'), { code: -32601 });
    }
  };
  wss.on('connection', (socket) => {
    socket.on('message', (raw) => {
      const req = JSON.parse(raw.toString()) as { id: number; method: string; params?: unknown[] };
      const params = req.params ?? [];
      requests.push({ method: req.method, params });
      if (req.method === 'state_subscribeRuntimeVersion') {
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: 'rv1' }));
        socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'state_runtimeVersion', params: { subscription: 'rv1', result: o.version } }));
        return;
      }
      try {
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: handle(req.method, params) }));
      } catch (err) {
        const e = err as { code?: number; message: string };
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, error: { code: e.code ?? -32603, message: e.message } }));
      }
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => resolve());
    }),
  };
}
