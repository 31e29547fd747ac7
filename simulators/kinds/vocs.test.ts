import { describe, expect, it } from 'vitest';
import { convertToReferenceO2 } from '../../server/domain/o2-conversion';
import { createRng } from '../random';
import { chinaTime, testSource } from '../test-registry';
import { vocsSample } from './vocs';

const INLET = testSource('TESTVOCS0000000000000001');
const RTO_OUTLET = testSource('TESTVOCS0000000000000002');
const PAINT_OUTLET = testSource('TESTVOCS0000000000000003');
const HOURS = ['02:00', '09:00', '14:00', '21:00'];

describe('VOCs kind', () => {
  it.each([
    ['inlet', INLET, 150, 3000],
    ['RTO outlet', RTO_OUTLET, 0.5, 42],
    ['paint-shop outlet (limit 50)', PAINT_OUTLET, 0.5, 35],
  ])('%s: NMHC within %s–%s mg/m³ and NMHC = THC − CH4 exactly', (_name, source, lo, hi) => {
    const rng = createRng(9);
    for (const hour of HOURS) {
      for (let i = 0; i < 50; i += 1) {
        const s = vocsSample(source, chinaTime(`2026-07-01T${hour}`), rng);
        const nmhc = s.a24088!.rtd;
        expect(nmhc).toBeGreaterThanOrEqual(lo);
        expect(nmhc).toBeLessThanOrEqual(hi);
        expect(Math.round((s.a24087!.rtd - s.a05002!.rtd) * 100)).toBe(Math.round(nmhc * 100));
        expect(s.a05002!.rtd).toBeGreaterThan(1);
        for (const code of ['a25002', 'a25003', 'a25005']) expect(s[code]!.rtd).toBeLessThan(nmhc * 0.2);
        expect(s.a25002!.rtd).toBeLessThan(s.a25005!.rtd);
      }
    }
  });

  it('has inlet concentrations in the hundreds to thousands and outlet in the tens', () => {
    const rng = createRng(2);
    const at = chinaTime('2026-07-01T14:00');
    expect(vocsSample(INLET, at, rng).a24088!.rtd).toBeGreaterThan(300);
    expect(vocsSample(PAINT_OUTLET, at, rng).a24088!.rtd).toBeGreaterThan(8);
  });

  it('reports O2 and zs of NMHC only where the outlet has a reference O2', () => {
    const s = vocsSample(RTO_OUTLET, chinaTime('2026-07-01T10:00'), createRng(4));
    expect(s.a24088!.zs).toBeCloseTo(convertToReferenceO2(s.a24088!.rtd, s.a19001!.rtd, 3), 1);
    const paint = vocsSample(PAINT_OUTLET, chinaTime('2026-07-01T10:00'), createRng(4));
    expect(paint.a19001).toBeUndefined();
    expect(paint.a24088!.zs).toBeUndefined();
  });

  it('follows the day shift at a paint shop', () => {
    const mean = (hour: string): number => {
      const rng = createRng(6);
      const xs = Array.from({ length: 40 }, () => vocsSample(PAINT_OUTLET, chinaTime(`2026-07-01T${hour}`), rng).a24088!.rtd);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('11:00')).toBeGreaterThan(2 * mean('02:00'));
  });
});
