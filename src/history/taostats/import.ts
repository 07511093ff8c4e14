/**
 * `dtao import taostats`: Taostats pool history -> a `dtao-snapshots/1` JSONL file.
 *
 * The time range is walked in windows of whole periods. Each window is fetched completely
 * (every page of every query), merged into snapshots (one per period, see merge.ts), checked
 * with the same validator the loader uses, and appended in one batch. So the file only ever
 * holds complete periods, and a re-run continues with the period after the last snapshot
 * written. The output is a pure function of the API's answers and the options: no wall clock
 * goes into it.
 *
 * Windows: with --netuid N,... each subnet is queried on its own for 200 periods at a time (one
 * full page per subnet, in timestamp order: a subnet's rows never share a timestamp). With
 * --netuid all, one query covers every subnet. Rows of one block share a timestamp, and a sort
 * on ties need not be stable from one page to the next, so a window is sized to fit one page
 * (page size / most rows seen in a period), a one-period window is asked for in netuid order,
 * and a window whose pages do not add up (rows repeated or missing) is fetched again one
 * period at a time.
 */
import { UserError } from '../../core/errors.ts';
import { SnapshotValidator } from '../../data/validate.ts';
import { formatSnapshotLine } from '../../data/writer.ts';
import { SnapshotAppender, type WriteAt } from '../../data/append.ts';
import type { Clock } from '../clock.ts';
import { PAGE_LIMIT, TaostatsClient, type ClientEvent } from './client.ts';
import { mergeIntoSnapshots } from './merge.ts';
import { periodMs, periodStart, type Frequency } from './periods.ts';
import { mapPoolRow, type PoolObservation } from './rows.ts';

export const TAOSTATS_SOURCE = 'Taostats API, GET /api/dtao/pool/history/v1';
const MAX_PAGES_PER_QUERY = 100_000;

export interface TaostatsImportOptions {
  out: string;
  apiKey: string;
  baseUrl: string;
  netuids: 'all' | number[];
  /** First instant wanted (inclusive), epoch ms. */
  fromMs: number;
  /** End of the range (exclusive), epoch ms. */
  toMs: number;
  frequency: Frequency;
  /** Requests per minute. */
  rateLimit: number;
  clock: Clock;
  fetch?: typeof fetch;
  onEvent?: (e: ImportEvent) => void;
  /** For tests: the append write call (to fill the disk at a chosen byte). */
  appendWrite?: WriteAt;
  /** For tests: the client's retry policy. */
  retry?: ConstructorParameters<typeof TaostatsClient>[0]['retry'];
}

export type ImportEvent =
  | ClientEvent
  | { kind: 'resume'; afterBlock: number; afterTime: string; repairedBytes: number }
  | { kind: 'progress'; doneMs: number; totalMs: number }
  | { kind: 'written'; snapshots: number; lastBlock: number };

export interface TaostatsImportResult {
  out: string;
  /** Block of the last snapshot the file already had, when the run continued a file. */
  resumedAfterBlock: number | undefined;
  /** Bytes of a torn last line cut off before continuing. */
  repairedBytes: number;
  /** Snapshots written by this run. */
  written: number;
  firstBlock: number | undefined;
  lastBlock: number | undefined;
  /** The file already covered the whole range: nothing was requested. */
  upToDate: boolean;
  requests: number;
  retries: number;
  rowsRead: number;
  /** What was skipped or changed on the way, one line each. */
  notes: string[];
}

export function taostatsHeader(frequency: Frequency, netuids: 'all' | number[]): Record<string, unknown> {
  const period = frequency === 'by_hour' ? 'UTC hour' : 'UTC day';
  return {
    source: TAOSTATS_SOURCE,
    frequency,
    netuids,
    snapshots: `one per ${period} with data: each subnet's latest row in that ${period.slice(4)}; the snapshot takes the block and timestamp of the latest row`,
    derived_fields: {
      tao_in: 'total_tao (rao) in TAO',
      alpha_in: 'alpha_in_pool (rao) in alpha',
      alpha_out: 'alpha_staked (rao) in alpha',
      price: 'price (TAO per alpha); left out where it is more than 1.5x away from the reserves',
      root_prop: 'root_prop',
      name: 'name',
    },
  };
}

