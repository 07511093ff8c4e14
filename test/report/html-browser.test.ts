/**
 * The report pages in a real browser (Debian's chromium through playwright-core; never a
 * downloaded one): they load from disk with no network and no console errors, every chart
 * draws, and the numbers on the page equal those in report.json / compare.json / equity.csv.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { hasRealData, REAL_DATA_FILE } from '../helpers/shared.ts';
import { loadDataset } from '../../src/data/load.ts';
import { loadStrategy, resolveParams } from '../../src/strategy/loader.ts';
import { runBacktestJob } from '../../src/backtest/job.ts';
import { DEFAULT_MODEL } from '../../src/engine/model.ts';
import { writeBacktestOutputs } from '../../src/report/files.ts';
import { subnetNamesAt } from '../../src/report/html/input.ts';
import { writeHtmlReport } from '../../src/report/html/render.ts';
import { runCompare } from '../../src/research/compare/compare.ts';
import { writeCompareOutputs } from '../../src/research/compare/compare-files.ts';
import { compareHtmlInput } from '../../src/research/compare/compare-html.ts';
import { writeSnapshotsFile } from '../../src/data/writer.ts';
import type { Report } from '../../src/report/report-json.ts';
import type { CompareReport } from '../../src/research/compare/compare.ts';
import { wavyMarket, TAO, HOUR } from '../research/helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) console.warn(`SKIPPED: HTML report browser tests: ${CHROMIUM} not found (install Debian's chromium: apt-get install chromium; .ci/run does).`);

// ---- the test's own formatting of report values, to compare with what the page shows ----
function taoText(s: string): string {
  const neg = s.startsWith('-');
  const [w, f = ''] = (neg ? s.slice(1) : s).split('.');
  return `${neg ? '-' : ''}${BigInt(w!).toLocaleString('en-US')}.${(f + '000').slice(0, 3)}`;
}
function pctText(x: number | null, digits: number, signed = false): string {
  if (x === null) return '–';
  return `${signed && x > 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`;
}
function ratioText(x: number | null): string {
  return x === null ? '–' : x.toFixed(2);
}
function daysText(x: number | null): string {
  if (x === null) return 'never';
  return x < 1 ? `${(x * 24).toFixed(1)} h` : `${x.toFixed(1)} d`;
}

const METRIC_TEXT: Record<string, (v: unknown) => string> = {
  final_value_spot: (v) => taoText(v as string),
  final_value_liquidation: (v) => taoText(v as string),
  total_return: (v) => pctText(v as number | null, 2),
  annualized_return: (v) => pctText(v as number | null, 1),
  volatility: (v) => pctText(v as number | null, 1),
  sharpe: (v) => ratioText(v as number | null),
  sortino: (v) => ratioText(v as number | null),
  max_drawdown: (v) => pctText(v as number | null, 2),
  calmar: (v) => ratioText(v as number | null),
  fees_paid: (v) => taoText(v as string),
  slippage_paid: (v) => taoText(v as string),
  yield_root: (v) => taoText(v as string),
  yield_alpha: (v) => taoText(v as string),
  turnover: (v) => taoText(v as string),
  trades: (v) => String(v),
  time_in_root: (v) => pctText(v as number | null, 0),
};

/** The page's globals as the evaluated functions use them (the project compiles without DOM types). */
type PageGlobals = { document: any; Chart: any; dtaoReport: { charts: Record<string, any> } };

const rawValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
}

