import { ALERT_STATES, SEVERITIES, SUPPRESSIONS } from '@domain/alert';
import { SOURCE_STATUSES } from '@domain/events';
import { DATA_FLAGS } from '@domain/reading';
import { SOURCE_KINDS } from '@domain/source-kinds';
import { describe, expect, it } from 'vitest';
import { makeAlert, makeLatest, makeSource } from '../testing/fixtures';
import { isForecast, isWarning } from './control-guards';
import { isAlert, isLatestValues, isSeriesPoint, isSourceView } from './guards';

const without = (o: object, key: string): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

describe('client guards check every field of the domain type', () => {
  it.each(Object.keys(makeAlert()))('an alert without %s is refused', (key) => {
    expect(isAlert(makeAlert())).toBe(true);
    expect(isAlert(without(makeAlert(), key))).toBe(false);
  });

  it.each([
    ['severity', 'urgent'],
    ['state', 'open'],
    ['suppressed', 'muted'],
    ['peak', '9.6'],
    ['acknowledgedBy', 7],
    ['evidence', { samples: [1, 2] }],
    ['evidence', 'flag'],
    ['evidence', { nearby: [{ name: '喷涂线排口', km: [0.57] }] }],
  ])('an alert with %s = %j is refused', (key, value) => {
    expect(isAlert({ ...makeAlert(), [key]: value })).toBe(false);
  });

  it('an alert whose evidence holds tables (a hotspot’s hours and sources) is accepted', () => {
    const evidence = {
      cityMean: 186,
      hours: [{ hour: 1, value: 350, cityMean: 186 }],
      nearby: [{ name: '喷涂线排口', km: 0.57, upwind: null }],
    };
    expect(isAlert(makeAlert({ evidence }))).toBe(true);
  });

  it('the allowed values are the domain’s lists', () => {
    for (const severity of SEVERITIES) expect(isAlert(makeAlert({ severity }))).toBe(true);
    for (const state of ALERT_STATES) expect(isAlert(makeAlert({ state }))).toBe(true);
    for (const suppressed of [...SUPPRESSIONS, null]) expect(isAlert(makeAlert({ suppressed }))).toBe(true);
    for (const status of SOURCE_STATUSES) expect(isSourceView(makeSource({ status }))).toBe(true);
    for (const kind of SOURCE_KINDS) expect(isSourceView(makeSource({ kind }))).toBe(true);
    for (const flag of DATA_FLAGS) expect(isLatestValues(makeLatest({ factors: { a21002: { rtd: 1, flag } } }))).toBe(true);
  });

  it.each([
    ['kind', 'boiler'],
    ['lat', null],
    ['district', undefined],
    ['latest', makeLatest({ cn: '9999' as never })],
    ['latest', makeLatest({ factors: { a21002: { rtd: 1, flag: 'X' as never } } })],
    ['latest', makeLatest({ factors: { a21002: { rtd: '1' as never, flag: 'N' } } })],
  ])('a source with %s = %j is refused', (key, value) => {
    expect(isSourceView({ ...makeSource(), [key]: value })).toBe(false);
  });

  it.each([
    [{ ts: 1, rtd: 5, flag: 'N' }, true],
    [{ ts: 1, avg: 5, zs: 6, flag: 'D' }, true],
    [{ ts: 1, rtd: 5 }, false],
    [{ ts: 1, rtd: 5, flag: 'Q' }, false],
    [{ ts: 1, zs: 'x', flag: 'N' }, false],
    [{ rtd: 5, flag: 'N' }, false],
  ])('series point %j → %s', (point, ok) => {
    expect(isSeriesPoint(point)).toBe(ok);
  });

  it('forecasts and warnings: every field, warning levels from the domain', () => {
    const level = { level: 3, zh: '轻度污染', en: 'Lightly polluted', colour: '#FF7E00' };
    const forecast = {
      date: '2026-07-02',
      o3_8h: 170,
      iaqi: 110,
      aqi: 230,
      pm25: null,
      note: null,
      recordedBy: 'ozone',
      recordedAt: 1,
      level,
    };
    expect(isForecast(forecast)).toBe(true);
    expect(isForecast(without(forecast, 'recordedBy'))).toBe(false);
    expect(isForecast(without(forecast, 'aqi'))).toBe(false);
    expect(isForecast({ ...forecast, pm25: 'high' })).toBe(false);
    const horizon = { from: '2026-07-01', to: '2026-07-07' };
    const warning = { level: 'orange', run: { from: '2026-07-01', to: '2026-07-04', days: 4 }, days: [], horizon };
    expect(isWarning(warning)).toBe(true);
    expect(isWarning({ ...warning, level: 'purple' })).toBe(false);
    expect(isWarning({ ...warning, run: { from: '2026-07-01' } })).toBe(false);
  });
});
