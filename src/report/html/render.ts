/**
 * The self-contained report.html: one file with its styles, its data, the charting library
 * (Chart.js, inlined from node_modules) and the page script, so it opens anywhere with no
 * network. Deterministic: the same input gives the same bytes (no dates, no random ids).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../data/atomic.ts';
import { escapeHtml as h, inlineScript, jsonForScript } from './escape.ts';
import type { HtmlReportInput } from './input.ts';
import { pageData } from './page-data.ts';
import { compareCards, compareTable, horizonTabs, metricsTable, summaryCards, verdict } from './sections.ts';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'assets');

let assets: { chartJs: string; css: string; js: string } | undefined;

function loadAssets(): { chartJs: string; css: string; js: string } {
  if (!assets) {
    const chartDir = dirname(createRequire(import.meta.url).resolve('chart.js'));
    // The source-map comment would make a browser's developer tools look for a file that is not there.
    const chartJs = readFileSync(join(chartDir, 'chart.umd.min.js'), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n');
    assets = { chartJs, css: readFileSync(join(ASSETS, 'report.css'), 'utf8'), js: readFileSync(join(ASSETS, 'report.js'), 'utf8') };
  }
  return assets;
}

function panel(title: string, hint: string, body: string, id?: string): string {
  return `<section class="panel"${id ? ` id="${id}"` : ''}><h2>${h(title)}</h2>${hint ? `<p class="hint">${hint}</p>` : ''}${body}</section>`;
}

function runSections(input: HtmlReportInput, runsData: ReturnType<typeof pageData>['runs']): string {
  if (input.runs.length === 0) return '';
  const hasYield = runsData.some((r) => r.yieldRoot);
  return [
    verdict(input.runs),
    summaryCards(input.runs, runsData),
    panel('Equity', 'Portfolio value in TAO. Solid: marked at the spot price. Dashed: what unstaking everything at that moment would return (after fees and slippage); the gap is the cost of getting out of thin pools. Markers: trades (▲ stake, ▼ unstake, ◆ move between subnets). Long straight stretches are gaps in the data. Click a name to hide it.',
      '<div class="chart tall"><canvas id="chart-equity" role="img" aria-label="Equity over time"></canvas></div>'),
    panel('Drawdown', 'Fall of the spot value from its previous peak.', '<div class="chart short"><canvas id="chart-drawdown" role="img" aria-label="Drawdown over time"></canvas></div>'),
    `<section class="panel"><div class="controls"><h2>Allocation and yield</h2><label>Run <select id="run-select" aria-label="Run shown"></select></label></div>` +
      '<div class="grid2"><div><p class="hint">Where the capital sat: root, the largest subnet positions, the rest, and free TAO (value at spot, stacked).</p><div class="chart"><canvas id="chart-allocation" role="img" aria-label="Allocation over time"></canvas></div></div>' +
      (hasYield ? '<div><p class="hint">Dividends received so far: root dividends (claimed) and alpha dividends (valued in TAO when credited).</p><div class="chart"><canvas id="chart-yield" role="img" aria-label="Cumulative yield, root and alpha"></canvas></div></div>' : '') +
      '</div></section>',
    panel('Metrics', 'Returns on the value after unstaking everything at the end; risk figures on the spot mark. Hover a column name for its definition.', metricsTable(input.runs, runsData)),
    panel('Trades of the selected run', '', '<p class="hint" id="trades-note"></p><ol class="trades" id="trades-list"></ol>'),
  ].join('\n');
}

function compareSections(input: HtmlReportInput): string {
  const c = input.compare;
  if (!c || c.horizons.length === 0) return '';
  return [
    horizonTabs(c),
    compareCards(c),
    panel('Excess return over root, by subnet',
      `Each window stakes ${h(c.amount)} TAO into the subnet at its start and unstakes at its end, against the same amount on root over the same window. Bar: the middle half of the windows; light bar: best to worst; dot: median. Right of the black line beats root.`,
      '<div class="controls"><label class="check"><input type="checkbox" id="excess-all"> show every subnet (default: the 40 best)</label></div><div class="chart" id="excess-box"><canvas id="chart-excess" role="img" aria-label="Excess return over root by subnet"></canvas></div>'),
    `<div class="grid2">${panel('Does a high advertised yield pay?', 'Each dot is a subnet: the headline alpha yield at entry against the median excess return actually realised over root. Green: beats root in most windows.',
      '<div class="chart"><canvas id="chart-headline" role="img" aria-label="Headline yield against realised excess return"></canvas></div>')}` +
      `${panel('Does the timing matter?', 'Excess return over root of the five best subnets, by the window\'s start.',
        '<div class="chart"><canvas id="chart-excess-time" role="img" aria-label="Excess return by window start"></canvas></div>')}</div>`,
    panel('The table', `Sorted by median excess return. Round trip, break-even and pool TAO describe the pool at block ${c.outlookAt.block} (${h(c.outlookAt.time)}). Hover a column name for its definition.`,
      c.horizons.map((hz, i) => compareTable(hz, i)).join('\n')),
  ].join('\n');
}

export function renderHtmlReport(input: HtmlReportInput): string {
  const a = loadAssets();
  const data = pageData(input);
  const notes = input.notes?.length ? panel('Notes', '', `<ul class="notes">${input.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>`) : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(input.title)}</title>
<style>
${a.css}</style>
</head>
<body>
<header><h1>${h(input.title)}</h1>${input.subtitle.map((s) => `<p>${h(s)}</p>`).join('')}</header>
<main>
${runSections(input, data.runs)}
${compareSections(input)}
${notes}
</main>
<footer>dtao-lab report · self-contained: opens without a network connection · charts by Chart.js</footer>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>
${inlineScript(a.chartJs)}</script>
<script>
${inlineScript(a.js)}</script>
</body>
</html>
`;
}

/** Writes report.html atomically. */
export function writeHtmlReport(path: string, input: HtmlReportInput): void {
  const html = renderHtmlReport(input);
  writeFileAtomic(path, (w) => w(html));
}