describe.skipIf(!hasBrowser)('HTML report in Chromium', () => {
  let dir: string;
  let ctx: BrowserContext;
  let backtestReport: Report;
  let compareReport: CompareReport;
  const pages: Record<string, Loaded> = {};
  const cacheBefore = process.env.DTAO_CACHE_DIR;

  async function open(file: string): Promise<Loaded> {
    const page = await ctx.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15_000 });
    return { page, errors, requests };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dtao-html-'));
    process.env.DTAO_CACHE_DIR = join(dir, 'cache');
    // A backtest: on the real data when it is there, else on a small hand-built market.
    let dataFile = REAL_DATA_FILE;
    if (!hasRealData) {
      dataFile = join(dir, 'market.jsonl');
      writeSnapshotsFile(dataFile, wavyMarket(48, 6), { source: 'test' });
    }
    const { dataset, contentHash } = loadDataset(dataFile);
    const strategies = [];
    for (const name of ['top-emission', 'yield-rotation']) {
      const s = (await loadStrategy(name)).strategy;
      strategies.push({ strategy: s, params: resolveParams(s, { min_pool_tao: 0 }) });
    }
    const to = dataset.snapshotCount - 1;
    const job = runBacktestJob({ data: dataset, sha256: contentHash, strategies, model: DEFAULT_MODEL, capital: 1000n * TAO, from: 0, to });
    writeBacktestOutputs(join(dir, 'bt'), job.report, job.results, subnetNamesAt(dataset, to));
    backtestReport = JSON.parse(readFileSync(join(dir, 'bt', 'report.json'), 'utf8')) as Report;

    // A compare on a small hand-built market, two horizons.
    const market = wavyMarket(40, 6);
    const cmpFile = join(dir, 'cmp.jsonl');
    writeSnapshotsFile(cmpFile, market, { source: 'test' });
    const cmpData = loadDataset(cmpFile);
    const outcome = await runCompare({
      data: cmpData.dataset, sha256: cmpData.contentHash, model: DEFAULT_MODEL, amount: 50n * TAO, horizons: [{ label: '6h', ms: 6 * HOUR }, { label: '12h', ms: 12 * HOUR }],
      tolerance: 0.1, stepMs: 0, from: 0, to: cmpData.dataset.snapshotCount - 1,
    });
    writeCompareOutputs(join(dir, 'cmp'), outcome);
    writeHtmlReport(join(dir, 'cmp', 'report.html'), compareHtmlInput(outcome));
    compareReport = JSON.parse(readFileSync(join(dir, 'cmp', 'compare.json'), 'utf8')) as CompareReport;

    ctx = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    pages.backtest = await open(join(dir, 'bt', 'report.html'));
    pages.compare = await open(join(dir, 'cmp', 'report.html'));
  });

  afterAll(async () => {
    await ctx?.close();
    if (cacheBefore === undefined) delete process.env.DTAO_CACHE_DIR;
    else process.env.DTAO_CACHE_DIR = cacheBefore;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens both pages from disk with no console errors and no network requests', () => {
    for (const [name, p] of Object.entries(pages)) {
      expect(p.errors, name).toEqual([]);
      expect(p.requests.filter((u) => !u.startsWith('file://')), name).toEqual([]);
    }
  });

  async function chartsDrawn(page: Page) {
    return page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      return ([...w.document.querySelectorAll('canvas')] as any[]).map((canvas) => {
        const chart = w.Chart.getChart(canvas);
        const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data as Uint8ClampedArray;
        let painted = 0;
        for (let i = 3; i < img.length; i += 4) if (img[i] !== 0) painted++;
        let points = 0;
        if (chart) {
          const area = chart.chartArea;
          chart.data.datasets.forEach((_: unknown, i: number) => {
            if (!chart.isDatasetVisible(i)) return;
            for (const el of chart.getDatasetMeta(i).data) {
              const x = (el as { x: number }).x;
              const y = (el as { y: number }).y;
              if (Number.isFinite(x) && Number.isFinite(y) && x >= area.left - 1 && x <= area.right + 1 && y >= area.top - 1 && y <= area.bottom + 1) points++;
            }
          });
        }
        return { id: canvas.id as string, chart: !!chart, points, painted, width: canvas.width as number, height: canvas.height as number };
      });
    });
  }

  it('draws every chart of the backtest page, with its data inside the plot area', async () => {
    const charts = await chartsDrawn(pages.backtest!.page);
    expect(charts.map((c) => c.id)).toEqual(['chart-equity', 'chart-drawdown', 'chart-allocation', 'chart-yield']);
    for (const c of charts) {
      expect(c.chart, c.id).toBe(true);
      expect(c.points, c.id).toBeGreaterThan(10);
      expect(c.painted, c.id).toBeGreaterThan(c.width * c.height * 0.01);
    }
  });

  it('shows in the metrics table exactly the numbers of report.json', async () => {
    const rows = await pages.backtest!.page.$$eval('#metrics-table tbody tr', (trs) => trs.map((tr) => ({
      run: tr.getAttribute('data-run'),
      cells: [...tr.querySelectorAll('td[data-key]')].map((td) => ({ key: td.getAttribute('data-key')!, value: td.getAttribute('data-value')!, text: td.textContent! })),
    })));
    expect(rows.map((r) => r.run)).toEqual(backtestReport.runs.map((r) => r.name));
    for (const row of rows) {
      const m = backtestReport.runs.find((r) => r.name === row.run)! as unknown as Record<string, unknown>;
      expect(row.cells.map((c) => c.key).sort()).toEqual(Object.keys(METRIC_TEXT).sort());
      for (const c of row.cells) {
        expect(c.value, `${row.run} ${c.key}`).toBe(rawValue(m[c.key]));
        expect(c.text, `${row.run} ${c.key}`).toBe(METRIC_TEXT[c.key]!(m[c.key]));
      }
    }
    const cards = await pages.backtest!.page.$$eval('.card .card-big', (els) => els.map((e) => e.textContent));
    expect(cards).toEqual(backtestReport.runs.map((r) => pctText(r.total_return, 2, true)));
  });

  it('ends each equity line at the last marks of equity.csv, and marks the strategies\' trades', async () => {
    const csv = readFileSync(join(dir, 'bt', 'equity.csv'), 'utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    const last = csv.at(-1)!.split(',').map(Number);
    const lines = await pages.backtest!.page.evaluate(() => {
      const c = (globalThis as unknown as PageGlobals).dtaoReport.charts['chart-equity'];
      return c.data.datasets.map((d: { label: string; role: string; data: { y: number }[] }) => ({ label: d.label, role: d.role, n: d.data.length, y: d.data.at(-1)!.y }));
    });
    for (const r of backtestReport.runs) {
      const spot = lines.find((l: { label: string; role: string }) => l.role === 'spot' && l.label === r.name)!;
      const liq = lines.find((l: { label: string; role: string }) => l.role === 'liq' && l.label === `${r.name} · if unstaked`)!;
      expect(spot.y).toBeCloseTo(last[header.indexOf(`${r.name}_spot`)]!, 5);
      expect(liq.y).toBeCloseTo(last[header.indexOf(`${r.name}_liquidation`)]!, 5);
      expect(spot.n).toBe(csv.length - 1);
    }
    const trades = readFileSync(join(dir, 'bt', 'trades.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (const r of backtestReport.runs.filter((x) => x.kind === 'strategy')) {
      const marks = lines.find((l: { label: string; role: string }) => l.role === 'marks' && l.label === `${r.name} · trades`);
      const expected = trades.filter((t) => t[0] === r.name && ['stake', 'unstake', 'move', 'deregister'].includes(t[4]!) && t[8] !== 'rejected').length;
      expect(marks?.n ?? 0, r.name).toBe(expected);
    }
  });

  it('switches the allocation and yield charts to the run picked', async () => {
    const page = pages.backtest!.page;
    const labels = () => page.evaluate(() => (globalThis as unknown as PageGlobals).dtaoReport.charts['chart-allocation'].data.datasets.map((d: { label: string }) => d.label));
    const before = await labels();
    const k = backtestReport.runs.findIndex((r) => r.name === 'root-100');
    await page.selectOption('#run-select', String(k));
    expect(await labels()).toEqual(['root', 'free TAO']);
    expect(before).not.toEqual(['root', 'free TAO']);
    expect(pages.backtest!.errors).toEqual([]);
  });

  it('draws the compare charts and shows exactly the numbers of compare.json', async () => {
    const page = pages.compare!.page;
    const charts = await chartsDrawn(page);
    expect(charts.map((c) => c.id)).toEqual(['chart-excess', 'chart-headline', 'chart-excess-time']);
    for (const c of charts) {
      expect(c.points, c.id).toBeGreaterThan(3);
      expect(c.painted, c.id).toBeGreaterThan(c.width * c.height * 0.01);
    }
    for (const h of compareReport.horizons) {
      const rows = await page.$$eval(`.compare-table[data-horizon="${h.horizon}"] tbody tr`, (trs) => trs.map((tr) => ({
        netuid: Number(tr.getAttribute('data-netuid')),
        cells: Object.fromEntries([...tr.querySelectorAll('td[data-key]')].map((td) => [td.getAttribute('data-key')!, { value: td.getAttribute('data-value')!, text: td.textContent! }])) as Record<string, { value: string; text: string }>,
      })));
      const expected = h.subnets.filter((s) => s.windows > 0);
      expect(rows.map((r) => r.netuid)).toEqual(expected.map((s) => s.netuid));
      for (const [k, row] of rows.entries()) {
        const s = expected[k]! as unknown as Record<string, number | null>;
        for (const [key, cell] of Object.entries(row.cells)) expect(cell.value, `${h.horizon} SN${row.netuid} ${key}`).toBe(rawValue(s[key]));
        const text = (key: string) => row.cells[key]!.text;
        expect(text('windows')).toBe(String(s.windows));
        expect(text('median_excess')).toBe(pctText(s.median_excess!, 2, true));
        expect(text('p25_excess')).toBe(pctText(s.p25_excess!, 1, true));
        expect(text('p75_excess')).toBe(pctText(s.p75_excess!, 1, true));
        expect(text('beat_root_share')).toBe(pctText(s.beat_root_share!, 0));
        expect(text('headline_apr')).toBe(pctText(s.headline_apr!, 1));
        expect(text('realised_apr')).toBe(pctText(s.realised_apr!, 0, true));
        expect(text('round_trip_cost')).toBe(pctText(s.round_trip_cost!, 2));
        expect(text('break_even_days')).toBe(daysText(s.break_even_days!));
        expect(text('break_even_vs_root_days')).toBe(daysText(s.break_even_vs_root_days!));
        expect(text('pool_tao')).toBe(Math.round(s.pool_tao!).toLocaleString('en-US'));
      }
    }
  });

  it('switches horizon: the other table shows and the excess chart redraws its subnets', async () => {
    const page = pages.compare!.page;
    const second = compareReport.horizons[1]!;
    await page.click(`.tabs button[data-horizon="${second.horizon}"]`);
    const visible = await page.$$eval('.compare-table', (els) => els.filter((e) => !(e as unknown as { hidden: boolean }).hidden).map((e) => e.getAttribute('data-horizon')));
    expect(visible).toEqual([second.horizon]);
    const labels = await page.evaluate(() => (globalThis as unknown as PageGlobals).dtaoReport.charts['chart-excess'].data.labels);
    expect(labels).toEqual(second.subnets.filter((s) => s.windows > 0).slice(0, 40).map((s) => `SN${s.netuid}${s.name ? ` ${s.name}` : ''}`));
    expect(pages.compare!.errors).toEqual([]);
  });
});
