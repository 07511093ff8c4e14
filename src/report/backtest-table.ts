/** The comparison table a backtest prints: one row per strategy and benchmark. */
import type { Report } from './report-json.ts';
import { fixed, pct, renderTable, tao } from './table.ts';

export function backtestTable(report: Report): string {
  const header = ['run', 'final spot', 'final liq.', 'return', 'annual', 'Sharpe', 'max DD', 'fees', 'slippage', 'yield root', 'yield alpha', 'trades'];
  const rows = report.runs.map((r) => [
    r.kind === 'benchmark' ? `${r.name} (benchmark)` : r.name,
    tao(r.final_value_spot),
    tao(r.final_value_liquidation),
    pct(r.total_return),
    pct(r.annualized_return, 1),
    fixed(r.sharpe),
    pct(r.max_drawdown, 1),
    tao(r.fees_paid),
    tao(r.slippage_paid),
    tao(r.yield_root),
    tao(r.yield_alpha),
    String(r.trades),
  ]);
  const d = report.data;
  const head = `${d.file}: ${d.snapshots} snapshots, ${d.subnets} subnets, blocks ${d.from_block}..${d.to_block} (${d.from_time} .. ${d.to_time}); capital ${report.config.capital} TAO; amounts in TAO; return = at liquidation value`;
  return `${head}\n\n${renderTable(header, rows)}`;
}
