import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { chinaTime, testSource } from '../test-registry';
import { AMBIENT_FACTORS, WIND_FACTORS, ambientSample, pmEpisode, wind } from './ambient';
import { chinaDate } from '../time';

const STATION = testSource('TESTAQS00000000000000001');

/** Mean of a factor over 30 samples at each hour of a day. */
function dayCurve(date: string, code: string): number[] {
  const rng = createRng(21);
  return Array.from({ length: 24 }, (_, h) => {
    const at = chinaTime(`${date}T${String(h).padStart(2, '0')}:00`);
    const xs = Array.from({ length: 30 }, () => ambientSample(STATION, at, rng)[code]!.rtd);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  });
}
const argmax = (xs: number[]): number => xs.indexOf(Math.max(...xs));

describe('ambient station kind', () => {
  it.each(['2026-06-10', '2026-07-01', '2026-08-20'])('O3 peaks mid-afternoon on a summer day (%s)', (date) => {
    const o3 = dayCurve(date, 'a05024');
    expect(argmax(o3)).toBeGreaterThanOrEqual(13);
    expect(argmax(o3)).toBeLessThanOrEqual(17);
    expect(Math.max(...o3)).toBeGreaterThan(110);
    expect(Math.max(...o3)).toBeLessThan(230);
    expect(Math.min(...o3)).toBeLessThan(60);
  });

  it('has a much lower ozone peak in winter', () => {
    expect(Math.max(...dayCurve('2026-01-15', 'a05024'))).toBeLessThan(Math.max(...dayCurve('2026-07-01', 'a05024')) * 0.7);
  });

  it('has NO2 and CO rush-hour peaks', () => {
    for (const code of ['a21004', 'a21005']) {
      const curve = dayCurve('2026-07-01', code);
      expect(curve[8]).toBeGreaterThan(curve[13]! * 1.3);
      expect(curve[18]).toBeGreaterThan(curve[13]! * 1.3);
      expect(curve[8]).toBeGreaterThan(curve[3]!);
    }
  });

  it('keeps PM10 above PM2.5 and values in their units', () => {
    const rng = createRng(3);
    for (let i = 0; i < 200; i += 1) {
      const s = ambientSample(STATION, chinaTime('2026-12-01T08:00') + i * 600_000, rng);
      expect(s.a34002!.rtd).toBeGreaterThanOrEqual(s.a34004!.rtd);
      expect(s.a34004!.rtd).toBeGreaterThan(0);
      expect(s.a21005!.rtd).toBeLessThan(5); // CO in mg/m³
      expect(s.a21004!.rtd).toBeGreaterThan(3); // NO2 in µg/m³
      expect(s.a21026!.rtd).toBeGreaterThan(1); // SO2 in µg/m³
      expect(s.a21026!.rtd).toBeLessThan(300);
    }
  });

  it('sends all six AQI pollutants (HJ 212 codes of DOMAIN §2) and the wind', () => {
    expect([...AMBIENT_FACTORS].sort()).toEqual(['a05024', 'a21004', 'a21005', 'a21026', 'a34002', 'a34004']);
    expect(Object.keys(ambientSample(STATION, chinaTime('2026-12-01T08:00'), createRng(1))).sort()).toEqual(
      [...AMBIENT_FACTORS, ...WIND_FACTORS].sort(),
    );
  });

  it('blows light from the south in an episode, strong from the north when the front clears it', () => {
    const rng = createRng(5);
    const at = (d: string, h: number) => chinaTime(`${d}T${String(h).padStart(2, '0')}:00`);
    // 1 Dec 2026 starts an episode (five stagnant days); 6 Dec is the front.
    for (let h = 0; h < 24; h += 3) {
      const calm = wind(at('2026-12-03', h), rng);
      expect(calm.direction).toBeGreaterThan(90);
      expect(calm.direction).toBeLessThan(270);
      expect(calm.speed).toBeLessThan(3);
      const front = wind(at('2026-12-06', h), rng);
      expect(front.direction > 270 || front.direction < 60).toBe(true);
      expect(front.speed).toBeGreaterThan(3.5);
    }
  });

  it('keeps the direction in 0–359° and the speed positive', () => {
    const rng = createRng(9);
    for (let i = 0; i < 500; i += 1) {
      const w = wind(chinaTime('2026-03-01T00:00') + i * 3_600_000, rng);
      expect(w.direction).toBeGreaterThanOrEqual(0);
      expect(w.direction).toBeLessThan(360);
      expect(w.speed).toBeGreaterThan(0);
    }
  });

  it('has more SO2 in the heating season, highest in the late morning', () => {
    const winter = dayCurve('2026-01-15', 'a21026');
    const summer = dayCurve('2026-07-01', 'a21026');
    expect(Math.max(...winter)).toBeGreaterThan(Math.max(...summer) * 2);
    expect(argmax(winter)).toBeGreaterThanOrEqual(8);
    expect(argmax(winter)).toBeLessThanOrEqual(12);
  });

  it('has a PM2.5 episode every winter: a few days rising to heavy pollution, cleared by a front', () => {
    // Every December has episode days; none from April to September.
    const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => chinaTime(`${from}T12:00`) + i * 86_400_000);
    expect(days('2026-12-01', 31).filter((at) => pmEpisode(at) > 1).length).toBeGreaterThanOrEqual(5);
    expect(days('2026-04-01', 183).every((at) => pmEpisode(at) === 1)).toBe(true);
    // The December episode: daily mean PM2.5 rises day by day to heavy (> 150 µg/m³, IAQI > 200), then clears.
    const start = days('2026-12-01', 31).find((at) => pmEpisode(at) > 1 && pmEpisode(at - 86_400_000) === 1)!;
    const dailyMean = (at: number) => {
      const { year, month, day } = chinaDate(at);
      const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const curve = dayCurve(date, 'a34004');
      return curve.reduce((a, b) => a + b, 0) / 24;
    };
    const means = [0, 1, 2, 3, 4, 5].map((d) => dailyMean(start + d * 86_400_000));
    for (let d = 1; d < 5; d++) expect(means[d]).toBeGreaterThan(means[d - 1]!);
    expect(Math.max(...means)).toBeGreaterThan(150);
    expect(means[5]).toBeLessThan(means[4]! / 2);
  });
});
