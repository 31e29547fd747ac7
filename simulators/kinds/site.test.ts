import { describe, expect, it } from 'vitest';
import { registrySchema } from '../../server/domain/registry';
import { createRng } from '../random';
import { chinaTime } from '../test-registry';
import { dustSample } from './site';

const site = registrySchema.parse({
  enterprises: [{ id: 'site', name: '工地', district: '张店区' }],
  sources: [{ mn: 'TESTYCJC0000000000000001', enterpriseId: 'site', name: '扬尘', kind: 'dust', lat: 36.8, lon: 118, intervalS: 60 }],
}).sources[0]!;

/** Mean PM10 over an hour of minute samples starting at the China-time `hh:mm`. */
function meanPm10(hhmm: string): number {
  const rng = createRng(11);
  const start = chinaTime(`2026-07-01T${hhmm}`);
  let sum = 0;
  for (let i = 0; i < 60; i += 1) sum += dustSample(site, start + i * 60_000, rng).a34002!.rtd;
  return sum / 60;
}

describe('construction dust', () => {
  it('sits near the background at night, rises with working hours and peaks with earthwork mid-morning and mid-afternoon', () => {
    const night = meanPm10('02:00');
    const noon = meanPm10('12:00');
    const earthwork = meanPm10('09:00');
    const afternoon = meanPm10('14:30');
    expect(night).toBeLessThan(75);
    expect(noon).toBeGreaterThan(night + 25);
    expect(earthwork).toBeGreaterThan(noon + 15);
    expect(afternoon).toBeGreaterThan(noon + 15);
    // Normal work stays under the hourly PM10 threshold (rule pack dustMean.pm10HourMax, 100 µg/m³).
    expect(Math.max(earthwork, afternoon)).toBeLessThan(100);
  });

  it('reports TSP about 1.6 × PM10', () => {
    const s = dustSample(site, chinaTime('2026-07-01T10:00'), createRng(2));
    expect(s.a34001!.rtd / s.a34002!.rtd).toBeGreaterThan(1.2);
    expect(s.a34001!.rtd / s.a34002!.rtd).toBeLessThan(2);
  });
});
