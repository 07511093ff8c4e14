/** A compare as the HTML report's input (see src/report/html/input.ts). */
import type { HtmlReportInput } from '../../report/html/input.ts';
import type { CompareOutcome } from './compare.ts';

/** Subnets per horizon whose windows the page's excess-over-time chart draws (the best ones). */
export const TIMING_SUBNETS = 5;

export function compareHtmlInput(outcome: CompareOutcome): HtmlReportInput {
  const r = outcome.report;
  const d = r.data;
  const names: Record<string, string> = {};
  for (const h of r.horizons) for (const s of h.subnets) if (s.name) names[String(s.netuid)] = s.name;
  const drawn = new Set(r.horizons.flatMap((h) => h.subnets.filter((s) => s.windows > 0).slice(0, TIMING_SUBNETS).map((s) => `${h.horizon}|${s.netuid}`)));
  return {
    title: 'Root or alpha? Subnet comparison',
    subtitle: [
      `${d.file} · ${d.snapshots} snapshots · ${d.subnets} subnets · ${d.from_time} → ${d.to_time}`,
      `${r.config.amount} TAO per leg · horizons ${r.config.horizons.join(', ')} · entry and exit through the pool, fees and slippage included`,
    ],
    runs: [],
    subnetNames: names,
    compare: {
      amount: r.config.amount,
      outlookAt: r.outlook_at,
      horizons: r.horizons,
      windows: outcome.windows.filter((w) => w.excess !== null && drawn.has(`${w.horizon}|${w.netuid}`)).map((w) => ({ horizon: w.horizon, netuid: w.netuid, start_ms: w.start_ms, excess: w.excess })),
    },
    notes: [r.windows_rule, ...r.assumptions.map((a) => `assumed: ${a}`), ...r.warnings.map((w) => `data: ${w}`)],
  };
}
