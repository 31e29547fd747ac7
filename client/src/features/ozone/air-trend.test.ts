import { describe, expect, it } from 'vitest';
import type { AqiRow } from '../../api/air';
import { LEVEL_LINES, trendSeries } from './air-trend';

const row = (scope: 'city' | 'district', name: string, label: string, time: number, aqi: number | null): AqiRow => ({
  scope,
  id: scope === 'city' ? 'city' : name,
  name,
  district: scope === 'city' ? null : name,
  time,
  label,
  aqi,
  level: null,
  primary: [],
  pollutants: {},
  complete: false,
  stations: 1,
});

describe('city and district AQI trends', () => {
  it('lines up the city first, then the districts by name (pinyin), on the local hours any of them has', () => {
    const trend = trendSeries(
      [
        row('district', '临淄区', '2026-12-04 10:00', 10, 130),
        row('city', '淄博市', '2026-12-04 09:00', 9, 80),
        row('city', '淄博市', '2026-12-04 10:00', 10, 100),
        row('district', '张店区', '2026-12-04 09:00', 9, 70),
        row('district', '张店区', '2026-12-04 10:00', 10, null),
      ],
      'hour',
    );
    expect(trend.labels).toEqual(['12-04 09:00', '12-04 10:00']);
    expect(trend.lines).toEqual([
      { id: 'city', scope: 'city', name: '淄博市', values: [80, 100] },
      { id: '临淄区', scope: 'district', name: '临淄区', values: [null, 130] },
      { id: '张店区', scope: 'district', name: '张店区', values: [70, null] },
    ]);
  });

  it('labels days by their local date, in order across a year’s end', () => {
    const trend = trendSeries([row('city', '淄博市', '2027-01-01', 2, 60), row('city', '淄博市', '2026-12-31', 1, 55)], 'day');
    expect(trend.labels).toEqual(['2026-12-31', '2027-01-01']);
    expect(trend.lines[0]?.values).toEqual([55, 60]);
  });

  it('draws a line at the top of each level but the last, in its colour', () => {
    expect(LEVEL_LINES.map((l) => [l.value, l.level])).toEqual([
      [50, 1],
      [100, 2],
      [150, 3],
      [200, 4],
      [300, 5],
    ]);
    expect(LEVEL_LINES[0]?.colour).toBe('#00E400');
  });
});