function sameNetuids(a: unknown, b: 'all' | number[]): boolean {
  if (b === 'all') return a === 'all';
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

function describeNetuids(n: unknown): string {
  return Array.isArray(n) ? n.join(',') : String(n);
}

class Notes {
  private readonly counts = new Map<string, { n: number; example: string }>();
  add(kind: string, example: string, n = 1): void {
    const c = this.counts.get(kind);
    if (c) c.n += n;
    else this.counts.set(kind, { n, example });
  }
  lines(): string[] {
    return [...this.counts].map(([kind, c]) => `${c.n} ${kind} (first: ${c.example})`);
  }
}

export async function importTaostats(o: TaostatsImportOptions): Promise<TaostatsImportResult> {
  if (!(o.fromMs < o.toMs)) throw new UserError('--from must be before --to');
  const header = taostatsHeader(o.frequency, o.netuids);
  const appender = SnapshotAppender.open(o.out, {
    command: 'dtao import taostats',
    write: o.appendWrite,
    checkHeader: (h) => {
      if (h.source !== TAOSTATS_SOURCE) return `was not written by dtao import taostats (its source is ${JSON.stringify(h.source)}); choose another --out`;
      if (h.frequency !== o.frequency || !sameNetuids(h.netuids, o.netuids)) {
        return `was written with --frequency ${String(h.frequency)} --netuid ${describeNetuids(h.netuids)}; continue it with those options, or choose another --out`;
      }
      return undefined;
    },
  });
  const start = appender.start;
  const result: TaostatsImportResult = {
    out: o.out, resumedAfterBlock: start.lastBlock, repairedBytes: start.repairedBytes, written: 0,
    firstBlock: undefined, lastBlock: undefined, upToDate: false, requests: 0, retries: 0, rowsRead: 0, notes: [],
  };
  const client = new TaostatsClient({
    baseUrl: o.baseUrl, apiKey: o.apiKey, rateLimit: o.rateLimit, clock: o.clock, fetch: o.fetch, retry: o.retry,
    onEvent: (e) => o.onEvent?.(e),
  });
  const notes = new Notes();
  let end = o.toMs;
  try {
    const validator = new SnapshotValidator(o.out);
    const period = periodMs(o.frequency);
    let cursor = periodStart(o.fromMs, o.frequency);
    if (start.lastTime !== undefined && start.lastBlock !== undefined) {
      // Prime the validator with the last line: it must be valid, and blocks must go on rising.
      validator.snapshot(JSON.parse(start.lastLine!), start.lines);
      cursor = Math.max(cursor, periodStart(Date.parse(start.lastTime), o.frequency) + period);
      o.onEvent?.({ kind: 'resume', afterBlock: start.lastBlock, afterTime: start.lastTime, repairedBytes: start.repairedBytes });
    }
    // A period that is not over yet would be written with whatever rows have landed so far and
    // never revisited (a re-run starts after it): stop at the start of the current period.
    end = Math.min(o.toMs, periodStart(o.clock.now(), o.frequency));
    if (end < o.toMs) {
      const unit = o.frequency === 'by_hour' ? 'hour' : 'day';
      notes.add(`${unit}(s) not fetched because they are not over yet; run the same command again later to add them`, `from ${new Date(end).toISOString()}`, Math.ceil((o.toMs - end) / period));
    }
    if (cursor >= end) {
      result.upToDate = cursor >= o.toMs;
      if (start.lastBlock === undefined) {
        // Only possible when the range starts in the period under way (or later).
        throw new UserError(`nothing to import yet: --from ${new Date(o.fromMs).toISOString()} falls in the current ${o.frequency === 'by_hour' ? 'hour' : 'day'} or later; wait until a whole one has passed`);
      }
      return result;
    }
    const rangeStart = cursor;
    const perNetuid = o.netuids !== 'all';
    let windowPeriods = perNetuid ? PAGE_LIMIT : 1;
    let pageCapacity = PAGE_LIMIT;
    let rowsPerPeriod = 0;
    while (cursor < end) {
      const windowEnd = Math.min(cursor + windowPeriods * period, end);
      const lo = Math.max(cursor, o.fromMs);
      const base = {
        frequency: o.frequency,
        timestamp_start: Math.floor(lo / 1000),
        // Inclusive on the server; rows at the very end belong to the next window and are filtered out here.
        timestamp_end: Math.ceil(windowEnd / 1000),
        order: !perNetuid && windowEnd - cursor <= period ? 'netuid_asc' : 'timestamp_asc',
      };
      const queries = perNetuid ? (o.netuids as number[]).map((n) => ({ netuid: n, ...base })) : [base];
      const raw: unknown[] = [];
      let consistent = true;
      for (const q of queries) {
        const got = await fetchAllPages(client, q);
        raw.push(...got.rows);
        consistent &&= got.consistent;
        if (got.perPage !== undefined) pageCapacity = Math.min(pageCapacity, got.perPage);
      }
      if (!consistent && windowEnd - cursor > period) {
        // Pages disagreed with each other: fetch this stretch again one period at a time.
        windowPeriods = 1;
        continue;
      }
      if (!consistent) notes.add('windows whose pages did not add up to the reported total (kept as received)', `${new Date(cursor).toISOString()}`);
      result.rowsRead += raw.length;
      const obs: PoolObservation[] = [];
      const perPeriod = new Map<number, number>();
      for (const r of raw) {
        const v = mapPoolRow(r);
        if (!v.ok) {
          notes.add('row(s) skipped', `${v.reason} in ${JSON.stringify(r).slice(0, 160)}`);
          continue;
        }
        if (v.obs.timeMs < lo || v.obs.timeMs >= windowEnd) continue;
        const p = periodStart(v.obs.timeMs, o.frequency);
        perPeriod.set(p, (perPeriod.get(p) ?? 0) + 1);
        if (v.priceDropped) notes.add('price(s) left out for disagreeing with the reserves by more than 1.5x', `netuid ${v.obs.netuid} at block ${v.obs.block}`);
        if (v.rootPropDropped) notes.add('root_prop value(s) above 1 left out', `netuid ${v.obs.netuid} at block ${v.obs.block}`);
        obs.push(v.obs);
      }
      const merged = mergeIntoSnapshots(obs, o.frequency, appender.lastBlock ?? -1);
      const at = `in the window from ${new Date(cursor).toISOString()}`;
      if (merged.rootRows) notes.add('netuid 0 (root) row(s) left out (root has no pool)', at, merged.rootRows);
      if (merged.outOfOrderPeriods) notes.add('period(s) left out because their block was not above the previous snapshot\'s', at, merged.outOfOrderPeriods);
      const lines: string[] = [];
      let lineNo = appender.lines + (appender.lines === 0 ? 1 : 0);
      for (const snap of merged.snapshots) {
        const line = formatSnapshotLine(snap);
        validator.snapshot(JSON.parse(line), ++lineNo);
        lines.push(line);
      }
      for (const k of perPeriod.values()) rowsPerPeriod = Math.max(rowsPerPeriod, k);
      if (lines.length) {
        const last = merged.snapshots[merged.snapshots.length - 1]!.block;
        appender.append(lines, last, header);
        result.written += lines.length;
        result.firstBlock ??= merged.snapshots[0]!.block;
        result.lastBlock = last;
        o.onEvent?.({ kind: 'written', snapshots: lines.length, lastBlock: last });
      }
      cursor = windowEnd;
      o.onEvent?.({ kind: 'progress', doneMs: cursor - rangeStart, totalMs: end - rangeStart });
      if (!perNetuid) {
        // Fit the next window in one page; while no rows have come yet, widen it to cross empty stretches fast.
        windowPeriods = rowsPerPeriod > 0 ? Math.max(1, Math.floor(pageCapacity / rowsPerPeriod)) : Math.min(PAGE_LIMIT, windowPeriods * 2);
      }
    }
  } catch (err) {
    if (err instanceof UserError) {
      const state = appender.lastBlock !== undefined
        ? `${o.out} is valid and holds snapshots up to block ${appender.lastBlock}; run the same command again to continue from there`
        : `${o.out} was not created`;
      throw new UserError(`${err.message.replace(/\.$/, '')}. ${state}`, { exitCode: err.exitCode, cause: err });
    }
    throw err;
  } finally {
    result.requests = client.requests;
    result.retries = client.retries;
    result.notes = notes.lines();
    appender.close();
  }
  if (result.written === 0 && start.lastBlock === undefined) {
    const which = o.netuids === 'all' ? 'any subnet' : `netuid ${o.netuids.join(',')}`;
    throw new UserError(`Taostats returned no pool history for ${which} from ${new Date(o.fromMs).toISOString()} to ${new Date(o.toMs).toISOString()} (${o.frequency}); check --netuid, --from and --to. ${o.out} was not created`);
  }
  return result;
}

/** Every page of one query. `consistent` is false when the rows repeat or fall short of the reported total. */
async function fetchAllPages(client: TaostatsClient, query: Record<string, string | number>): Promise<{ rows: unknown[]; consistent: boolean; perPage: number | undefined }> {
  const rows: unknown[] = [];
  let total: number | undefined;
  let perPage: number | undefined;
  let pages = 0;
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES_PER_QUERY) throw new UserError(`Taostats kept returning pages (over ${MAX_PAGES_PER_QUERY}) for ${client.urlFor(query)}; narrow --from/--to`);
    const p = await client.getPage({ ...query, page, limit: PAGE_LIMIT });
    pages++;
    rows.push(...p.data);
    const pg = p.pagination;
    if (page === 1 && typeof pg?.total_items === 'number') total = pg.total_items;
    if (page === 1 && typeof pg?.per_page === 'number' && pg.per_page > 0) perPage = pg.per_page;
    if (p.data.length === 0) break;
    let more: boolean;
    if (pg && (pg.next_page !== undefined || pg.total_pages !== undefined)) {
      more = typeof pg.next_page === 'number' ? pg.next_page > page : pg.next_page === undefined && typeof pg.total_pages === 'number' && page < pg.total_pages;
    } else {
      more = p.data.length >= PAGE_LIMIT;
    }
    if (!more) break;
  }
  if (pages === 1) return { rows, consistent: true, perPage };
  const keys = new Set<string>();
  for (const r of rows) {
    const x = r as Record<string, unknown>;
    keys.add(`${String(x?.netuid)}|${String(x?.block_number)}|${String(x?.timestamp)}`);
  }
  const consistent = keys.size === rows.length && (total === undefined || total === rows.length);
  return { rows, consistent, perPage };
}
