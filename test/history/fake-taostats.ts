/**
 * A stand-in for the Taostats API on 127.0.0.1 (port 0) that answers
 * GET /api/dtao/pool/history/v1 in the documented shape: the key in the Authorization header,
 * filters netuid / frequency / timestamp_start / timestamp_end (Unix seconds, inclusive),
 * order, page and limit (at most 200, or less when `pageSize` says the server pages smaller),
 * and a {pagination, data} body. `fault` lets a test answer a chosen request with an error.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRow {
  netuid: number;
  block_number: number;
  timestamp: string;
  name?: string;
  symbol?: string;
  market_cap?: string;
  liquidity?: string;
  total_tao: string | null;
  total_alpha?: string;
  alpha_in_pool: string | null;
  alpha_staked?: string;
  price?: string | null;
  root_prop?: string;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FakeTaostatsOptions {
  apiKey: string;
  rows: { by_hour?: FakeRow[]; by_day?: FakeRow[] };
  /** Largest page the server hands out (the real API: 200). */
  pageSize?: number;
  /** Consulted for request number k (1-based, counting every request); a Fault answers it instead. */
  fault?: (k: number, url: URL) => Fault | 'hang-up' | undefined;
  /** Wait this long before answering each request (for tests that kill a client mid-run). */
  delayMs?: number;
  /**
   * Break ties of the sort key by netuid ascending on odd pages and descending on even ones,
   * as a database may when the order is not unique: pages then repeat and miss rows.
   */
  unstableTies?: boolean;
}

export interface FakeTaostats {
  url: string;
  /** Every request received, in order, with the Authorization header it carried. */
  requests: { url: URL; authorization: string | undefined }[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

export async function startFakeTaostats(opts: FakeTaostatsOptions): Promise<FakeTaostats> {
  const requests: FakeTaostats['requests'] = [];
  const msOf = new Map<FakeRow, number>();
  const ms = (r: FakeRow) => {
    let t = msOf.get(r);
    if (t === undefined) msOf.set(r, (t = Date.parse(r.timestamp)));
    return t;
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorization = req.headers.authorization;
    requests.push({ url, authorization });
    const k = requests.length;
    const fault = opts.fault?.(k, url);
    if (fault === 'hang-up') {
      req.socket.destroy();
      return;
    }
    if (fault) {
      send(res, fault.status, fault.body ?? JSON.stringify({ message: `fault ${fault.status}` }), fault.headers);
      return;
    }
    if (url.pathname !== '/api/dtao/pool/history/v1') return send(res, 404, { message: 'Not Found' });
    if (authorization !== opts.apiKey) return send(res, 401, { message: 'Unauthorized' });
    const frequency = url.searchParams.get('frequency') ?? 'by_day';
    let rows = (opts.rows as Record<string, FakeRow[] | undefined>)[frequency] ?? [];
    const netuid = url.searchParams.get('netuid');
    if (netuid !== null) rows = rows.filter((r) => r.netuid === Number(netuid));
    const tsStart = url.searchParams.get('timestamp_start');
    const tsEnd = url.searchParams.get('timestamp_end');
    if (tsStart !== null) rows = rows.filter((r) => ms(r) / 1000 >= Number(tsStart));
    if (tsEnd !== null) rows = rows.filter((r) => ms(r) / 1000 <= Number(tsEnd));
    const order = url.searchParams.get('order') ?? 'timestamp_desc';
    const dir = order.endsWith('_desc') ? -1 : 1;
    const key = order.startsWith('block_number') ? (r: FakeRow) => r.block_number
      : order.startsWith('netuid') ? (r: FakeRow) => r.netuid
      : ms;
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 200, opts.pageSize ?? 200);
    const page = Number(url.searchParams.get('page') ?? 1);
    const tie = opts.unstableTies && page % 2 === 0 ? -1 : 1;
    rows = [...rows].sort((a, b) => dir * (key(a) - key(b)) || tie * (a.netuid - b.netuid) || a.block_number - b.block_number);
    const totalPages = Math.max(1, Math.ceil(rows.length / limit));
    const data = rows.slice((page - 1) * limit, page * limit);
    const body = {
      pagination: {
        current_page: page, per_page: limit, total_items: rows.length, total_pages: totalPages,
        next_page: page < totalPages ? page + 1 : null, prev_page: page > 1 ? page - 1 : null,
      },
      data,
    };
    send(res, 200, body);
  };
  const server = createServer((req, res) => {
    if (opts.delayMs) setTimeout(() => handle(req, res), opts.delayMs);
    else handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
