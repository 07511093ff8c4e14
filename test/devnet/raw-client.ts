/** A bare JSON-RPC WebSocket client, to test the devnet's protocol without @polkadot/api in between. */
import WebSocket from 'ws';

export interface RpcAnswer {
  id: number | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export interface Notification {
  method: string;
  params: { subscription: string; result: unknown };
}

export class RawClient {
  private nextId = 1;
  private readonly pending = new Map<number, (a: RpcAnswer) => void>();
  readonly notifications: Notification[] = [];
  closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as RpcAnswer & Partial<Notification>;
      if (Array.isArray(msg)) {
        this.pending.get(-1)?.(msg as unknown as RpcAnswer);
        return;
      }
      if (msg.method) this.notifications.push(msg as Notification);
      else this.pending.get(msg.id as number)?.(msg);
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }

  static async connect(url: string): Promise<RawClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new RawClient(ws);
  }

  /** Sends a request; resolves with the answer, or 'timeout' after `waitMs`. */
  request(method: string, params: unknown[] = [], waitMs = 2000): Promise<RpcAnswer | 'timeout'> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve('timeout');
      }, waitMs);
      this.pending.set(id, (a) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(a);
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** The result of a request that must succeed. */
  async call(method: string, params: unknown[] = []): Promise<unknown> {
    const a = await this.request(method, params);
    if (a === 'timeout') throw new Error(`${method}: no answer`);
    if (a.error) throw new Error(`${method}: ${a.error.code} ${a.error.message}`);
    return a.result;
  }

  batch(requests: Array<{ method: string; params?: unknown[] }>): Promise<RpcAnswer[]> {
    return new Promise((resolve) => {
      this.pending.set(-1, (a) => {
        this.pending.delete(-1);
        resolve(a as unknown as RpcAnswer[]);
      });
      this.ws.send(JSON.stringify(requests.map((r, i) => ({ jsonrpc: '2.0', id: 1000 + i, method: r.method, params: r.params ?? [] }))));
    });
  }

  /** Waits until `count` notifications have arrived (or `waitMs` passed). */
  async waitNotifications(count: number, waitMs = 2000): Promise<Notification[]> {
    const until = Date.now() + waitMs;
    while (this.notifications.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    return this.notifications;
  }

  close(): void {
    this.ws.terminate();
  }
}
