import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addDays, parseLocalDate } from '../domain/local-time';
import type { Warning } from '../domain/warning';
import { ozoneRulesSchema } from './ozone-rules';
import { warningProposals, type ProposalForecast } from './warning-proposals';

// The shipped rule file is the configuration under test.
const rules = ozoneRulesSchema.parse(parse(readFileSync(resolve(import.meta.dirname, '../../config/rules/ozone.yaml'), 'utf8')));
const TODAY = '2026-12-04';
const OFFSET = 480;
const NOW = (parseLocalDate(TODAY, OFFSET) as number) + 10 * 3_600_000; // 10:00 local
/** Day AQI from today (null: no AQI that day); O3 IAQI low throughout. */
const aqiDays = (aqis: (number | null)[]): ProposalForecast[] => aqis.map((aqi, i) => ({ date: addDays(TODAY, i), iaqi: 40, aqi }));
const propose = (forecasts: ProposalForecast[], warnings: Warning[] = []) =>
  warningProposals({ forecasts, today: TODAY, now: NOW, utcOffsetMinutes: OFFSET, warnings }, rules);

describe('heavy-pollution proposals from forecast day AQI (config/rules/ozone.yaml warnings.heavyPollution)', () => {
  it.each<[string, (number | null)[], string | null, number | null]>([
    ['no forecast', [], null, null],
    ['AQI exactly 200 is not heavy', [200, 200, 200], null, null],
    ['one day > 200: yellow', [150, 210, 120], 'yellow', 1],
    ['two days > 200: orange', [210, 230, 120], 'orange', 2],
    ['a missing day breaks the run', [210, null, 230], 'yellow', 1],
    ['three days > 200 without one > 300: orange', [210, 230, 250], 'orange', 3],
    ['three days > 200 with one > 300: red', [210, 320, 250], 'red', 3],
    ['day 10 is still in the horizon', [50, 50, 50, 50, 50, 50, 50, 50, 210, 220], 'orange', 2],
    ['day 11 is not', [50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 250, 260], null, null],
  ])('%s', (_what, aqis, level, days) => {
    const p = propose(aqiDays(aqis)).items.find((i) => i.kind === 'heavy_pollution');
    expect(p?.level ?? null).toBe(level);
    expect(p?.run.days ?? null).toBe(days);
  });

  it('takes the PM2.5 24-h IAQI where a day has no AQI (150 µg/m³ is IAQI 200, 151 above)', () => {
    const fs = [
      { date: TODAY, iaqi: 40, pm25: 151 },
      { date: addDays(TODAY, 1), iaqi: 40, pm25: 180 },
    ];
    expect(propose(fs).items).toMatchObject([{ kind: 'heavy_pollution', level: 'orange', peak: 230 }]);
    expect(propose([{ date: TODAY, iaqi: 40, pm25: 150 }]).items).toEqual([]);
  });

  it('suggests the start (now, when the run began today) and the lift (00:00 after the run), with the peak', () => {
    const [p] = propose(aqiDays([120, 210, 260])).items;
    expect(p).toMatchObject({ level: 'orange', basis: 'own_forecast', peak: 260, run: { from: addDays(TODAY, 1), to: addDays(TODAY, 2) } });
    expect(p?.startAt).toBe(parseLocalDate(addDays(TODAY, 1), OFFSET));
    expect(p?.plannedLiftAt).toBe(parseLocalDate(addDays(TODAY, 3), OFFSET));
    expect(propose(aqiDays([210, 260])).items[0]?.startAt).toBe(NOW);
  });
});

describe('ozone proposals from forecast O3 IAQI (the levels of GET /api/ozone/warning)', () => {
  it('proposes what the ozone warning implies', () => {
    const fs = [160, 210, 170, 155].map((iaqi, i) => ({ date: addDays(TODAY, i), iaqi }));
    expect(propose(fs).items).toMatchObject([{ kind: 'ozone', level: 'orange', run: { days: 4 }, peak: 210 }]);
  });
});

describe('a proposal an open warning already covers', () => {
  const open = (level: Warning['level'], status: Warning['status']) => ({ kind: 'heavy_pollution', level, status }) as Warning;
  it.each<[string, Warning[], boolean]>([
    ['no warning', [], false],
    ['a lower open warning', [open('yellow', 'in_force')], false],
    ['the same level in force', [open('orange', 'in_force')], true],
    ['a higher level issued', [open('red', 'issued')], true],
    ['a lifted one does not cover', [open('red', 'lifted')], false],
    ['another kind does not cover', [{ ...open('red', 'in_force'), kind: 'ozone' }], false],
  ])('%s → covered %s', (_what, warnings, covered) => {
    expect(propose(aqiDays([210, 230]), warnings).items[0]?.covered).toBe(covered);
  });
});
