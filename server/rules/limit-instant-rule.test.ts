import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { limitInstantStep, limitInstantTick } from './limit-instant-rule';
import type { RuleContext } from './rule-context';
import { AMMONIA, CEMS, ctx, reading, run, S, T0, v } from './test-kit';

const kinds = (fs: readonly Finding[]): string => fs.map((f) => f.type).join(',') || '-';

/** NH3 slip limit 8 mg/m³: one real-time sample every 30 s. */
function drive(values: number[], c: RuleContext = ctx(AMMONIA)) {
  const readings = values.map((x, i) => reading(AMMONIA, '2011', T0 + i * 30 * S, { a21001: v(x) }));
  return run({}, readings, (s, r: Reading) => limitInstantStep(s, r, r.ts, c));
}

describe('limit-instant', () => {
  it.each([
    // DOMAIN §5 worked example: 40 × (21 − 6) / (21 − 10.5) = 57.14 > 50 → early warning.
    ['NOx 40 at O2 10.5 % (ref 6 %) is 57.14 converted: exceeded', { a21002: v(40), a19001: v(10.5) }, 'exceeded', (40 * 15) / 10.5],
    ['NOx 30 at O2 10.5 % is 42.86 converted: nothing to say', { a21002: v(30), a19001: v(10.5) }, '-', undefined],
    ['the logger’s zs wins: 45 is within 50', { a21002: v(40, 'N', { zs: 45 }), a19001: v(10.5) }, '-', undefined],
    ['measured 49 at O2 15 % is 122.5 converted: exceeded', { a21002: v(49), a19001: v(15) }, 'exceeded', (49 * 15) / 6],
    ['a value flagged M is never an exceedance', { a21002: v(400, 'M'), a19001: v(10.5) }, '-', undefined],
    ['a value flagged T (above range) is never an exceedance', { a21002: v(400, 'T'), a19001: v(10.5) }, '-', undefined],
  ] as const)('%s', (_n, factors, expected, value) => {
    const { findings } = limitInstantStep({}, reading(CEMS, '2011', T0, factors), T0, ctx(CEMS));
    expect(kinds(findings)).toBe(expected);
    if (value !== undefined)
      expect(findings[0]).toMatchObject({ rule: 'limit-instant', severity: 'warning', factor: 'a21002', limit: 50, unit: 'mg/m³' });
    if (value !== undefined) expect(findings[0]?.value).toBeCloseTo(value, 6);
  });

  // A limit on converted values judges converted values only (issue 12, domain 2).
  it.each([
    ['NOx 60 without O2 cannot be converted: not judged (was judged as 60 and said “converted”)', { a21002: v(60) }],
    ['NOx 60 with O2 flagged D: not judged', { a21002: v(60), a19001: v(10, 'D') }],
    ['NOx 60 with O2 flagged C: not judged', { a21002: v(60), a19001: v(10, 'C') }],
  ] as const)('%s', (_n, factors) => {
    const { findings, state } = limitInstantStep({}, reading(CEMS, '2011', T0, factors), T0, ctx(CEMS));
    expect(findings).toEqual([]);
    expect(state).toEqual({});
  });

  it.each([
    ['computed from O2', { a21002: v(40), a19001: v(10.5) }, { o2Converted: true, measured: 40, o2: 10.5, o2Ref: 6, zsFromLogger: false }],
    ['the logger’s zs', { a21002: v(40, 'N', { zs: 55 }) }, { o2Converted: true, measured: 40, o2: null, o2Ref: null, zsFromLogger: true }],
  ] as const)('the evidence says exactly what was converted: %s', (_n, factors, conversion) => {
    const { findings } = limitInstantStep({}, reading(CEMS, '2011', T0, factors), T0, ctx(CEMS));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ type: 'exceeded', evidence: { ...conversion, samples: 1, since: T0 } });
  });

  it('a limit on measured values says so', () => {
    const all = drive([9]).perInput.flat();
    expect(all[0]).toMatchObject({ evidence: { o2Converted: false, samples: 1 } });
    expect(all[0]?.type === 'exceeded' ? Object.keys(all[0].evidence ?? {}) : []).not.toContain('measured');
  });

  it('the O2 cap comes from the rule pack', () => {
    // NOx 10 at O2 20.5 %: capped at 19 % → 75; capped at 20 % → 150.
    const r = reading(CEMS, '2011', T0, { a21002: v(10), a19001: v(20.5) });
    expect(limitInstantStep({}, r, T0, ctx(CEMS)).findings[0]?.value).toBeCloseTo(75, 6);
    expect(limitInstantStep({}, r, T0, ctx(CEMS, { o2Conversion: { measuredCap: 20 } })).findings[0]?.value).toBeCloseTo(150, 6);
  });

  it.each([
    ['repeat 1: the first sample above raises', { repeat: 1 }, [9, 9, 9], ['exceeded', 'exceeded', 'exceeded']],
    ['repeat 3: the third in a row raises', { repeat: 3 }, [9, 9, 9, 9], ['-', '-', 'exceeded', 'exceeded']],
    ['repeat 3: a value inside breaks the run', { repeat: 3 }, [9, 9, 7, 9, 9], ['-', '-', '-', '-', '-']],
    ['duration 60 s: raised once 60 s have passed', { durationS: 60 }, [9, 9, 9, 9], ['-', '-', 'exceeded', 'exceeded']],
    ['duration 60 s: a dip restarts the clock', { durationS: 60 }, [9, 9, 7, 9, 9, 9], ['-', '-', '-', '-', '-', 'exceeded']],
  ] as const)('%s', (_n, limitInstant, values, expected) => {
    expect(drive([...values], ctx(AMMONIA, { limitInstant })).perInput.map(kinds)).toEqual(expected);
  });

  it.each([
    // Limit 8, margin 5 %: raised above 8, cleared only at ≤ 7.6.
    ['hovering at the limit does not flap', [8.1, 7.9, 8.2, 7.8, 8.1, 7.7], ['exceeded', '-', 'exceeded', '-', 'exceeded', '-']],
    ['back inside by the margin clears once', [8.5, 7.6, 7.0, 6.0], ['exceeded', 'normal', '-', '-']],
    ['a margin of 0 clears as soon as it is inside', [8.5, 7.9], ['exceeded', 'normal'], 0],
  ] as const)('hysteresis: %s', (_n, values, expected, margin: number = 5) => {
    const c = ctx(AMMONIA, { limitInstant: { clearMarginPct: margin } });
    const got = drive([...values], c).perInput.map(kinds);
    expect(got).toEqual(expected);
  });

  it.each([
    // Duration 120 s, samples at 0/30/60/90 s above; freshness is two 30 s intervals after the last arrival.
    ['before the duration has run: nothing', 115, '-'],
    ['the duration runs out between samples: raised by tick', 121, 'exceeded'],
    ['the last sample is stale (source silent): nothing', 151, '-'],
  ] as const)('tick: %s', (_n, atS, expected) => {
    const c = ctx(AMMONIA, { limitInstant: { durationS: 120 } });
    const { state } = drive([9, 9, 9, 9], c);
    const { findings } = limitInstantTick(state, T0 + atS * S, c, 60 * S);
    expect(kinds(findings)).toBe(expected);
  });
});
