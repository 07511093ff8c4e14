/** The human-readable form of an inspect report: facts first, then each check with its worst findings. */
import type { InspectReport, JumpFinding } from './inspect.ts';

export interface FileFacts {
  path: string;
  bytes: number;
  form: 'JSON Lines' | 'CSV';
}

/** 1234567 -> "1,234,567" (fixed grouping, whatever the locale). */
export function grouped(x: number): string {
  const s = Math.trunc(x).toString();
  const neg = s.startsWith('-');
  const digits = neg ? s.slice(1) : s;
  const out = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return neg ? '-' + out : out;
}

/** Seconds as s, min or h; long spans also in days ("376.5 h = 15.7 days"). */
export function duration(seconds: number): string {
  const a = Math.abs(seconds);
  if (a < 120) return `${seconds.toFixed(0)} s`;
  if (a < 7200) return `${(seconds / 60).toFixed(1)} min`;
  const hours = `${(seconds / 3600).toFixed(1)} h`;
  return a < 2 * 86400 ? hours : `${hours} = ${(seconds / 86400).toFixed(1)} days`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function percent(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return x > 0 ? '+inf' : '-inf';
  const s = (x * 100).toFixed(digits);
  return (x > 0 ? '+' : '') + s + '%';
}

function coverage(x: number): string {
  if (x === 1) return '100%';
  const p = x * 100;
  return p >= 99.95 ? '>99.9%' : `${p.toFixed(1)}%`;
}

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 3) + '...' : s;
}

function more(count: number, shown: number): string[] {
  return count > shown ? [`          ... and ${grouped(count - shown)} more (--top to list more)`] : [];
}

function jumpLine(j: JumpFinding): string {
  const parts = [`tao_in ${percent(j.taoInChange)}`, `alpha_in ${percent(j.alphaInChange)}`];
  const renamed = j.renamed ? `; renamed ${JSON.stringify(j.renamed.from)} -> ${JSON.stringify(j.renamed.to)} (re-registration?)` : '';
  return `          netuid ${j.netuid} at block ${grouped(j.block)} (${duration(j.seconds)} after ${grouped(j.previousBlock)}): ${parts.join(', ')}${renamed}`;
}

