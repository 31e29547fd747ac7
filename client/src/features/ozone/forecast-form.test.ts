import { describe, expect, it } from 'vitest';
import { type ForecastForm, forecastEntry, forecastFieldOf, impliedIaqi, validateForecast } from './forecast-form';

const form = (over: Partial<ForecastForm> = {}): ForecastForm => ({ date: '2026-07-02', mode: 'o3_8h', value: '170', note: '', ...over });

describe('forecast form', () => {
  it.each<[Partial<ForecastForm>, ReturnType<typeof validateForecast>]>([
    [{}, {}],
    [{ date: '' }, { date: 'required' }],
    [{ value: '' }, { value: 'required' }],
    [{ value: 'abc' }, { value: 'notNumber' }],
    [{ value: '-1' }, { value: 'negative' }],
    [{ value: '801' }, { value: 'o3TooHigh' }],
    [{ mode: 'iaqi', value: '120.5' }, { value: 'iaqiWhole' }],
    [{ mode: 'iaqi', value: '501' }, { value: 'iaqiRange' }],
    [{ mode: 'iaqi', value: '500' }, {}],
    [{ note: 'x'.repeat(501) }, { note: 'noteTooLong' }],
  ])('%o → %o', (over, expected) => {
    expect(validateForecast(form(over))).toEqual(expected);
  });

  it.each<[Partial<ForecastForm>, number | null, number | null]>([
    // O3-8h breakpoints 0/100/160/215/265/800 at IAQI 0/50/100/150/200/300, carried up.
    [{ value: '100' }, 50, 1],
    [{ value: '160' }, 100, 2],
    [{ value: '170' }, 110, 3],
    [{ value: '215' }, 150, 3],
    [{ value: '216' }, 151, 4],
    [{ value: '270' }, 201, 5],
    [{ mode: 'iaqi', value: '320' }, 320, 6],
    [{ value: '' }, null, null],
    [{ value: '900' }, null, null],
  ])('%o implies IAQI %s, level %s', (over, iaqi, level) => {
    const r = impliedIaqi(form(over));
    expect(r?.iaqi ?? null).toBe(iaqi);
    expect(r?.level.level ?? null).toBe(level);
  });

  it('builds the body with exactly one of o3_8h and iaqi', () => {
    expect(forecastEntry(form({ note: ' 午后偏高 ' }))).toEqual({ date: '2026-07-02', o3_8h: 170, note: '午后偏高' });
    expect(forecastEntry(form({ mode: 'iaqi', value: '151' }))).toEqual({ date: '2026-07-02', iaqi: 151 });
  });

  it.each([
    ['o3_8h', 'value'],
    ['iaqi', 'value'],
    ['date', 'date'],
    ['rows', null],
    [null, null],
  ])('server field %s → form field %s', (server, field) => {
    expect(forecastFieldOf(server)).toBe(field);
  });
});
