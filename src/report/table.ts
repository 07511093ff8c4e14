/** Plain-text tables for the terminal: aligned columns, no colour codes in pipes. */

export function renderTable(header: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => ((align[i] ?? (i === 0 ? 'l' : 'r')) === 'l' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function pct(x: number | null, digits = 2): string {
  return x === null ? '-' : `${(x * 100).toFixed(digits)}%`;
}

export function fixed(x: number | null, digits = 2): string {
  return x === null ? '-' : x.toFixed(digits);
}

/** A decimal TAO string shown with `digits` decimals (truncated, not rounded). */
export function tao(s: string, digits = 3): string {
  const neg = s.startsWith('-');
  const [w, f = ''] = (neg ? s.slice(1) : s).split('.');
  const out = digits > 0 ? `${w}.${(f + '0'.repeat(digits)).slice(0, digits)}` : w!;
  return neg ? '-' + out : out;
}
