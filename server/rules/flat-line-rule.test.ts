import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { flatLineStep } from './flat-line-rule';
import type { RuleContext } from './rule-context';
import { CEMS, ctx, MIN, OUTLET, reading, run, S, T0, v } from './test-kit';

const last = (perInput: Finding[][]) => perInput.flat();
/** An outlet NMHC sample every 30 s for `minutes`, value from `f`. */
function nmhc(minutes: number, f: (i: number) => number, c: RuleContext = ctx(OUTLET)) {
  const n = (minutes * 60) / 30 + 1;
  const rs = Array.from({ length: n }, (_, i) => reading(OUTLET, '2011', T0 + i * 30 * S, { a24088: v(f(i)) }));
  return run({}, rs, (s, r: Reading) => flatLineStep(s, r, c));
}

describe('flat-line', () => {
  it('outlet NMHC stuck at 12.3 for 2 h → suspected falsification, with the window as evidence', () => {
    const { perInput } = nmhc(120, () => 12.3);
    expect(last(perInput)).toEqual([{
      type: 'exceeded', mn: OUTLET.mn, factor: 'a24088', rule: 'flat-line', severity: 'major', value: 12.3, limit: 0, unit: 'mg/m³',
      ts: T0 + 120 * MIN, evidence: { windowStart: T0, windowEnd: T0 + 120 * MIN, value: 12.3, samples: 241, spread: 0 },
    }]);
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
    ['flow 0 (stopped) for the first hour restarts the window: not raised in 2 h', (i: number) => (i < 120 ? 0 : 80), () => 'N' as const, []],
    ['SO2 flagged F (stopped) for the first hour: not raised in 2 h', () => 80, (i: number) => (i < 120 ? 'F' as const : 'N' as const), []],
  ])('%s', (_n, flow, flag, factors) => {
    const c = ctx(CEMS);
    const rs = Array.from({ length: 241 }, (_, i) => cemsReading(i, flow(i), flag(i)));
    const { perInput } = run({}, rs, (s, r: Reading) => flatLineStep(s, r, c));
    expect(last(perInput).map((f) => f.factor)).toEqual(factors);
  });
});
