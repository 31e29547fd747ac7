/**
 * Flue-gas CEMS at a stack: flow (m³/s), velocity, temperature, static pressure, humidity, O2,
 * particulate, SO2, NOx (and NO). The process follows a daily load curve chosen from the source's
 * reference O2, which says what burns there (DOMAIN §5): 6 % coal power, 9 % industrial coal,
 * 3–3.5 % gas boiler, 10 % cement kiln, 11 % waste incinerator, 15–16 % sinter / gas turbine.
 * In normal operation the converted values stay well below the ultra-low limits. A stack with a
 * declared bypass also reports the bypass flow meter (abp01), 0 m³/s while the bypass is closed.
 */
import type { Source } from '../../server/domain/registry';
import { upperLimit } from '../limits';
import { clamp, normal, type Rng } from '../random';
import { bump, chinaDate } from '../time';
import { convertedValue, measuredFor, round, type KindSample } from './sample';

export const CEMS_FACTORS = [
  'a00000',
  'a01011',
  'a01012',
  'a01013',
  'a01014',
  'a19001',
  'a34013',
  'a21026',
  'a21002',
  'a21003',
  'abp01',
] as const;

type Range = readonly [low: number, high: number];

interface CemsProfile {
  /** Load as a fraction of rated output (0.4–1) by hour of the day in China time. */
  load: (hour: number) => number;
  /** O2 % at full load and at the lowest load (more excess air at low load). */
  o2: Range;
  /** Flue-gas flow m³/s from low to full load. */
  flow: Range;
  stackAreaM2: number;
  temperature: Range;
  humidity: Range;
  /** Typical converted concentration as a share of the ultra-low limit. */
  share: { a34013: number; a21026: number; a21002: number };
}

const powerLoad = (h: number): number => 0.6 + 0.2 * bump(h, 10.5, 2.5) + 0.3 * bump(h, 19, 2) - 0.12 * bump(h, 3, 2.5);
const heatingLoad = (h: number): number => 0.45 + 0.35 * bump(h, 6.5, 2) + 0.3 * bump(h, 19.5, 2.5);
const continuousLoad = (h: number): number => 0.88 + 0.06 * bump(h, 14, 4);

const COAL_POWER: CemsProfile = {
  load: powerLoad,
  o2: [6, 9],
  flow: [250, 520],
  stackAreaM2: 38.5,
  temperature: [46, 52],
  humidity: [11, 14],
  share: { a34013: 0.25, a21026: 0.4, a21002: 0.6 },
};
const PROFILES: ReadonlyArray<{ upTo: number; profile: CemsProfile }> = [
  {
    upTo: 4.5,
    profile: {
      // gas boiler
      load: heatingLoad,
      o2: [3, 5],
      flow: [6, 14],
      stackAreaM2: 1.13,
      temperature: [75, 95],
      humidity: [14, 18],
      share: { a34013: 0.15, a21026: 0.06, a21002: 0.6 },
    },
  },
  { upTo: 7.5, profile: COAL_POWER },
  {
    upTo: 9.5,
    profile: {
      // industrial coal boiler
      load: heatingLoad,
      o2: [9, 12],
      flow: [40, 80],
      stackAreaM2: 3.14,
      temperature: [55, 70],
      humidity: [10, 13],
      share: { a34013: 0.3, a21026: 0.45, a21002: 0.6 },
    },
  },
  {
    upTo: 10.5,
    profile: {
      // cement kiln tail
      load: continuousLoad,
      o2: [9, 11],
      flow: [110, 150],
      stackAreaM2: 12.6,
      temperature: [95, 120],
      humidity: [6, 10],
      share: { a34013: 0.3, a21026: 0.3, a21002: 0.65 },
    },
  },
  {
    upTo: 13,
    profile: {
      // municipal waste incinerator
      load: continuousLoad,
      o2: [8, 10],
      flow: [35, 50],
      stackAreaM2: 3.14,
      temperature: [140, 160],
      humidity: [15, 22],
      share: { a34013: 0.2, a21026: 0.3, a21002: 0.6 },
    },
  },
  {
    upTo: 20,
    profile: {
      // sinter machine head, gas turbine
      load: continuousLoad,
      o2: [15.5, 17],
      flow: [280, 360],
      stackAreaM2: 28.3,
      temperature: [50, 60],
      humidity: [10, 14],
      share: { a34013: 0.3, a21026: 0.35, a21002: 0.55 },
    },
  },
];

export function cemsProfile(source: Source): CemsProfile {
  const ref = source.o2Ref;
  if (ref === undefined) return COAL_POWER;
  return PROFILES.find((p) => ref <= p.upTo)?.profile ?? COAL_POWER;
}

const lerp = ([lo, hi]: Range, t: number): number => lo + (hi - lo) * t;

/** Converted (zs) target for a pollutant: a share of the limit, rising a little with load. */
function convertedTarget(source: Source, code: 'a34013' | 'a21026' | 'a21002', share: number, load: number, rng: Rng): number {
  const limit = upperLimit(source, code) ?? 50;
  const value = share * limit * (0.85 + 0.3 * load) * normal(rng, 1, 0.08);
  return clamp(value, 0.02 * limit, 0.85 * limit);
}

export function cemsSample(source: Source, at: number, rng: Rng): KindSample {
  const p = cemsProfile(source);
  const load = clamp(p.load(chinaDate(at).hour) * normal(rng, 1, 0.02), 0.4, 1);
  const o2 = round(clamp(lerp([p.o2[1], p.o2[0]], load) + normal(rng, 0, 0.15), 0.5, 20), 2);
  const flow = round(lerp(p.flow, load) * normal(rng, 1, 0.02), 2);
  const pollutant = (code: 'a34013' | 'a21026' | 'a21002'): ReturnType<typeof convertedValue> => {
    const target = convertedTarget(source, code, p.share[code], load, rng);
    const measured = source.o2Ref === undefined ? target : measuredFor(target, o2, source.o2Ref);
    return convertedValue(measured, o2, source);
  };
  const nox = pollutant('a21002');
  const sample: KindSample = {
    a00000: { rtd: flow },
    a01011: { rtd: round(flow / p.stackAreaM2, 2) },
    a01012: { rtd: round(lerp(p.temperature, load) + normal(rng, 0, 0.4), 1) },
    a01013: { rtd: round(normal(rng, 0.12, 0.03), 3) },
    a01014: { rtd: round(lerp(p.humidity, load) + normal(rng, 0, 0.2), 2) },
    a19001: { rtd: o2 },
    a34013: pollutant('a34013'),
    a21026: pollutant('a21026'),
    a21002: nox,
    // NOx (as NO2) = NO·46/30 + NO2 (DOMAIN §2); about 92 % of it comes from NO.
    a21003: { rtd: round((nox.rtd * 0.92 * 30) / 46, 2) },
  };
  // A declared emergency bypass (DOMAIN §1) has a flow meter; kept closed, it reads no flow.
  if (source.bypass) sample.abp01 = { rtd: 0 };
  return sample;
}