export function renderInspectText(r: InspectReport, file: FileFacts): string {
  const L: string[] = [];
  const row = (label: string, text: string) => L.push(`${label.padEnd(11)} ${text}`);
  row('File', `${file.path} (${file.form}, ${bytes(file.bytes)})`);
  if (r.header) {
    const h = r.header;
    const extra = typeof h.source === 'string' ? `; source: ${clip(h.source, 90)}` : '';
    row('Header', `format ${String(h.format)}${extra}`);
  } else {
    row('Header', 'none (a first line {"format":"dtao-snapshots/1",...} is optional)');
  }
  row('Snapshots', `${grouped(r.snapshots)} (${grouped(r.rows)} subnet rows)`);
  row('Blocks', `${grouped(r.blocks.first)} .. ${grouped(r.blocks.last)} (${grouped(r.blocks.span)} blocks)`);
  row('Time', `${r.time.first} .. ${r.time.last} (${duration(r.time.spanSeconds)})`);
  const cd = r.cadence;
  if (cd.intervals > 0) {
    row('Cadence', `median ${grouped(cd.medianBlocks!)} blocks / ${duration(cd.medianSeconds!)} between snapshots; shortest ${duration(cd.minSeconds!)}, longest ${duration(cd.maxSeconds!)}; ${cd.secondsPerBlock!.toFixed(3)} s per block overall`);
  } else {
    row('Cadence', 'one snapshot only');
  }
  const s = r.subnets;
  const churn = s.appearedCount === 0 && s.disappearedCount === 0
    ? 'none appear or disappear'
    : `${grouped(s.appearedCount)} appearance(s), ${grouped(s.disappearedCount)} disappearance(s) between consecutive snapshots`;
  row('Subnets', `${s.perSnapshotMin === s.perSnapshotMax ? s.perSnapshotMin : `${s.perSnapshotMin}..${s.perSnapshotMax}`} per snapshot; ${s.distinct} distinct netuids, ${s.inEverySnapshot} in every snapshot; ${churn}`);
  for (const a of s.appeared) L.push(`            + netuid ${a.netuid} appears at block ${grouped(a.block)} (${a.time})`);
  if (s.appearedCount > s.appeared.length) L.push(`            ... and ${grouped(s.appearedCount - s.appeared.length)} more appearances`);
  for (const d of s.disappeared) L.push(`            - netuid ${d.netuid} gone at block ${grouped(d.block)} (${d.time}; last seen at ${grouped(d.lastSeenBlock)})`);
  if (s.disappearedCount > s.disappeared.length) L.push(`            ... and ${grouped(s.disappearedCount - s.disappeared.length)} more disappearances`);
  const rn = r.renames;
  if (rn.netuidCount === 0) row('Names', 'no subnet changes name');
  else {
    row('Names', `${rn.netuidCount} netuid(s) change name (${rn.changeCount} change(s)); a new name often means the netuid was re-registered: treat it as a break in that subnet's series`);
    for (const x of rn.netuids) L.push(`            ${x.netuid}: ${x.changes.map((ch, k) => `${k === 0 ? JSON.stringify(ch.from) + ' -> ' : '-> '}${JSON.stringify(ch.to)} (block ${grouped(ch.block)})`).join(' ')}`);
    if (rn.netuidCount > rn.netuids.length) L.push(`            ... and ${rn.netuidCount - rn.netuids.length} more (--top to list more)`);
  }
  const present = r.fields.optional.filter((f) => f.count > 0).map((f) => `${f.field} ${coverage(f.coverage)}`);
  const absent = r.fields.optional.filter((f) => f.count === 0).map((f) => f.field);
  row('Fields', `required: ${r.fields.required.join(', ')}`);
  L.push(`            optional present: ${present.length ? present.join(', ') : 'none'}`);
  L.push(`            optional absent:  ${absent.length ? absent.join(', ') : 'none'}`);

  L.push('', 'Checks');
  const mark = (ok: boolean) => (ok ? '  ok  ' : '  FAIL');
  const g = r.checks.gaps;
  const gapWhat = g.thresholdSeconds === null ? 'no intervals to check' : `longer than ${duration(g.thresholdSeconds)}${g.auto ? ' (3 x the median interval)' : ''}`;
  L.push(`${mark(g.ok)}  gaps    ${g.count === 0 ? 'no gap' : `${grouped(g.count)} gap(s)`} ${gapWhat} [--max-gap]`);
  for (const f of g.findings) L.push(`          ${duration(f.seconds).padStart(20)}  blocks ${grouped(f.fromBlock)} -> ${grouped(f.toBlock)} (${grouped(f.blocks)} blocks)  ${f.fromTime} -> ${f.toTime}`);
  L.push(...more(g.count, g.findings.length));

  const p = r.checks.price;
  const range = p.minRatio === null ? '' : `; price / reserves ranges ${p.minRatio.toFixed(6)} .. ${p.maxRatio!.toFixed(6)}`;
  if (p.rowsWithPrice === 0) L.push(`${mark(p.ok)}  price   no row gives a price (the pool curve of the reserves is used)`);
  else L.push(`${mark(p.ok)}  price   ${grouped(p.count)} of ${grouped(p.rowsWithPrice)} rows give a price more than ${+(p.tolerance * 100).toFixed(4)}% away from their reserves' price${range} [--price-tolerance]`);
  for (const f of p.findings) L.push(`          netuid ${f.netuid} at block ${grouped(f.block)}: price ${f.price}, reserves ${f.reservesPrice.toPrecision(6)} (${f.ratio.toFixed(6)}x)`);
  L.push(...more(p.count, p.findings.length));

  const j = r.checks.jumps;
  L.push(`${mark(j.ok)}  jumps   ${j.count === 0 ? 'no' : grouped(j.count)} change(s) of tao_in or alpha_in over ${+(j.maxJump * 100).toFixed(4)}% between consecutive snapshots (not across gaps) [--max-jump]`);
  for (const f of j.findings) L.push(jumpLine(f));
  L.push(...more(j.count, j.findings.length));

  const k = r.checks.clock;
  L.push(`${mark(k.ok)}  clock   ${k.count === 0 ? 'every interval has' : `${grouped(k.count)} interval(s) outside`} ${k.secondsPerBlockRange[0]}..${k.secondsPerBlockRange[1]} s per block${k.count === 0 ? '; time always moves forward' : ' (time and block disagree)'}`);
  for (const f of k.findings) L.push(`          blocks ${grouped(f.fromBlock)} -> ${grouped(f.toBlock)}: ${f.seconds.toFixed(0)} s for ${grouped(f.blocks)} blocks (${f.secondsPerBlock.toFixed(2)} s per block)`);
  L.push(...more(k.count, k.findings.length));

  if (r.warnings.length) {
    L.push('', 'Reading notes');
    for (const w of r.warnings) L.push(`  - ${w}`);
  }
  const failed = [g, p, j, k].filter((c) => !c.ok).length;
  L.push('', failed === 0 ? 'Result: all 4 checks pass' : `Result: ${failed} of 4 checks fail`);
  return L.join('\n');
}
