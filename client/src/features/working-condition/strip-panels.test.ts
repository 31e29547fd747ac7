import { describe, expect, it } from 'vitest';
import type { StripLane } from '@domain/working-condition-strip';
import { stripPanels } from './strip-panels';

const lane = (group: StripLane['group'], code: string, threshold?: number): StripLane => ({
  group,
  mn: 'M',
  code,
  name: code,
  points: [],
  ...(threshold !== undefined ? { threshold: { kind: 'runningKw', value: threshold } } : {}),
});
const UNITS: Record<string, string> = { gkw01: 'kW', gkw02: 'kW', gtc02: '°C', gia02: 'A', a21002: 'mg/m³' };

describe('stripPanels', () => {
  it('one grid per group and unit, in lane order, reaching its thresholds', () => {
    const panels = stripPanels(
      [
        lane('production', 'gkw01', 80),
        lane('treatment', 'gkw02', 40),
        lane('treatment', 'gia02'),
        lane('treatment', 'gtc02', 760),
        lane('emission', 'a21002', 50),
      ],
      (c) => UNITS[c] ?? '',
    );
    expect(panels.map((p) => [p.group, p.unit, p.lanes.map((l) => l.code), p.reach])).toEqual([
      ['production', 'kW', ['gkw01'], [80]],
      ['treatment', 'kW', ['gkw02'], [40]],
      ['treatment', 'A', ['gia02'], []],
      ['treatment', '°C', ['gtc02'], [760]],
      ['emission', 'mg/m³', ['a21002'], [50]],
    ]);
  });
});
