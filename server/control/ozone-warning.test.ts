import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addDays } from '../domain/local-time';
import { ozoneRulesSchema } from './ozone-rules';
import { ozoneWarning } from './ozone-warning';

// The shipped rule file is the configuration under test.
const rules = ozoneRulesSchema.parse(parse(readFileSync(resolve(import.meta.dirname, '../../config/rules/ozone.yaml'), 'utf8')));
const TODAY = '2026-07-10';
/** IAQI per day from today; null: no forecast that day. */
const days = (iaqis: (number | null)[]) => iaqis.flatMap((iaqi, i) => (iaqi === null ? [] : [{ date: addDays(TODAY, i), iaqi }]));

describe('ozone warning level from forecast IAQI (DOMAIN §7)', () => {
  it.each<[string, (number | null)[], string | null, number | null]>([
    ['no forecasts', [], null, null],
    ['two days > 150', [160, 170, 120], null, null],
    ['exactly 150 does not count', [150, 150, 150, 150], null, null],
    ['yellow: 3 days > 150', [151, 160, 170, 100], 'yellow', 3],
    ['yellow: 4 days > 150 but none > 200', [160, 170, 180, 190], 'yellow', 4],
    ['a missing day breaks the run', [160, 170, null, 180, 190], null, null],
    ['a run starting later in the horizon', [90, 100, 160, 170, 180], 'yellow', 3],
    ['orange: 4 days > 150 with one > 200', [160, 210, 170, 155], 'orange', 4],
    ['orange needs 4 days: 3 days with one > 200 is yellow', [160, 210, 170, 100], 'yellow', 3],
    ['red: 3 days > 200', [201, 230, 250], 'red', 3],
    ['red wins over orange', [160, 210, 220, 230, 170], 'red', 3],
    ['beyond the 7-day horizon is not looked at', [100, 100, 100, 100, 100, 100, 160, 170, 180], null, null],
  ])('%s', (_what, iaqis, level, runDays) => {
    const w = ozoneWarning(days(iaqis), TODAY, rules.warning);
    expect(w.level).toBe(level);
    expect(w.run?.days ?? null).toBe(runDays);
  });

  it('ignores forecasts before today and reports the horizon', () => {
    const w = ozoneWarning([{ date: addDays(TODAY, -1), iaqi: 300 }, ...days([160, 170, 180])], TODAY, rules.warning);
    expect(w).toMatchObject({ level: 'yellow', run: { from: TODAY, to: '2026-07-12' }, horizon: { from: TODAY, to: '2026-07-16' } });
    expect(w.days).toHaveLength(3);
  });

  it('thresholds are configurable', () => {
    const strict = { ...rules.warning, levels: { ...rules.warning.levels, yellow: { above: 100, days: 2 } } };
    expect(ozoneWarning(days([120, 130]), TODAY, strict).level).toBe('yellow');
  });
});
