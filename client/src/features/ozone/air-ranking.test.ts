import { describe, expect, it } from 'vitest';
import type { AqiRow } from '../../api/air';
import { isAqiResponse } from '../../api/air';
import { rankStations } from './air-ranking';

const row = (id: string, name: string, time: number, aqi: number | null): AqiRow => ({
  scope: 'station',
  id,
  name,
  district: '张店区',
  time,
  label: '2026-12-04 10:00',
  aqi,
  level: aqi === null ? null : { level: 3, zh: '轻度污染', en: 'Lightly polluted', colour: '#FF7E00' },
  primary: aqi !== null && aqi > 50 ? ['pm25_1h'] : [],
  pollutants: { pm25_1h: { value: 90, iaqi: aqi, valid: aqi !== null, count: 1 } },
  complete: false,
  stations: 1,
});

describe('station ranking', () => {
  it('takes each station’s latest hour with an AQI, worst first, stations without one last', () => {
    const ranked = rankStations([
      row('a', '人民公园站', 1, 80),
      row('a', '人民公园站', 2, 120),
      row('a', '人民公园站', 3, null), // the newest hour is not valid: the one before counts
      row('b', '临淄大化站', 3, 150),
      row('c', '周村东站', 3, null),
    ]);
    expect(ranked.map((r) => [r.id, r.aqi, r.time])).toEqual([
      ['b', 150, 3],
      ['a', 120, 2],
      ['c', null, 3],
    ]);
  });

  it('checks the answer’s shape', () => {
    const body = { scope: 'station', interval: 'hour', from: '2026-12-04', to: '2026-12-04', rows: [row('a', 'x', 1, 60)] };
    expect(isAqiResponse(body)).toBe(true);
    expect(isAqiResponse({ ...body, rows: [{ ...row('a', 'x', 1, 60), primary: ['pm1'] }] })).toBe(false);
    expect(isAqiResponse({ ...body, scope: 'county' })).toBe(false);
  });
});
