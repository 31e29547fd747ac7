import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../random';
import { chinaTime, testSource } from '../test-registry';
import { fuellingProbability, NOZZLES, vapourSample } from './vapour';

const STATION = testSource('TESTVRS00000000000000001');

describe('vapour-recovery kind', () => {
  it('gives each fuelling nozzle an A/L ratio of 1.0–1.2 and keeps pressures plausible', () => {
    const rng = createRng(12);
    for (let h = 0; h < 24; h += 1) {
      for (let i = 0; i < 20; i += 1) {
        const s = vapourSample(STATION, chinaTime(`2026-07-01T${String(h).padStart(2, '0')}:00`), rng);
        for (const nozzle of NOZZLES) {
          if (s[nozzle] === undefined) continue;
          expect(s[nozzle].rtd).toBeGreaterThanOrEqual(1.0);
          expect(s[nozzle].rtd).toBeLessThanOrEqual(1.2);
        }
        expect(s.apr01!.rtd).toBeGreaterThanOrEqual(-100);
        expect(s.apr01!.rtd).toBeLessThanOrEqual(100);
        expect(s.apr02).toBeDefined();
      }
    }
  });

  it.each([
    ['no nozzle fuelling', () => 0.999, 0],
    ['every nozzle fuelling', () => 0.001, 4],
  ] as Array<[string, Rng, number]>)('%s: A/L present for exactly the fuelling nozzles (%i)', (_name, rng, expected) => {
    const s = vapourSample(STATION, chinaTime('2026-07-01T12:00'), rng);
    const present = NOZZLES.filter((n) => n in s);
    expect(present).toHaveLength(expected);
    for (const n of NOZZLES.filter((x) => !present.includes(x))) expect(s).not.toHaveProperty(n);
  });

  it('fuels more by day than at night', () => {
    expect(fuellingProbability(12)).toBeGreaterThan(0.5);
    expect(fuellingProbability(3)).toBeLessThan(0.15);
    const count = (hour: string): number => {
      const rng = createRng(1);
      let n = 0;
      for (let i = 0; i < 200; i += 1) n += NOZZLES.filter((z) => z in vapourSample(STATION, chinaTime(`2026-07-01T${hour}`), rng)).length;
      return n;
    };
    expect(count('18:00')).toBeGreaterThan(3 * count('03:00'));
  });
});
