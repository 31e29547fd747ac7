import { describe, expect, it } from 'vitest';
import type { AqiRow } from '../../api/air';
import type { AqiLevelView } from '@domain/air-quality';
import { NO_DATA_COLOUR, stationPoints, stationTooltip, type StationPoint } from './air-map';

const ORANGE: AqiLevelView = { level: 3, zh: '轻度污染', en: 'Lightly polluted', colour: '#FF7E00' };
const RED: AqiLevelView = { level: 4, zh: '中度污染', en: 'Moderately polluted', colour: '#FF0000' };
const row = (id: string, time: number, aqi: number | null, level = ORANGE): AqiRow => ({
  scope: 'station',
  id,
  name: `row-${id}`,
  district: '张店区',
  time,
  label: `2026-12-04 ${String(time).padStart(2, '0')}:00`,
  aqi,
  level: aqi === null ? null : level,
  primary: aqi !== null && aqi > 50 ? ['pm25_1h'] : [],
  pollutants: {},
  complete: false,
  stations: 1,
});
const station = (mn: string, name: string, lon: number, lat: number) => ({ mn, name, district: '张店区', lon, lat });

describe('station points on the air-quality map', () => {
  it('colours each station by its latest hour with an AQI; a station without one is grey, without data', () => {
    const points = stationPoints(
      [station('a', '人民公园站', 118.05, 36.8), station('b', '临淄大化站', 118.31, 36.82), station('c', '周村东站', 117.88, 36.8)],
      [row('a', 9, 120), row('a', 10, 160, RED), row('a', 11, null), row('b', 10, 130), row('c', 10, null)],
    );
    expect(points.map((p) => [p.mn, p.name, p.value, p.aqi, p.level, p.colour, p.hour, p.primary])).toEqual([
      ['a', '人民公园站', [118.05, 36.8], 160, 4, '#FF0000', '2026-12-04 10:00', ['pm25_1h']],
      ['b', '临淄大化站', [118.31, 36.82], 130, 3, '#FF7E00', '2026-12-04 10:00', ['pm25_1h']],
      ['c', '周村东站', [117.88, 36.8], null, null, NO_DATA_COLOUR, null, []],
    ]);
  });

  it('shows a station the answer does not name as without data, and skips rows of stations it cannot place', () => {
    const points = stationPoints([station('a', '人民公园站', 118.05, 36.8)], [row('z', 10, 90)]);
    expect(points.map((p) => [p.mn, p.aqi, p.colour])).toEqual([['a', null, NO_DATA_COLOUR]]);
  });
});

describe('a station’s words on hover', () => {
  const words = {
    noData: '无数据',
    level: (n: number) => ['优', '良', '轻度污染', '中度污染', '重度污染', '严重污染'][n - 1] ?? '',
    primary: (names: string) => `首要污染物：${names}`,
    pollutant: (p: string) => ({ pm25_1h: '细颗粒物', o3_1h: '臭氧（1 小时）' })[p] ?? p,
    none: '—',
  };
  const point = (over: Partial<StationPoint>): StationPoint => ({
    mn: 'a',
    name: '人民公园站',
    district: '张店区',
    value: [118, 36],
    aqi: 172,
    level: 4,
    colour: '#FF0000',
    hour: '2026-12-04 10:00',
    primary: ['pm25_1h', 'o3_1h'],
    ...over,
  });

  it.each([
    ['rated', point({}), '人民公园站<br/>AQI 172 中度污染<br/>首要污染物：细颗粒物、臭氧（1 小时）<br/>2026-12-04 10:00'],
    [
      'good, no primary pollutant',
      point({ aqi: 40, level: 1, primary: [] }),
      '人民公园站<br/>AQI 40 优<br/>首要污染物：—<br/>2026-12-04 10:00',
    ],
    ['without data', point({ aqi: null, level: null, hour: null, primary: [] }), '人民公园站<br/>无数据'],
    ['named with markup, escaped', point({ aqi: null, level: null, name: '<b>站</b>&' }), '&#60;b&#62;站&#60;/b&#62;&#38;<br/>无数据'],
  ])('%s', (_, p, html) => {
    expect(stationTooltip(p, words)).toBe(html);
  });
});
