/** `dtao status` for people: the PaperStatus as aligned plain-text sections. */
import { renderTable, tao } from '../report/table.ts';
import type { PaperStatus, PnlPair } from './status.ts';

function signed(text: string, digits = 4): string {
  const t = tao(text, digits);
  return t.startsWith('-') ? t : `+${t}`;
}

function pct(x: number): string {
  const s = (x * 100).toFixed(2);
  return x >= 0 ? `+${s}%` : `${s}%`;
}

function pnlRow(name: string, p: PnlPair): string[] {
  return [name, `${signed(p.spot)} (${pct(p.spot_return)})`, `${signed(p.liquidation)} (${pct(p.liquidation_return)})`];
}

function sci(x: number | null): string {
  return x === null ? '-' : x === 0 ? '0' : x.toExponential(2);
}

export function statusText(s: PaperStatus, statePath: string): string {
  const out: string[] = [];
  const params = Object.entries(s.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  out.push(`${statePath}: paper account of strategy ${s.strategy}${params ? ` (${params})` : ''}, capital ${s.capital} TAO`);
  out.push(`chain ${s.genesis_hash} via ${s.settings.endpoint}; schedule ${s.settings.schedule ?? '(--once)'}${s.settings.record ? `; recording to ${s.settings.record}` : ''}`);
  if (!s.last_tick) {
    out.push('', 'No ticks yet.');
    return out.join('\n') + '\n';
  }
  out.push(`${s.ticks} tick(s), blocks ${s.first_tick!.block}..${s.last_tick.block} (${s.first_tick!.time} .. ${s.last_tick.time})`);

  out.push('', `Portfolio at block ${s.last_tick.block}`);
  const rows = [['free', `${tao(s.portfolio.free, 4)} TAO`], ['root (netuid 0)', `${tao(s.portfolio.root, 4)} TAO`]];
  for (const [netuid, a] of Object.entries(s.portfolio.alpha)) rows.push([`subnet ${netuid}`, `${tao(a, 4)} alpha`]);
  for (const [netuid, a] of Object.entries(s.portfolio.claimable)) rows.push([`root dividends from ${netuid}, unclaimed`, `${tao(a, 4)} alpha`]);
  out.push(renderTable(['holding', 'amount'], rows));

  out.push('', 'Value (TAO)');
  out.push(renderTable(['account', 'at spot', 'at liquidation'], [
    [s.strategy, tao(s.value.strategy.spot, 4), tao(s.value.strategy.liquidation, 4)],
    ['hold TAO (benchmark)', tao(s.value.hold_tao.spot, 4), tao(s.value.hold_tao.liquidation, 4)],
    ['100% root (benchmark)', tao(s.value.root_100.spot, 4), tao(s.value.root_100.liquidation, 4)],
  ]));
  out.push('', 'Profit and loss (TAO, and as a share of the capital)');
  out.push(renderTable(['against', 'at spot', 'at liquidation'], [pnlRow('hold TAO', s.pnl.vs_hold_tao), pnlRow('100% root', s.pnl.vs_root_100)]));

  out.push('', `Last ${s.last_ticks.length} tick(s)`);
  out.push(renderTable(['tick', 'block', 'time', 'trades', 'rejected', 'claims etc.', 'value spot', 'value liq.', '100% root'], s.last_ticks.map((t) => [
    String(t.seq), String(t.block), t.time, String(t.trades), String(t.rejected), String(t.events), tao(t.value_spot, 4), tao(t.value_liquidation, 4), tao(t.root_100_spot, 4),
  ])));

  const q = s.quotes;
  out.push('', 'Pool model vs chain quotes (same swap, same block)');
  if (q.compared === 0 && q.unavailable === 0) out.push('  no fills quoted yet');
  else {
    out.push(`  ${q.compared} compared, ${q.unavailable} unavailable; |relative error| mean ${sci(q.mean_abs_rel_error)}, max ${sci(q.max_abs_rel_error)}; largest difference ${q.max_abs_diff_rao} rao`);
    if (q.worst && q.worst.rel_error !== 0) out.push(`  worst: ${q.worst.side} of ${q.worst.amount_rao} rao on subnet ${q.worst.netuid} at block ${q.worst.block} (${sci(q.worst.rel_error)})`);
  }
  if (s.notes.length) out.push('', 'Notes', ...s.notes.map((n) => `  - ${n}`));
  return out.join('\n') + '\n';
}
