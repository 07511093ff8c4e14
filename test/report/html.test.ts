/** The HTML report's building blocks, without a browser (see html-browser.test.ts for the page itself). */
import { describe, expect, it } from 'vitest';
import { escapeHtml, inlineScript, jsonForScript } from '../../src/report/html/escape.ts';
import { allocationSeries, drawdownSeries, pageData, tradeText } from '../../src/report/html/page-data.ts';
import { renderHtmlReport } from '../../src/report/html/render.ts';
import { fmtDays, fmtPct, fmtTao } from '../../src/report/html/format.ts';
import { drawdown } from '../../src/report/metrics/drawdown.ts';
import type { HtmlReportInput, HtmlRun } from '../../src/report/html/input.ts';
import type { RunMetrics } from '../../src/report/summary.ts';

function run(name: string, over: Partial<HtmlRun> = {}): HtmlRun {
  return {
    name, kind: 'strategy',
    series: { timeMs: [0, 1, 2], block: [1, 2, 3], equitySpot: [100, 110, 105], equityLiquidation: [99, 108, 104], rootValue: [0, 0, 0], alphaValue: {} },
    trades: [],
    metrics: { name, kind: 'strategy', total_return: 0.04, final_value_liquidation: '104', final_value_spot: '105', max_drawdown: -0.045, sharpe: 1.2 } as unknown as RunMetrics,
    ...over,
  };
}

describe('escaping', () => {
  it('keeps a hostile subnet name from ending the data script or the page', () => {
    const name = '</script><script>alert(1)</script> & "x"';
    const json = jsonForScript({ name });
    expect(json).not.toMatch(/<\/script/i);
    expect(JSON.parse(json)).toEqual({ name });
    expect(escapeHtml(name)).toBe('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(inlineScript('a("</script>")')).toBe('a("<\\/script>")');
    const html = renderHtmlReport({ title: name, subtitle: [], runs: [run(name)], subnetNames: { 1: name } });
    expect(html.match(/<\/script>/g)).toHaveLength(3); // data, Chart.js, page script
  });
});

describe('page data', () => {
  it('drawdown: fall from the running peak, the worst of it equal to the max-drawdown metric', () => {
    const v = [100, 120, 90, 130, 117];
    const dd = drawdownSeries(v);
    expect(dd).toEqual([0, 0, 90 / 120 - 1, 0, 117 / 130 - 1]);
    expect(Math.min(...dd)).toBe(drawdown([0, 1, 2, 3, 4], v).maxDrawdown);
  });

  it('allocation: root, the largest subnets, the others together and free TAO add up to the spot value', () => {
    const alphaValue: Record<string, number[]> = {};
    for (let k = 1; k <= 10; k++) alphaValue[String(k)] = [k, k, 0];
    const r = run('a', { series: { timeMs: [0, 1, 2], block: [1, 2, 3], equitySpot: [100, 100, 100], equityLiquidation: [99, 99, 99], rootValue: [10, 20, 30], alphaValue } });
    const a = allocationSeries(r, { 10: 'Ten' });
    expect(a.labels).toEqual(['root', 'SN10 Ten', 'SN9', 'SN8', 'SN7', 'SN6', 'SN5', 'SN4', 'SN3', '2 other subnets', 'free TAO']);
    expect(a.series[9]).toEqual([3, 3, 0]); // subnets 1 and 2
    for (let i = 0; i < 3; i++) expect(a.series.reduce((s, xs) => s + xs[i]!, 0)).toBeCloseTo(100, 9);
    expect(a.series.at(-1)).toEqual([100 - 10 - 55, 100 - 20 - 55, 70]);
  });

  it('describes trades in words, refused ones with the reason', () => {
    const base = { step: 0, status: 'filled' as const, input: '10', inputToken: 'tao' as const, output: '8.5', outputToken: 'alpha' as const, feeTao: '0', slippageTao: '0' };
    expect(tradeText({ ...base, type: 'stake', netuid: 4 }, { 4: 'Targon' })).toBe('stake on SN4 Targon: 10 TAO → 8.5 α');
    expect(tradeText({ ...base, type: 'move', from: 4, to: 0, inputToken: 'alpha', input: '8.5', outputToken: 'tao', output: '9.9' }, {})).toBe('move SN4 → root: 8.5 α → 9.9 TAO');
    expect(tradeText({ ...base, type: 'stake', netuid: 4, status: 'rejected', reason: 'not enough free TAO' }, {})).toBe('refused: stake on SN4 (not enough free TAO)');
  });

  it('marks trades on the equity line but not root-dividend claims or refused orders', () => {
    const t = { status: 'filled' as const, input: '1', inputToken: 'tao' as const, output: '1', outputToken: 'alpha' as const, feeTao: '0', slippageTao: '0' };
    const d = pageData({ title: '', subtitle: [], runs: [run('a', { trades: [
      { ...t, step: 0, type: 'stake', netuid: 1 }, { ...t, step: 1, type: 'claim', netuid: 1 }, { ...t, step: 1, type: 'unstake', netuid: 1, status: 'rejected' },
      { ...t, step: 2, type: 'move', from: 1, to: 2 },
    ] })] });
    expect(d.runs[0]!.marks.map((m) => [m.i, m.kind])).toEqual([[0, 'buy'], [2, 'move']]);
    expect(d.runs[0]!.trades.map((x) => x.status)).toEqual(['filled', 'rejected', 'filled']);
  });
});

describe('the page', () => {
  const input: HtmlReportInput = { title: 'T', subtitle: ['s'], runs: [run('a'), run('b', { kind: 'benchmark' })], notes: ['n1'] };

  it('is the same bytes for the same input', () => {
    expect(renderHtmlReport(input)).toBe(renderHtmlReport(JSON.parse(JSON.stringify(input)) as HtmlReportInput));
  });

  it('needs nothing from outside: no external scripts, styles, images or fonts', () => {
    const html = renderHtmlReport(input);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(html).not.toMatch(/sourceMappingURL/);
    expect(html).toContain('Chart.js v4'); // the library is inlined
  });

  it('formats numbers as the tables show them', () => {
    expect(fmtTao('1234567.891234')).toBe('1,234,567.891');
    expect(fmtTao('-0.5')).toBe('-0.500');
    expect(fmtPct(0.12345, 2, true)).toBe('+12.35%');
    expect(fmtPct(null)).toBe('–');
    expect(fmtDays(0.5)).toBe('12.0 h');
    expect(fmtDays(null)).toBe('never');
  });
});
