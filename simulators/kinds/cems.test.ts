import { describe, expect, it } from 'vitest';
import { convertToReferenceO2 } from '../../server/domain/o2-conversion';
import { effectiveLimits } from '../../server/domain/limit-pack';
import { sourceSchema, type Source } from '../../server/domain/registry';
import { createRng } from '../random';
import { chinaTime, testPack } from '../test-registry';
import { cemsProfile, cemsSample } from './cems';

const stack = (o2Ref: number | undefined): Source => {
  const s = sourceSchema.parse({
    mn: 'TESTCEMS0000000000000009',
    enterpriseId: 'x',
    name: 'stack',
    kind: 'cems',
    lat: 36,
    lon: 118,
    o2Ref,
  });
  return { ...s, limits: effectiveLimits(s, testPack) };
};
const HOURS = [0, 3, 7, 10, 14, 19, 22];
const ULTRA_LOW = { a34013: 10, a21026: 35, a21002: 50 } as const;

describe('CEMS kind', () => {
  it.each([
    // o2Ref, expected O2 range (%), flow range (m³/s)
    [6, [5, 10], [200, 560]],
    [3.5, [2.3, 5.7], [4, 16]],
    [9, [8, 13], [30, 90]],
    [10, [8, 12], [90, 160]],
    [11, [7, 11], [30, 55]],
    [16, [14.8, 17.7], [240, 380]],
  ] as const)('o2Ref %s: O2, flow and converted pollutants are plausible and below the ultra-low limits', (o2Ref, o2Range, flowRange) => {
    const rng = createRng(o2Ref * 100);
    for (const hour of HOURS) {
      for (let i = 0; i < 30; i += 1) {
        const s = cemsSample(stack(o2Ref), chinaTime(`2026-07-01T${String(hour).padStart(2, '0')}:00`), rng);
        const o2 = s.a19001!.rtd;
        expect(o2).toBeGreaterThanOrEqual(o2Range[0]);
        expect(o2).toBeLessThanOrEqual(o2Range[1]);
        expect(s.a00000!.rtd).toBeGreaterThanOrEqual(flowRange[0]);
        expect(s.a00000!.rtd).toBeLessThanOrEqual(flowRange[1]);
        expect(s.a01011!.rtd).toBeGreaterThan(3);
        expect(s.a01011!.rtd).toBeLessThan(25);
        for (const [code, limit] of Object.entries(ULTRA_LOW)) {
          const v = s[code]!;
          expect(v.zs).toBeGreaterThan(0);
          expect(v.zs).toBeLessThan(0.9 * limit);
          // zs is the domain's conversion of the published rtd and O2, to the rounding.
          expect(v.zs).toBeCloseTo(convertToReferenceO2(v.rtd, o2, o2Ref), 1);
        }
        // NOx (as NO2) = NO·46/30 + NO2 ≥ NO·46/30
        expect((s.a21003!.rtd * 46) / 30).toBeLessThanOrEqual(s.a21002!.rtd + 0.01);
      }
    }
  });

  it('sends no zs when the source has no reference O2', () => {
    const s = cemsSample(stack(undefined), chinaTime('2026-07-01T10:00'), createRng(1));
    expect(s.a21002!.zs).toBeUndefined();
    expect(s.a21002!.rtd).toBeGreaterThan(0);
  });

  it('follows the power plant load curve: more flow and less O2 at the evening peak than before dawn', () => {
    const mean = (hour: string, code: string): number => {
      const rng = createRng(5);
      const xs = Array.from({ length: 50 }, () => cemsSample(stack(6), chinaTime(`2026-07-01T${hour}`), rng)[code]!.rtd);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('19:00', 'a00000')).toBeGreaterThan(mean('03:00', 'a00000') * 1.15);
    expect(mean('19:00', 'a19001')).toBeLessThan(mean('03:00', 'a19001'));
  });

  it('chooses the process from the reference O2 (coal power for 6 %, gas boiler for 3.5 %)', () => {
    expect(cemsProfile(stack(6)).o2).toEqual([6, 9]);
    expect(cemsProfile(stack(3.5)).o2).toEqual([3, 5]);
    expect(cemsProfile(stack(undefined))).toBe(cemsProfile(stack(6)));
  });
});
