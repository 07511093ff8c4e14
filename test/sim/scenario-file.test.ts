import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { loadScenario, parseScenario } from '../../src/sim/scenario.ts';
import { scenarioFile, smallMarket } from './helpers.ts';

function errorOf(text: string): string {
  try {
    parseScenario(text, 'my.json');
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

const good = JSON.stringify(smallMarket(), null, 2);

describe('scenario files: bad input is a UserError with file:line: field', () => {
  it('names an unknown field and its line', () => {
    const text = good.replace('"miner_burn"', '"miner_burnt"');
    const line = text.split('\n').findIndex((l) => l.includes('miner_burnt')) + 1;
    expect(errorOf(text)).toBe(`my.json:${line}: groups[0].miner_burnt: unknown field "miner_burnt" (see docs/simulator.md for the fields a scenario may have)`);
  });

  it('names a value of the wrong kind', () => {
    const text = good.replace('"drift": [\n          -0.003,\n          0.003\n        ]', '"drift": "up"');
    const line = text.split('\n').findIndex((l) => l.includes('"drift": "up"')) + 1;
    expect(errorOf(text)).toBe(`my.json:${line}: groups[0].flows.drift: expected a number or a [low, high] pair of numbers`);
  });

  it('refuses a range written high to low', () => {
    const text = good.replace('"pool_tao": [\n        2000,\n        40000\n      ]', '"pool_tao": [40000, 2000]');
    expect(errorOf(text)).toMatch(/^my\.json:\d+: groups\[0\]\.pool_tao: low 40000 is above high 2000; write \[low, high\]$/);
  });

  it('refuses a bad amount, a missing registration group and JSON syntax errors', () => {
    expect(errorOf(good.replace('"root_stake": "4500000"', '"root_stake": "4.5e6"'))).toMatch(/chain\.root_stake: .*write a plain decimal TAO amount/);
    const reg = JSON.stringify(smallMarket({ registrations: { group: 'nope', every_days: 2 } }), null, 2);
    expect(errorOf(reg)).toMatch(/registrations\.group: no group named "nope" \(groups: est\)/);
    expect(errorOf('{\n  "description": "x",\n  "subnets": 3,\n}')).toMatch(/^my\.json:4: not valid JSON/);
    expect(errorOf('{"description": "x", "subnets": 3}')).toMatch(/^my\.json:1: groups: /);
  });

  it('needs price or pool_alpha_share, a share in (0, 1), an age to take it of, and a price for registrations', () => {
    const est = (smallMarket().groups as Record<string, unknown>[])[0]!;
    const text = (extra: Record<string, unknown>, top: Record<string, unknown> = {}) =>
      JSON.stringify(smallMarket({ groups: [{ ...est, price: undefined, ...extra }], ...top }), null, 2);
    const lineOf = (t: string, needle: string) => t.split('\n').findIndex((l) => l.includes(needle)) + 1;

    const neither = text({});
    expect(errorOf(neither)).toBe(`my.json:${lineOf(neither, '"name": "est"') - 1}: groups[0]: give price (TAO per alpha) or pool_alpha_share (the share of the alpha issued by the subnet's age that sits in its pool)`);
    const whole = text({ pool_alpha_share: 1 });
    expect(errorOf(whole)).toBe(`my.json:${lineOf(whole, '"pool_alpha_share"')}: groups[0].pool_alpha_share: expected a share of the issued alpha above 0 and below 1, e.g. [0.3, 0.6]`);
    expect(errorOf(text({ pool_alpha_share: [0.3, 0.5], age_days: [0, 100] }))).toMatch(/groups\[0\]\.age_days: a subnet of age 0 has issued no alpha for pool_alpha_share to take a share of; give an age above 0, or give price instead$/);
    expect(errorOf(text({ pool_alpha_share: [0.3, 0.5] }, { registrations: { group: 'est', every_days: 2 } }))).toMatch(/registrations\.group: group "est" has no price; a newly registered subnet has no history to take a pool_alpha_share of, so give that group a price$/);
    expect(parseScenario(text({ pool_alpha_share: [0.3, 0.5] }), 'my.json').groups[0]!.poolAlphaShare).toEqual([0.3, 0.5]);
  });

  it('loads a scenario from a path as well as by name', () => {
    const path = scenarioFile(smallMarket(), 'my-market');
    const s = loadScenario(path);
    expect(s.name).toBe('my-market');
    expect(s.groups[0]!.flows.momentumDays).toBe(3);
    expect(s.chain.rootStake).toBe(4_500_000_000_000_000n);
    expect(() => loadScenario('./missing.json')).toThrow(/scenario file not found: \.\/missing\.json/);
  });
});
