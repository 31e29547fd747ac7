import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addDays } from '../domain/local-time';
import { ozoneRulesSchema } from './ozone-rules';
import { frequentWarningOutlook, isContinuousProcess } from './prenotice-outlook';
import type { ProposalForecast } from './warning-proposals';

// The shipped rule file: orange = AQI > 200 on ≥ 2 consecutive days (red: ≥ 3 with one > 300);
// frequent = ≥ 2 such episodes or ≥ 4 days in them within 10 days.
const rules = ozoneRulesSchema.parse(parse(readFileSync(resolve(import.meta.dirname, '../../config/rules/ozone.yaml'), 'utf8')));
const TODAY = '2026-12-04';
const days = (aqis: (number | null)[]): ProposalForecast[] => aqis.map((aqi, i) => ({ date: addDays(TODAY, i), iaqi: 40, aqi }));
const outlook = (aqis: (number | null)[]) => frequentWarningOutlook(days(aqis), TODAY, rules.warnings);

describe('frequent orange-or-worse outlook (config warnings.preNotice)', () => {
  it.each<[string, (number | null)[], number, number, boolean]>([
    ['no forecast', [], 0, 0, false],
    ['one day > 200 is no episode (orange needs 2)', [210, 100, 220, 100], 0, 0, false],
    ['one 2-day episode: not frequent', [210, 220, 100], 1, 2, false],
    ['two 2-day episodes: frequent', [210, 220, 100, 100, 230, 240], 2, 4, true],
    ['one 4-day episode: frequent by days', [210, 220, 230, 240, 100], 1, 4, true],
    ['one 3-day episode: 3 days, not frequent', [210, 220, 230, 100], 1, 3, false],
    ['a missing day splits a run', [210, 220, null, 230, 240], 2, 4, true],
    ['AQI exactly 200 does not count', [200, 200, 200, 200, 200], 0, 0, false],
    ['day 10 counts, day 11 not', [50, 50, 50, 50, 50, 50, 50, 210, 220, 230, 240], 1, 3, false],
    ['PM2.5 stands in for a missing AQI (180 µg/m³ → IAQI 230)', [210, null], 1, 2, false],
  ])('%s', (_, aqis, episodes, qualifying, frequent) => {
    const f = days(aqis);
    if (_.startsWith('PM2.5')) (f[1] as ProposalForecast).pm25 = 180;
    const o = frequentWarningOutlook(f, TODAY, rules.warnings);
    expect({ episodes: o.episodes.length, qualifying: o.qualifyingDays, frequent: o.frequent }).toEqual({ episodes, qualifying, frequent });
  });

  it('describes each episode with its level and peak, and the horizon', () => {
    const o = outlook([210, 320, 250, 100, 205, 215]);
    expect(o.horizon).toEqual({ from: TODAY, to: '2026-12-13' });
    expect(o.rule).toEqual({ minEpisodes: 2, minDays: 4 });
    expect(o.episodes).toEqual([
      { from: '2026-12-04', to: '2026-12-06', days: 3, peak: 320, level: 'red' },
      { from: '2026-12-08', to: '2026-12-09', days: 2, peak: 215, level: 'orange' },
    ]);
    expect(o.qualifyingDays).toBe(5);
    expect(o.frequent).toBe(true);
  });
});

describe('continuous-process industries (GB/T 4754 prefixes)', () => {
  it.each<[string | undefined, boolean]>([
    ['C3120', true], // 炼钢 under C31
    ['3120', true], // without the letter
    ['C2521', true], // 炼焦
    ['C3011', true], // 水泥
    ['C3041', true], // 平板玻璃 under C304
    ['C2614', true], // 有机化学原料 under C26
    ['D4411', false], // 火力发电
    ['C3021', false], // 水泥制品: not C3011
    ['C36', false],
    [undefined, false],
  ])('%s → %s', (code, yes) => {
    expect(isContinuousProcess(code, rules.warnings.preNotice.industries)).toBe(yes);
  });
});
