/**
 * The HTTP side of the Taostats importer: one GET of one page of pool history, within the
 * request budget, retried with backoff on HTTP 429, 5xx, timeouts and dropped connections.
 *
 * The API key travels only in the `Authorization` header. It is never part of a URL, a
 * message or an event, and any text quoted from the server has it blanked out.
 */
import { UserError } from '../../core/errors.ts';
import type { Clock } from '../clock.ts';
import { RateLimiter } from '../rate-limit.ts';

export const DEFAULT_BASE_URL = 'https://api.taostats.io';
export const POOL_HISTORY_PATH = '/api/dtao/pool/history/v1';
/** The API's largest page. */
export const PAGE_LIMIT = 200;

export interface Pagination {
  current_page?: number;
  per_page?: number;
  total_items?: number;
  total_pages?: number;
  next_page?: number | null;
  prev_page?: number | null;
}

export interface Page {
  data: unknown[];
  pagination: Pagination | undefined;
}

export type ClientEvent =
  | { kind: 'request'; url: string; attempt: number }
  | { kind: 'retry'; url: string; problem: string; waitMs: number; nextAttempt: number; maxAttempts: number };

export interface RetryPolicy {
  maxAttempts: number;
  /** First wait after a 5xx or a network failure; doubles each time, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 120_000, maxRetryAfterMs: 15 * 60_000 };

export interface TaostatsClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Requests per minute. */
  rateLimit: number;
  clock: Clock;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retry?: RetryPolicy;
  onEvent?: (e: ClientEvent) => void;
}

/** Checks a base URL: http(s), no credentials, no query; returns it without a trailing slash. */
export function normalizeBaseUrl(value: string, where: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UserError(`${where} ${JSON.stringify(value)} is not a URL (e.g. ${DEFAULT_BASE_URL})`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UserError(`${where} must be an http:// or https:// URL, got ${u.protocol}`);
  if (u.username || u.password) throw new UserError(`${where} must not hold credentials; pass the API key with --api-key or TAOSTATS_API_KEY`);
  if (u.search || u.hash) throw new UserError(`${where} must not have a query or fragment; give only the origin and an optional path prefix`);
  return u.toString().replace(/\/+$/, '');
}

export class TaostatsClient {
  private readonly limiter: RateLimiter;
  private readonly fetchFn: typeof fetch;
  private readonly retry: RetryPolicy;
  requests = 0;
  retries = 0;

  constructor(private readonly opts: TaostatsClientOptions) {
    this.limiter = new RateLimiter(opts.rateLimit, opts.clock);
    this.fetchFn = opts.fetch ?? fetch;
    this.retry = opts.retry ?? DEFAULT_RETRY;
  }

  /** The URL of a pool-history query (it never holds the key). */
  urlFor(query: Record<string, string | number>): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) params.set(k, String(v));
    return `${this.opts.baseUrl}${POOL_HISTORY_PATH}?${params.toString()}`;
  }

  /** One page, retried until it arrives or the attempts run out. */
  async getPage(query: Record<string, string | number>): Promise<Page> {
    const url = this.urlFor(query);
    const max = this.retry.maxAttempts;
    let last = '';
    for (let attempt = 1; attempt <= max; attempt++) {
      await this.limiter.take();
      this.requests++;
      this.opts.onEvent?.({ kind: 'request', url, attempt });
      const outcome = await this.once(url);
      if (outcome.kind === 'page') return outcome.page;
      last = outcome.problem;
      if (attempt === max) break;
      const waitMs = outcome.retryAfterMs ?? this.backoff(attempt, outcome.kind === 'throttled');
      this.retries++;
      this.opts.onEvent?.({ kind: 'retry', url, problem: outcome.problem, waitMs, nextAttempt: attempt + 1, maxAttempts: max });
      await this.opts.clock.sleep(waitMs);
    }
    throw new UserError(`Taostats kept failing for ${url}: ${last} (gave up after ${max} attempts)`);
  }

  /** Deterministic exponential backoff; a 429 without Retry-After waits at least one request slot. */
  private backoff(failedAttempts: number, throttled: boolean): number {
    const base = throttled ? Math.max(this.retry.baseDelayMs, 60_000 / this.opts.rateLimit) : this.retry.baseDelayMs;
    return Math.min(this.retry.maxDelayMs, base * 2 ** (failedAttempts - 1));
  }

  private async once(url: string): Promise<
    { kind: 'page'; page: Page } | { kind: 'throttled' | 'failed'; problem: string; retryAfterMs?: number }
  > {
    let res: Response;
    let body: string;
    try {
      res = await this.fetchFn(url, {
        headers: { Authorization: this.opts.apiKey, Accept: 'application/json' },
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
      });
      body = await res.text();
    } catch (err) {
      return { kind: 'failed', problem: `no answer (${this.redact(describeNetworkError(err))})` };
    }
    const status = `HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`;
    if (res.status === 429) {
      return { kind: 'throttled', problem: `${status} (rate limited)`, retryAfterMs: this.retryAfter(res.headers.get('retry-after')) };
    }
    if (res.status >= 500) return { kind: 'failed', problem: `${status}${this.quote(body)}`, retryAfterMs: this.retryAfter(res.headers.get('retry-after')) };
    if (res.status === 401 || res.status === 403) {
      throw new UserError(`Taostats rejected the API key (${status}${this.quote(body)}); check --api-key or TAOSTATS_API_KEY (keys come from taostats.io, one per project)`);
    }
    if (res.status !== 200) throw new UserError(`Taostats answered ${status} for ${url}${this.quote(body)}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new UserError(`Taostats answered ${url} with something that is not JSON${this.quote(body)}; check --base-url`);
    }
    if (!json || typeof json !== 'object' || !Array.isArray((json as { data?: unknown }).data)) {
      throw new UserError(`Taostats answered ${url} without a "data" array${this.quote(body)}; check --base-url`);
    }
    const p = (json as { pagination?: unknown }).pagination;
    return { kind: 'page', page: { data: (json as { data: unknown[] }).data, pagination: p && typeof p === 'object' ? (p as Pagination) : undefined } };
  }

  /** Retry-After in seconds or as an HTTP date, capped; undefined when absent or unreadable. */
  private retryAfter(h: string | null): number | undefined {
    if (h === null) return undefined;
    const t = h.trim();
    let ms: number;
    if (/^\d+(\.\d+)?$/.test(t)) ms = Number(t) * 1000;
    else {
      const at = Date.parse(t);
      if (Number.isNaN(at)) return undefined;
      ms = at - this.opts.clock.now();
    }
    return Math.min(this.retry.maxRetryAfterMs, Math.max(0, ms));
  }

  /** A short quote of a response body for a message, with the key blanked out. */
  private quote(body: string): string {
    const text = this.redact(body.replace(/\s+/g, ' ').trim());
    if (!text) return '';
    return `: ${text.length > 200 ? text.slice(0, 197) + '...' : text}`;
  }

  private redact(text: string): string {
    const key = this.opts.apiKey;
    return key ? text.split(key).join('<api key>') : text;
  }
}

function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  const code = e?.cause?.code;
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  return code ? `${code}: ${msg}` : msg;
}
