/* Draws the report's charts from the JSON embedded in the page. Everything it needs is in the
 * page: Chart.js is inlined before this script, the data in #report-data. No network. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = {};
  window.dtaoReport = { charts: charts, ready: false };

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.color = '#374151';
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function dateText(ms, withTime) {
    var d = new Date(ms);
    var s = MONTHS[d.getUTCMonth()] + ' ' + d.getUTCDate();
    return withTime ? s + ', ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ' UTC' : s;
  }
  function pct(x, digits) { return (x * 100).toFixed(digits) + '%'; }
  /* Axis labels: one decimal below 10%, none above, so close ticks never read the same. */
  function pctTick(v) { return (v * 100).toFixed(Math.abs(v) < 0.1 ? 1 : 0).replace(/\.0$/, '') + '%'; }
  function signedPct(x, digits) { return (x > 0 ? '+' : '') + pct(x, digits); }
  function tao(x) { return x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 3 }) + ' TAO'; }
  function rgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function xy(t, ys) { return t.map(function (x, i) { return { x: x, y: ys[i] }; }); }
  function timeAxis() {
    return { type: 'linear', grid: { display: false }, ticks: { maxTicksLimit: 9, callback: function (v) { return dateText(v, false); } } };
  }
  function byId(id) { return document.getElementById(id); }
  function make(id, config) {
    var canvas = byId(id);
    if (!canvas) return null;
    charts[id] = new Chart(canvas, config);
    return charts[id];
  }

  var PALETTE = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#ec4899', '#06b6d4', '#84cc16', '#f97316', '#6366f1'];

  /* ---- runs: equity, drawdown, allocation, yield, trades ---- */
  var runs = data.runs || [];
  if (runs.length) {
    var equitySets = [];
    runs.forEach(function (r, k) {
      var bench = r.kind === 'benchmark';
      equitySets.push({ label: r.name, runIndex: k, role: 'spot', data: xy(r.t, r.spot), borderColor: r.color, backgroundColor: r.color,
        borderWidth: bench ? 1.5 : 2.2, pointRadius: 0, pointHitRadius: 6, tension: 0, order: 2 });
      equitySets.push({ label: r.name + ' · if unstaked', runIndex: k, role: 'liq', data: xy(r.t, r.liq), borderColor: rgba(r.color, 0.75),
        backgroundColor: r.color, borderWidth: 1.2, borderDash: [5, 4], pointRadius: 0, pointHitRadius: 4, tension: 0, order: 3 });
      if (!bench && r.marks.length) {
        equitySets.push({ type: 'scatter', label: r.name + ' · trades', runIndex: k, role: 'marks', order: 1,
          data: r.marks.map(function (m) { return { x: r.t[m.i], y: r.spot[m.i], kind: m.kind, text: m.text }; }),
          pointStyle: function (c) { var k2 = c.raw && c.raw.kind; return k2 === 'move' ? 'rectRot' : k2 === 'payout' ? 'crossRot' : 'triangle'; },
          rotation: function (c) { return c.raw && c.raw.kind === 'sell' ? 180 : 0; },
          pointRadius: 5, pointHoverRadius: 7, borderColor: '#ffffff', borderWidth: 1, backgroundColor: r.color });
      }
    });
    make('chart-equity', {
      type: 'line',
      data: { datasets: equitySets },
      options: {
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        scales: { x: timeAxis(), y: { title: { display: true, text: 'TAO' }, ticks: { callback: function (v) { return v.toLocaleString('en-US'); } } } },
        plugins: {
          legend: {
            labels: { filter: function (item, d) { return d.datasets[item.datasetIndex].role === 'spot'; } },
            onClick: function (e, item, legend) {
              var chart = legend.chart;
              var k = chart.data.datasets[item.datasetIndex].runIndex;
              var show = !chart.isDatasetVisible(item.datasetIndex);
              chart.data.datasets.forEach(function (ds, i) { if (ds.runIndex === k) chart.setDatasetVisibility(i, show); });
              chart.update();
            },
          },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? dateText(items[0].parsed.x, true) : ''; },
              label: function (c) {
                if (c.dataset.role === 'marks') return c.raw.text;
                return c.dataset.label + ': ' + tao(c.parsed.y);
              },
            },
          },
        },
      },
    });

    make('chart-drawdown', {
      type: 'line',
      data: { datasets: runs.map(function (r) {
        return { label: r.name, data: xy(r.t, r.dd), borderColor: r.color, backgroundColor: rgba(r.color, 0.08), fill: r.kind !== 'benchmark' ? 'origin' : false,
          borderWidth: r.kind === 'benchmark' ? 1.2 : 1.8, pointRadius: 0, tension: 0 };
      }) },
      options: {
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        scales: { x: timeAxis(), y: { max: 0, ticks: { callback: pctTick } } },
        plugins: { tooltip: { callbacks: {
          title: function (items) { return items.length ? dateText(items[0].parsed.x, true) : ''; },
          label: function (c) { return c.dataset.label + ': ' + pct(c.parsed.y, 2); },
        } } },
      },
    });

    var select = byId('run-select');
    var first = 0;
    for (var i = 0; i < runs.length; i++) { if (runs[i].kind !== 'benchmark') { first = i; break; } }
    runs.forEach(function (r, k) {
      var o = document.createElement('option');
      o.value = String(k);
      o.textContent = r.name + (r.kind === 'benchmark' ? ' (benchmark)' : '');
      select.appendChild(o);
    });
    select.value = String(first);

    var allocColor = function (label, k) {
      if (label === 'root') return '#0f766e';
      if (label === 'free TAO') return '#d1d5db';
      if (/other subnets$/.test(label)) return '#9ca3af';
      return PALETTE[(k - 1) % PALETTE.length];
    };
    var allocSets = function (r) {
      return r.alloc.labels.map(function (label, k) {
        var c = allocColor(label, k);
        return { label: label, data: xy(r.t, r.alloc.series[k]), borderColor: c, backgroundColor: rgba(c, 0.75), fill: k === 0 ? 'origin' : '-1',
          borderWidth: 0.8, pointRadius: 0, tension: 0 };
      });
    };
    var stackedOptions = function (yTitle) {
      return {
        interaction: { mode: 'index', intersect: false },
        scales: { x: timeAxis(), y: { stacked: true, min: 0, title: { display: true, text: yTitle } } },
        plugins: { tooltip: { callbacks: {
          title: function (items) { return items.length ? dateText(items[0].parsed.x, true) : ''; },
          label: function (c) { return c.dataset.label + ': ' + tao(c.parsed.y); },
        } } },
      };
    };
    var alloc = make('chart-allocation', { type: 'line', data: { datasets: allocSets(runs[first]) }, options: stackedOptions('TAO at spot') });
    var yieldSets = function (r) {
      if (!r.yieldRoot) return [];
      return [
        { label: 'root dividends', data: xy(r.t, r.yieldRoot), borderColor: '#0f766e', backgroundColor: rgba('#0f766e', 0.7), fill: 'origin', pointRadius: 0, borderWidth: 1, tension: 0 },
        { label: 'alpha dividends', data: xy(r.t, r.yieldAlpha), borderColor: '#f59e0b', backgroundColor: rgba('#f59e0b', 0.7), fill: '-1', pointRadius: 0, borderWidth: 1, tension: 0 },
      ];
    };
    var yieldChart = make('chart-yield', { type: 'line', data: { datasets: yieldSets(runs[first]) }, options: stackedOptions('TAO received, cumulative') });

    var tradesList = byId('trades-list');
    var tradesNote = byId('trades-note');
    var showTrades = function (r) {
      tradesList.textContent = '';
      r.trades.forEach(function (t) {
        var li = document.createElement('li');
        li.textContent = dateText(r.t[t.i], true) + ' — ' + t.text;
        if (t.status === 'rejected') li.className = 'rejected';
        tradesList.appendChild(li);
      });
      tradesNote.textContent = r.trades.length ? '' : 'No trades.';
    };
    showTrades(runs[first]);

    select.addEventListener('change', function () {
      var r = runs[Number(select.value)];
      alloc.data.datasets = allocSets(r);
      alloc.update();
      if (yieldChart) {
        yieldChart.data.datasets = yieldSets(r);
        yieldChart.update();
      }
      showTrades(r);
    });
  }

  /* ---- compare: excess by subnet, headline vs realised, excess over time ---- */
  var cmp = data.compare;
  if (cmp && cmp.horizons.length) {
    var names = data.names || {};
    var label = function (netuid) { return 'SN' + netuid + (names[netuid] ? ' ' + names[netuid] : ''); };
    var state = { h: 0, all: false };
    var TOP = 40;
    var rowsOf = function () { return cmp.horizons[state.h].subnets.filter(function (r) { return r.windows > 0; }); };

    var excessData = function () {
      var rows = rowsOf();
      if (!state.all && rows.length > TOP) rows = rows.slice(0, TOP);
      return {
        labels: rows.map(function (r) { return label(r.netuid); }),
        datasets: [
          { type: 'bar', label: 'min – max', data: rows.map(function (r) { return [r.min_excess, r.max_excess]; }), backgroundColor: 'rgba(148,163,184,0.35)',
            grouped: false, barPercentage: 0.3, categoryPercentage: 1, order: 3 },
          { type: 'bar', label: 'middle half of windows (p25 – p75)', data: rows.map(function (r) { return [r.p25_excess, r.p75_excess]; }),
            backgroundColor: rows.map(function (r) { return r.median_excess > 0 ? 'rgba(16,185,129,0.75)' : 'rgba(239,68,68,0.75)'; }),
            grouped: false, barPercentage: 0.8, categoryPercentage: 1, order: 2 },
          { type: 'line', label: 'median', data: rows.map(function (r) { return r.median_excess; }), showLine: false, pointRadius: 4, pointStyle: 'circle',
            backgroundColor: '#111827', borderColor: '#ffffff', borderWidth: 1, order: 1 },
        ],
      };
    };
    var sizeExcess = function () {
      var n = excessData().labels.length;
      byId('excess-box').style.height = Math.max(220, 64 + n * 19) + 'px';
    };
    sizeExcess();
    var excessChart = make('chart-excess', {
      type: 'bar',
      data: excessData(),
      options: {
        indexAxis: 'y',
        interaction: { mode: 'index', intersect: false, axis: 'y' },
        scales: {
          x: { position: 'top', ticks: { callback: pctTick },
            grid: { color: function (c) { return c.tick && c.tick.value === 0 ? '#111827' : '#eef0f3'; }, lineWidth: function (c) { return c.tick && c.tick.value === 0 ? 1.5 : 1; } },
            title: { display: true, text: 'return above root over the window (0 = same as root)' } },
          y: { ticks: { autoSkip: false, font: { size: 11 } }, grid: { display: false } },
        },
        plugins: { tooltip: { callbacks: { label: function (c) {
          var v = c.raw;
          if (Array.isArray(v)) return c.dataset.label + ': ' + signedPct(v[0], 2) + ' to ' + signedPct(v[1], 2);
          return 'median: ' + signedPct(v, 2);
        } } } },
      },
    });

    var scatterData = function () {
      var rows = rowsOf().filter(function (r) { return r.headline_apr !== null && r.median_excess !== null; });
      return { datasets: [{
        label: 'subnets', data: rows.map(function (r) { return { x: r.headline_apr, y: r.median_excess, netuid: r.netuid, beat: r.beat_root_share }; }),
        backgroundColor: rows.map(function (r) { return r.beat_root_share > 0.5 ? 'rgba(16,185,129,0.7)' : 'rgba(239,68,68,0.7)'; }),
        pointRadius: 4.5, pointHoverRadius: 6,
      }] };
    };
    var scatter = make('chart-headline', {
      type: 'scatter',
      data: scatterData(),
      options: {
        scales: {
          x: { title: { display: true, text: 'headline alpha APR at entry' }, ticks: { callback: pctTick } },
          y: { title: { display: true, text: 'median excess return over root' }, ticks: { callback: pctTick },
            grid: { color: function (c) { return c.tick && c.tick.value === 0 ? '#111827' : '#eef0f3'; } } },
        },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) {
          return label(c.raw.netuid) + ': headline ' + pct(c.raw.x, 1) + ', median excess ' + signedPct(c.raw.y, 2) + ', beats root in ' + pct(c.raw.beat, 0);
        } } } },
      },
    });

    var windows = cmp.windows || [];
    var timeData = function () {
      var hz = cmp.horizons[state.h].horizon;
      var top = rowsOf().slice(0, 5);
      return { datasets: top.map(function (r, k) {
        var pts = windows.filter(function (w) { return w.horizon === hz && w.netuid === r.netuid && w.excess !== null; })
          .map(function (w) { return { x: w.start_ms, y: w.excess }; });
        return { label: label(r.netuid), data: pts, borderColor: PALETTE[k], backgroundColor: PALETTE[k], pointRadius: 1.5, borderWidth: 1.5, tension: 0, spanGaps: false };
      }) };
    };
    var overTime = make('chart-excess-time', {
      type: 'line',
      data: timeData(),
      options: {
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        scales: { x: timeAxis(), y: { ticks: { callback: pctTick },
          grid: { color: function (c) { return c.tick && c.tick.value === 0 ? '#111827' : '#eef0f3'; } } } },
        plugins: { tooltip: { callbacks: {
          title: function (items) { return items.length ? 'window starting ' + dateText(items[0].parsed.x, true) : ''; },
          label: function (c) { return c.dataset.label + ': ' + signedPct(c.parsed.y, 2); },
        } } },
      },
    });

    var refresh = function () {
      sizeExcess();
      excessChart.data = excessData();
      excessChart.update();
      excessChart.resize();
      scatter.data = scatterData();
      scatter.update();
      overTime.data = timeData();
      overTime.update();
      var hz = cmp.horizons[state.h].horizon;
      document.querySelectorAll('[data-horizon]').forEach(function (el) {
        if (el.tagName === 'BUTTON') el.setAttribute('aria-selected', String(el.getAttribute('data-horizon') === hz));
        else if (el.classList.contains('compare-table') || el.classList.contains('compare-cards')) el.hidden = el.getAttribute('data-horizon') !== hz;
      });
    };
    document.querySelectorAll('.tabs button').forEach(function (b, k) {
      b.addEventListener('click', function () { state.h = k; refresh(); });
    });
    var all = byId('excess-all');
    if (all) all.addEventListener('change', function () { state.all = all.checked; refresh(); });
  }

  window.dtaoReport.ready = true;
  document.body.setAttribute('data-ready', '1');
})();
