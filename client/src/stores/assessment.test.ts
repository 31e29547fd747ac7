import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultForm, periodText, useAssessmentStore, type PeriodForm } from './assessment';

const form = (over: Partial<PeriodForm>): PeriodForm => ({ ...defaultForm('2026-12-04'), ...over });
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const stat = { value: 93, validDays: 3, valid: true };
const figures = {
  days: 3,
  validDays: 3,
  goodDays: 1,
  heavyDays: 0,
  goodPct: 33.33,
  heavyPct: 0,
  minValidDays: 3,
  stats: { pm25: stat, pm10: stat, so2: stat, no2: stat, co: stat, o3: stat },
};
const response = (scope: string) => ({
  period: { kind: 'autumn-winter', id: 'aw-2026', from: '2026-10-01', to: '2027-03-31' },
  scope,
  through: '2026-12-03',
  previous: { from: '2025-10-01', to: '2025-12-03' },
  composite: 'pm25',
  rows: [
    {
      id: 'city',
      name: '淄博市',
      district: null,
      stations: 3,
      figures,
      previous: null,
      change: null,
      targets: { goodDaysPct: 85, heavyDaysPct: 0.65 },
      checks: [{ key: 'goodDays', target: 85, actual: 33.33, pass: false }],
      autumnWinter: null,
      rank: null,
      behindSchedule: false,
    },
  ],
});

describe('assessment periods', () => {
  it.each([
    [{ kind: 'year' as const, year: '2026' }, '2026'],
    [{ kind: 'autumn-winter' as const, awYear: '2026' }, 'aw-2026'],
    [{ kind: 'month' as const, month: '2026-11' }, '2026-11'],
    [{ kind: 'range' as const, from: '2026-10-01', to: '2026-12-04' }, '2026-10-01..2026-12-04'],
    [{ kind: 'range' as const, from: '2026-12-05', to: '2026-12-04' }, null],
    [{ kind: 'range' as const, from: '2025-01-01', to: '2026-12-04' }, null],
    [{ kind: 'year' as const, year: '' }, null],
  ])('%j → %s', (over, want) => expect(periodText(form(over))).toBe(want));

  it('opens on the autumn–winter period from October to March, else the year', () => {
    expect(defaultForm('2026-12-04')).toMatchObject({ kind: 'autumn-winter', awYear: '2026' });
    expect(defaultForm('2027-02-10')).toMatchObject({ kind: 'autumn-winter', awYear: '2026' });
    expect(defaultForm('2026-06-10')).toMatchObject({ kind: 'year', year: '2026' });
  });
});

describe('assessment store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('asks for the city and the districts of the chosen period', async () => {
    const s = useAssessmentStore();
    Object.assign(s.form, { kind: 'autumn-winter', awYear: '2026' });
    const asked: string[] = [];
    await s.load(async (url) => {
      asked.push(String(url));
      return json(response(String(url).includes('scope=city') ? 'city' : 'district'));
    });
    expect(asked.sort()).toEqual(['/api/air/assessment?period=aw-2026&scope=city', '/api/air/assessment?period=aw-2026&scope=district']);
    expect(s.city?.rows[0]?.figures.goodPct).toBe(33.33);
    expect(s.error).toBeNull();
  });

  it('a malformed answer is an error, not data', async () => {
    const s = useAssessmentStore();
    await s.load(async () => json({ rows: 'x' }));
    expect(s.city).toBeNull();
    expect(s.error).not.toBeNull();
  });
});
