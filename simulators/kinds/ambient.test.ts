import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { chinaTime, testSource } from '../test-registry';
import { ambientSample } from './ambient';

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
    }
  });
});
