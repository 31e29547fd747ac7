import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { flatLineStep } from './flat-line-rule';
import type { RuleContext } from './rule-context';
import { AMMONIA, CEMS, ctx, MIN, OUTLET, reading, run, S, T0, v } from './test-kit';

const last = (perInput: (readonly Finding[])[]) => perInput.flat();
/** An outlet NMHC sample every 30 s for `minutes`, value from `f`. */
function nmhc(minutes: number, f: (i: number) => number, c: RuleContext = ctx(OUTLET)) {
  const n = (minutes * 60) / 30 + 1;
  const rs = Array.from({ length: n }, (_, i) => reading(OUTLET, '2011', T0 + i * 30 * S, { a24088: v(f(i)) }));
  return run({}, rs, (s, r: Reading) => flatLineStep(s, r, c));
}

describe('flat-line', () => {
  it('outlet NMHC stuck at 12.3 for 2 h → suspected falsification, with the window as evidence', () => {
    const { perInput } = nmhc(120, () => 12.3);
    const tolerance = (0.1 / 100) * 12.3; // relTolerancePct 0.1 % of the level
    expect(last(perInput)).toEqual([
      {
        type: 'exceeded',
        mn: OUTLET.mn,
        factor: 'a24088',
        rule: 'flat-line',
        severity: 'major',
        value: 12.3,
        limit: tolerance,
        unit: 'mg/m³',
        ts: T0 + 120 * MIN,
        evidence: { windowStart: T0, windowEnd: T0 + 120 * MIN, value: 12.3, samples: 241, spread: 0, tolerance, floor: 0.07 },
      },
    ]);
    expect(perInput.at(-1)).toHaveLength(1); // raised by the sample that completes the window
  });

  it.each([
    ['flat for 1 h 59 min: not yet', 119, () => 12.3, {}, 0],
    ['varying values: never', 180, (i: number) => 12 + (i % 3) * 0.1, {}, 0],
    ['varying within epsilon 0.5: flat', 120, (i: number) => 12 + (i % 3) * 0.1, { epsilon: 0.5 }, 1],
    ['a window of 1 h: raised after 1 h', 60, () => 12.3, { windowS: 3600 }, 1],
    ['too few samples in the window: not raised', 120, () => 12.3, { minSamples: 500 }, 0],
  ] as const)('%s', (_n, minutes, f, flatLine, count) => {
    expect(last(nmhc(minutes, f, ctx(OUTLET, { flatLine })).perInput)).toHaveLength(count);
  });

  it('clears when the value varies again, and does not re-raise at once', () => {
    const c = ctx(OUTLET);
    const { state } = nmhc(120, () => 12.3);
    const rs = [12.3, 12.8, 12.8].map((x, i) => reading(OUTLET, '2011', T0 + 121 * MIN + i * 30 * S, { a24088: v(x) }));
    const { perInput } = run(state, rs, (s, r: Reading) => flatLineStep(s, r, c));
    expect(perInput.map((fs) => fs.map((f) => f.type).join())).toEqual(['', 'normal', '']);
  });

  const cemsReading = (i: number, flow: number, so2Flag: 'N' | 'F' = 'N') =>
    reading(CEMS, '2011', T0 + i * 30 * S, { a21026: v(20, so2Flag), a00000: v(flow), a01012: v(45) });
  it.each([
    ['a running CEMS stuck SO2 → raised; temperature (not watched) is not', () => 80, () => 'N' as const, ['a21026']],
    [
      'flow 0 (stopped) for the first hour restarts the window: not raised in 2 h',
      (i: number) => (i < 120 ? 0 : 80),
      () => 'N' as const,
      [],
    ],
    [
      'SO2 flagged F (stopped) for the first hour: not raised in 2 h',
      () => 80,
      (i: number) => (i < 120 ? ('F' as const) : ('N' as const)),
      [],
    ],
  ])('%s', (_n, flow, flag, factors) => {
    const c = ctx(CEMS);
    const rs = Array.from({ length: 241 }, (_, i) => cemsReading(i, flow(i), flag(i)));
    const { perInput } = run({}, rs, (s, r: Reading) => flatLineStep(s, r, c));
    expect(last(perInput).map((f) => f.factor)).toEqual(factors);
  });
});

describe('flat-line: detection floors and relative tolerance (issue 12, domain 6)', () => {
  /** CEMS (a gas boiler) samples every 30 s for 2 h 30 min. */
  function cems(so2: (i: number) => number, c: RuleContext = ctx(CEMS)) {
    const at = (i: number) => T0 + i * 30 * S;
    const rs = Array.from({ length: 301 }, (_, i) => reading(CEMS, '2011', at(i), { a21026: v(so2(i)), a00000: v(20) }));
    return last(run({}, rs, (s, r: Reading) => flatLineStep(s, r, c)).perInput).map((f) => `${f.factor} ${f.type}`);
  }
  it.each([
    ['a gas boiler’s SO2 at 0 for 2.5 h: not detected, not a flat line', () => 0, {}, []],
    ['SO2 at 2.5 (below the 3 mg/m³ floor): nothing', () => 2.5, {}, []],
    ['SO2 at exactly the floor: nothing', () => 3, {}, []],
    ['SO2 stuck at 3.5 (above the floor): raised', () => 3.5, {}, ['a21026 exceeded']],
    ['a floor set in the pack: 10 mg/m³ makes 8 not detected', () => 8, { floors: { a21026: 10 } }, []],
    ['a floor of 0: only 0 itself is not detected', () => 0.5, { floors: { a21026: 0 } }, ['a21026 exceeded']],
    // Values wobbling in their last digit: 35.00 / 35.02 spread 0.02 ≤ 0.1 % of 35.02.
    ['SO2 wobbling 35.00 / 35.02: within the relative tolerance, raised', (i: number) => (i % 2 ? 35.02 : 35), {}, ['a21026 exceeded']],
    ['… but not with relTolerancePct 0', (i: number) => (i % 2 ? 35.02 : 35), { relTolerancePct: 0 }, []],
    [
      'a raised flat line ends when the value drops below the floor',
      (i: number) => (i < 260 ? 20 : 0),
      {},
      ['a21026 exceeded', 'a21026 normal'],
    ],
  ] as const)('%s', (_n, so2, flatLine, expected) => {
    expect(cems(so2, ctx(CEMS, { flatLine }))).toEqual(expected);
  });

  it('NH3 slip at 0.00 for 2.5 h: nothing', () => {
    const c = ctx(AMMONIA);
    const rs = Array.from({ length: 301 }, (_, i) => reading(AMMONIA, '2011', T0 + i * 30 * S, { a21001: v(0) }));
    expect(last(run({}, rs, (s, r: Reading) => flatLineStep(s, r, c)).perInput)).toEqual([]);
  });
});
