import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { chinaTime, testSource } from '../test-registry';
import { ammoniaSample, normalSlipRange } from './ammonia';

describe('ammonia slip kind', () => {
  it.each([
    ['SNCR, default limit 8', testSource('TESTNH300000000000000001'), 0.5, 3],
    ['SCR permit limit 2.5', testSource('TESTNH300000000000000002'), 0.5, 1.5],
  ])('%s: a21001 stays within %s–%s mg/m³', (_name, source, lo, hi) => {
    expect(normalSlipRange(source)).toEqual([lo, hi]);
    const rng = createRng(8);
    for (let h = 0; h < 24; h += 1) {
      for (let i = 0; i < 20; i += 1) {
        const s = ammoniaSample(source, chinaTime(`2026-07-01T${String(h).padStart(2, '0')}:00`), rng);
        expect(s.a21001!.rtd).toBeGreaterThanOrEqual(lo);
        expect(s.a21001!.rtd).toBeLessThanOrEqual(hi);
        expect(s.a01012!.rtd).toBeGreaterThan(300);
        expect(s.a01012!.rtd).toBeLessThan(380);
      }
    }
  });
});
