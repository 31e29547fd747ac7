import { describe, expect, it } from 'vitest';
import { HOUR_MS, parseLocalDate } from '../domain/local-time';
import type { Warning } from '../domain/warning';
import { warningEffect } from './warning-effect';

const OFFSET = 480;
const at = (date: string, hour: number, minute = 0) => (parseLocalDate(date, OFFSET) as number) + hour * HOUR_MS + minute * 60_000;

// In force from 2026-12-01 12:00 to 2026-12-03 09:30 (China time): three local dates.
const warning: Warning = {
  id: 7,
  kind: 'heavy_pollution',
  level: 'orange',
  basis: 'city_notice',
  districts: ['张店区', '临淄区'],
  issuedBy: 'ozone',
  issuedAt: at('2026-12-01', 11),
  startAt: at('2026-12-01', 12),
  plannedLiftAt: null,
  liftedAt: at('2026-12-03', 9, 30),
  liftedBy: 'ozone',
  status: 'lifted',
  note: null,
  history: [
    { at: at('2026-12-01', 11), by: 'ozone', event: 'issued', fromLevel: null, toLevel: 'orange', note: null },
    { at: at('2026-12-01', 12), by: 'system', event: 'started', fromLevel: null, toLevel: null, note: null },
    { at: at('2026-12-03', 9, 30), by: 'ozone', event: 'lifted', fromLevel: null, toLevel: null, note: null },
  ],
  version: 3,
};

describe('the effect report of a lifted warning (hand computed)', () => {
  const effect = warningEffect({
    warning,
    utcOffsetMinutes: OFFSET,
    forecasts: [
      { date: '2026-11-30', iaqi: 40, aqi: 300 }, // before: not in the report
      { date: '2026-12-01', iaqi: 40, aqi: 210 },
      { date: '2026-12-02', iaqi: 40, aqi: null, pm25: 180 }, // PM2.5 180 µg/m³ → IAQI 230
      { date: '2026-12-03', iaqi: 40, aqi: 160 },
    ],
    observedDaily: [
      { date: '2026-12-01', aqi: 240 },
      { date: '2026-12-02', aqi: null },
      { date: '2026-12-03', aqi: 150 },
    ],
    observedHourly: [
      { district: '张店区', time: at('2026-12-01', 11), aqi: 300 }, // before the start
      { district: '张店区', time: at('2026-12-01', 12), aqi: 250 },
      { district: '张店区', time: at('2026-12-01', 13), aqi: 201 },
      { district: '张店区', time: at('2026-12-01', 14), aqi: 200 }, // 200 is not heavy
      { district: '张店区', time: at('2026-12-03', 9), aqi: 220 }, // the lift's hour counts
      { district: '张店区', time: at('2026-12-03', 10), aqi: 260 }, // after the lift
      { district: '临淄区', time: at('2026-12-02', 0), aqi: null },
      { district: '临淄区', time: at('2026-12-02', 1), aqi: 199 },
      { district: '周村区', time: at('2026-12-02', 1), aqi: 320 }, // not in scope
    ],
    notices: [],
  });

  it('forecast against observed AQI for each day in force, and their means over the days having both', () => {
    expect(effect.period.dates).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(effect.days).toEqual([
      { date: '2026-12-01', forecast: 210, observed: 240, difference: 30 },
      { date: '2026-12-02', forecast: 230, observed: null, difference: null },
      { date: '2026-12-03', forecast: 160, observed: 150, difference: -10 },
    ]);
    // (210 + 160) / 2 and (240 + 150) / 2.
    expect(effect.means).toEqual({ forecast: 185, observed: 195 });
  });

  it('heavy-pollution hours (hour AQI > 200) per district in scope, within the period', () => {
    expect(effect.heavyHours).toEqual([
      { district: '张店区', heavyHours: 3, hoursWithData: 4, peak: 250 },
      { district: '临淄区', heavyHours: 0, hoursWithData: 1, peak: 199 },
    ]);
    expect(effect.heavyHoursTotal).toBe(3);
  });

  it('the timeline is the history; compliance is the response’s, added by the route (complianceOf)', () => {
    expect(effect.timeline.map((e) => e.event)).toEqual(['issued', 'started', 'lifted']);
    expect(effect.compliance).toEqual({ available: false });
    expect(effect.period).toMatchObject({ from: warning.startAt, to: warning.liftedAt });
  });

  it('an ozone warning compares the O3 IAQI forecast', () => {
    const o3 = warningEffect({
      warning: { ...warning, kind: 'ozone' },
      utcOffsetMinutes: OFFSET,
      forecasts: [{ date: '2026-12-01', iaqi: 170, aqi: 210 }],
      observedDaily: [{ date: '2026-12-01', aqi: 160 }],
      observedHourly: [],
      notices: [],
    });
    expect(o3.days[0]).toEqual({ date: '2026-12-01', forecast: 170, observed: 160, difference: -10 });
    expect(o3.means).toEqual({ forecast: 170, observed: 160 });
    expect(o3.heavyHours).toEqual([
      { district: '张店区', heavyHours: 0, hoursWithData: 0, peak: null },
      { district: '临淄区', heavyHours: 0, hoursWithData: 0, peak: null },
    ]);
  });
});
