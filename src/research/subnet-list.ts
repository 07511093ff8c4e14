/** A list of netuids as users write it: "1,3,64" or ranges "10-20", mixed. */
import { UserError } from '../core/errors.ts';

export function parseSubnetList(flag: string, text: string): number[] {
  const out = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UserError(`${flag} ${text}: "${part}" is not a netuid or a range (write e.g. 1,3,10-20)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UserError(`${flag} ${text}: the range ${part} runs backwards (write ${b}-${a})`);
    if (a < 1 || b > 65535) throw new UserError(`${flag} ${text}: netuids run from 1 to 65535 (root, netuid 0, is what every subnet is compared against)`);
    for (let n = a; n <= b; n++) out.add(n);
  }
  if (out.size === 0) throw new UserError(`${flag}: give at least one netuid, e.g. ${flag} 1,3,64`);
  return [...out].sort((x, y) => x - y);
}
