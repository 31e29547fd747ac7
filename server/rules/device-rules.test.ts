import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { bypassStep } from './bypass-rule';
import { flareTemperatureStep, flareTemperatureTick } from './flare-temperature-rule';
import type { RuleContext, Step } from './rule-context';
import { IDLE, type Sustain } from './rule-state';
import { tankPressureStep } from './tank-pressure-rule';
import { ctx, MIN, OUTLET, reading, run, T0, v, VAPOUR } from './test-kit';

type Rule = (s: Sustain, r: Reading, now: number, c: RuleContext) => Step<Sustain>;
const summary = (fs: readonly Finding[]) =>
  fs.map((f) => (f.type === 'exceeded' ? `${f.severity} ${f.value}>${f.limit}` : 'normal')).join() || '-';

/** One sample a minute of `factor`, through `rule`; returns the findings per minute. */
function minutes(rule: Rule, c: RuleContext, factor: string, values: number[]): string[] {
  const rs = values.map((x, i) => reading(c.source, '2011', T0 + i * MIN, { [factor]: v(x) }));
  return run(IDLE, rs, (s, r: Reading) => rule(s, r, r.ts, c)).perInput.map(summary);
}

describe('device rules', () => {
  it.each([
    // Tank pressure limit 150 Pa (limits.yaml, vapour), 10 min → major.
    ['tank pressure 200 Pa for 10 min → major', [...Array(11).fill(200)], 10, 'major 200>150'],
    ['tank pressure 200 Pa for 9 min → nothing', [...Array(10).fill(200), 100], 10, '-'],
    ['a dip below the limit restarts the 10 min', [...Array(6).fill(200), 120, ...Array(6).fill(200)], 12, '-'],
  ])('%s', (_n, values, at, expected) => {
    expect(minutes(tankPressureStep, ctx(VAPOUR), 'apr01', values)[at]).toBe(expected);
  });

  it('tank pressure back inside clears', () => {
    expect(minutes(tankPressureStep, ctx(VAPOUR), 'apr01', [...Array(11).fill(200), 100]).slice(10)).toEqual(['major 200>150', 'normal']);
  });

  it.each([
    ['any flow on a closed bypass → critical at once', [0, 0.02, 0], ['-', 'critical 0.02>0', 'normal']],
    ['no flow → nothing', [0, 0, 0], ['-', '-', '-']],
  ])('%s', (_n, values, expected) => {
    expect(minutes(bypassStep, ctx(OUTLET), 'abp01', values)).toEqual(expected);
  });

  it('a bypass threshold is configurable', () => {
    const c = ctx(OUTLET, { bypass: { limit: { max: 0.05, unit: 'm³/s' } } });
    expect(minutes(bypassStep, c, 'abp01', [0.02, 0.06])).toEqual(['-', 'critical 0.06>0.05']);
  });

  it.each([
    ['flare at 700 °C for 5 min → major', [700, 700, 700, 700, 700, 700], ['-', '-', '-', '-', '-', 'major 700<760']],
    ['flare at 700 °C for 4 min then 800 → nothing', [700, 700, 700, 700, 700, 800], ['-', '-', '-', '-', '-', '-']],
    ['flare back above the minimum clears', [700, 700, 700, 700, 700, 700, 800], ['-', '-', '-', '-', '-', 'major 700<760', 'normal']],
  ])('%s', (_n, values, expected) => {
    const got = minutes(flareTemperatureStep, ctx(OUTLET), 'aft01', values).map((s) => s.replace('>', '<'));
    expect(got).toEqual(expected);
  });

  it('flare: tick raises a duration that ran out between samples (sample still fresh)', () => {
    const c = ctx(OUTLET, { flareTemperature: { durationS: 100 } });
    const rs = [0, 30, 60, 90].map((s) => reading(OUTLET, '2011', T0 + s * 1000, { aft01: v(700) }));
    const { state } = run(IDLE, rs, (s, r: Reading) => flareTemperatureStep(s, r, r.ts, c));
    expect(flareTemperatureTick(state, T0 + 101_000, c, 60_000).findings.map((f) => f.type)).toEqual(['exceeded']);
  });
});
